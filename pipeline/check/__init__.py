"""The CI check: untranslated segments (language evidence and rules), missing pages and
sections, stale translations, glossary use, structure; baselines."""
