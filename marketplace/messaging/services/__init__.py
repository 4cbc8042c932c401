"""Messaging use cases: conversations and replies, blocking, abuse reports and their decisions."""
