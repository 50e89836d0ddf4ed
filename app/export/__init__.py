"""app.export."""
