"""Messaging between two people about a need and a suggested offer (issue 15 §4)."""
