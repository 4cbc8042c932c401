"""Communities of practice (`/communautes/`): members, discussions, resources, meetings."""
