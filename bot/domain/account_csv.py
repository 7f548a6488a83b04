"""Reading the accounts CSV a team already keeps: every bad row reported, with its line."""

from __future__ import annotations

from bot.domain.accounts import AccountDraft, name_key, validate_draft
from bot.domain.csv_rows import ParsedCsv, duplicates, parse_csv

COLUMNS = tuple(AccountDraft.model_fields)
REQUIRED_COLUMNS = ("name", "tier")


def parse_accounts_csv(text: str) -> ParsedCsv[AccountDraft]:
    """Every row validated; a name twice in the file (ignoring case) is an error too."""
    parsed = parse_csv(text, COLUMNS, REQUIRED_COLUMNS, validate_draft)
    twice = duplicates(parsed.rows, lambda d: name_key(d.name), lambda d: f"name: {d.name}")
    bad_lines = {e.line for e in twice}
    return ParsedCsv(
        [(line, d) for line, d in parsed.rows if line not in bad_lines],
        sorted(parsed.errors + twice, key=lambda e: e.line),
    )
