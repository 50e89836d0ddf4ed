"""app.ui."""
