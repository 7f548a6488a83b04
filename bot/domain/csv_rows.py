"""Reading a CSV a person made: header checked, blank lines skipped, every line numbered.

Shared by every import, so each reports problems the same way: `line N: field: reason`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass(frozen=True)
class ParsedCsv(Generic[T]):
    rows: list[tuple[int, T]]
    errors: list[RowError]


Validate = Callable[[dict[str, str]], "T | dict[str, str]"]


def parse_csv(
    text: str, columns: tuple[str, ...], required: tuple[str, ...], validate: Validate[T]
) -> ParsedCsv[T]:
    """Validate every row; the caller writes nothing unless `errors` is empty.

    Line numbers are the file's own (the header is line 1; a quoted cell spanning lines
    counts them), so a person can jump straight to the row.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    problems = _header_problems(header, columns, required)
    if problems:
        return ParsedCsv([], [RowError(1, p) for p in problems])
    reader.fieldnames = header
    rows: list[tuple[int, T]] = []
    errors: list[RowError] = []
    for line, record in _records(reader, len(header), errors):
        result = validate(record)
        if isinstance(result, dict):
            errors.extend(RowError(line, f"{field}: {msg}") for field, msg in result.items())
        else:
            rows.append((line, result))
    return ParsedCsv(rows, errors)


def _records(
    reader: csv.DictReader[str], width: int, errors: list[RowError]
) -> Iterator[tuple[int, dict[str, str]]]:
    for record in reader:
        if None in record:
            errors.append(RowError(reader.line_num, f"has more cells than the {width} columns"))
        elif any((v or "").strip() for v in record.values()):
            yield reader.line_num, {k: v for k, v in record.items() if k}


def _header_problems(
    header: list[str], columns: tuple[str, ...], required: tuple[str, ...]
) -> list[str]:
    if not header:
        return ["the file is empty; the first line must name the columns"]
    problems = [f"missing column {c!r}" for c in required if c not in header]
    unknown = [h for h in header if h not in columns]
    if unknown:
        names = ", ".join(map(repr, unknown))
        problems.append(f"unknown column(s) {names}; the columns are {', '.join(columns)}")
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        problems.append(f"column(s) {', '.join(map(repr, duplicated))} appear more than once")
    return problems


def duplicates(
    rows: list[tuple[int, T]], key: Callable[[T], str], what: Callable[[T], str]
) -> list[RowError]:
    """A row whose key an earlier row has: reported on the later line, naming the first."""
    first: dict[str, int] = {}
    errors = []
    for line, row in rows:
        seen = first.setdefault(key(row), line)
        if seen != line:
            errors.append(RowError(line, f"{what(row)} is already on line {seen}"))
    return errors
