"""Reading the accounts CSV a team already keeps: every bad row reported, with its line."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from bot.domain.accounts import AccountDraft, name_key, validate_draft

COLUMNS = tuple(AccountDraft.model_fields)
REQUIRED_COLUMNS = ("name", "tier")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedCsv:
    rows: list[tuple[int, AccountDraft]]
    errors: list[RowError]


def parse_accounts_csv(text: str) -> ParsedCsv:
    """Parse and validate the whole file; the caller writes nothing unless `errors` is empty.

    Line numbers are the file's own (the header is line 1), so a person can jump to them.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    problems = _header_problems(header)
    if problems:
        return ParsedCsv([], [RowError(1, p) for p in problems])
    reader.fieldnames = header
    rows: list[tuple[int, AccountDraft]] = []
    errors: list[RowError] = []
    first_line: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if None in record:
            errors.append(RowError(line, f"has more cells than the {len(header)} columns"))
            continue
        if not any((v or "").strip() for v in record.values()):
            continue
        result = validate_draft({k: v for k, v in record.items() if k})
        if isinstance(result, dict):
            errors.extend(RowError(line, f"{field}: {msg}") for field, msg in result.items())
            continue
        key = name_key(result.name)
        if key in first_line:
            errors.append(
                RowError(line, f"name: {result.name} is already on line {first_line[key]}")
            )
            continue
        first_line[key] = line
        rows.append((line, result))
    return ParsedCsv(rows, errors)


def _header_problems(header: list[str]) -> list[str]:
    if not header:
        return ["the file is empty; the first line must name the columns"]
    problems = [f"missing column {c!r}" for c in REQUIRED_COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        names = ", ".join(map(repr, unknown))
        problems.append(f"unknown column(s) {names}; the columns are {', '.join(COLUMNS)}")
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        problems.append(f"column(s) {', '.join(map(repr, duplicated))} appear more than once")
    return problems
