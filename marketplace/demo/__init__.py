"""Demonstration data: content tables and a deterministic generator for `flask seed-demo`.

Nothing here touches the database; marketplace/services/demo.py writes what the generator plans.
"""
