"""The coordinator queue: review suggested pairings of one territory."""
