"""The essaimage kit: how a practice spreads, how ready it is to, and the downloadable kit."""
