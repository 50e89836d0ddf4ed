"""app.services."""
