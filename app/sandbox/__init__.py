"""app.sandbox."""
