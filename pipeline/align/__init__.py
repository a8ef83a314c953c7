"""Section alignment of a page with its counterpart."""
