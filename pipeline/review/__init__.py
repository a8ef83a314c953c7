"""Reviewer tools: the static review page and glossary suggestions mined from a site."""
