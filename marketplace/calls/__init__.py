"""Calls for intrapreneur projects (`/appels/`): issue 15 §2."""
