"""Services of the essaimage kit: stages (computed spread), readiness (checklist), kit (page, PDF)."""
