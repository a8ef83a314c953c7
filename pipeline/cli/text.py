"""Text for the terminal: one message, one line."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r"}


def one_line(text: object) -> str:
    """``text`` with line breaks and other control characters shown as escapes (``\\n``,
    ``\\x1b``…): a file name holding a newline cannot start a line of its own, which a CI
    runner could take for a command (``::error::…`` in GitHub Actions) or a reader for
    another message."""
    return _CONTROL.sub(
        lambda m: (
            _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}")
            if ord(m.group()) < 0x100
            else f"\\u{ord(m.group()):04x}"
        ),
        str(text),
    )
