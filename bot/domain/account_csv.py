"""Reading the accounts CSV a team already keeps: every bad row reported, with its line."""

from __future__ import annotations

from bot.domain.accounts import AccountDraft, name_key, validate_draft
from bot.domain.csv_rows import ParsedCsv, duplicates, parse_csv

COLUMNS = tuple(AccountDraft.model_fields)
REQUIRED_COLUMNS = ("name", "tier")
DATE_COLUMNS = ("contract_start", "contract_end", "production_start")


def parse_accounts_csv(text: str) -> ParsedCsv[AccountDraft]:
    """Every row validated; a name twice in the file (ignoring case) is an error too, on
    rows with other problems as well, so one pass reports everything."""
    parsed: ParsedCsv[AccountDraft] = parse_csv(
        text, COLUMNS, REQUIRED_COLUMNS, validate_draft, DATE_COLUMNS
    )
    named = [
        (line, cells["name"].strip())
        for line, cells in parsed.records
        if (cells.get("name") or "").strip()
    ]
    twice = duplicates(named, name_key, lambda name: f"name: {name}")
    bad_lines = {e.line for e in twice}
    return ParsedCsv(
        [(line, d) for line, d in parsed.rows if line not in bad_lines],
        parsed.sorted_errors(twice),
        parsed.records,
    )
