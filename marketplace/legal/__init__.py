"""The legal pages every French public service shows: accessibility, legal notice, personal data,
terms of use, site map and contact."""
