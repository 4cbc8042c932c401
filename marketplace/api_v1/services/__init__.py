"""What the API reads and changes; the listing changes go through marketplace.listings.services."""
