"""Pairings: the three consents, the engagement, its convention, days, end and feedback."""
