"""The translation memory (SQLite) and its TMX exchange format."""
