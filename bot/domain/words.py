"""Reading the free text after a sub-command: names with spaces, an optional trailing date."""

from __future__ import annotations

from datetime import date


def trailing_date(words: list[str], today: date) -> tuple[list[str], str]:
    """The words without a last `YYYY-MM-DD`, and that date (default `today`) as text."""
    if words:
        try:
            date.fromisoformat(words[-1])
        except ValueError:
            pass
        else:
            return words[:-1], words[-1]
    return words, today.isoformat()
