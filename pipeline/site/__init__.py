"""A site: its pages and counterparts (discover), vien's state in ``.vien/`` (lock) and
what git knows of it (history)."""
