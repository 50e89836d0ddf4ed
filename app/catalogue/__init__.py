"""app.catalogue."""
