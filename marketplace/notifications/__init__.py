"""In-app notifications, e-mail preferences, one-click unsubscribe, and the suggestions feed."""
