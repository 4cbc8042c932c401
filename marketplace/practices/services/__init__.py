"""The practices library ("fiches pratiques"): wiki editing, resources, essaimage, discussion,
follows, search and collections. One module per job; views call these functions."""
