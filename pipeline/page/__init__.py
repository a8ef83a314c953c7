"""The page model: parse a Hugo page into sections and segments, render it back, and
refuse output that is not equivalent (model, parse, markdown, shortcodes, front matter,
autolinks, render, invariants, read)."""
