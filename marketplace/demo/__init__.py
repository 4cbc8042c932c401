"""Demonstration data: content tables and a deterministic generator for `flask seed-demo`.

Nothing here touches the database; marketplace/demo/seed.py writes what the generator plans.
"""
