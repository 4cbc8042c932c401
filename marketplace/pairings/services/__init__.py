"""Pairings, from the coordinator's decision to the end of the engagement.

queue: the coordinator's review of suggestions; consents: the three consents, reminders and
expiry; engagement: the terms, days logged, end, feedback; convention: the document and its
versions; access: who is who on a pairing; audit: the log of state changes.
"""
