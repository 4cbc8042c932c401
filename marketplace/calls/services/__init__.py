"""The calls' use cases: calls and jury, projects, scoring, results, accompaniment."""
