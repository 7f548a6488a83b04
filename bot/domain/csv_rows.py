"""Reading a CSV a person made: header checked, blank lines skipped, every line numbered.

Shared by every import, so each reports problems the same way: `line N: field: reason`,
every problem of every row in one pass: a person fixes the file once, not once per kind
of mistake.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

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
    records: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """Every row's cells by column, the rejected rows' too: what checks across rows
    (a name twice, an unknown account) read, so they need not wait for the fields."""
    accounts_named: list[tuple[int, str]] = field(default_factory=list)
    """(line, name) of each row naming an account that must already exist: the importer
    checks them against the store with the other problems, before writing anything."""

    def sorted_errors(self, more: list[RowError]) -> list[RowError]:
        """These errors and `more`, by line (a line's own order kept)."""
        return sorted(self.errors + more, key=lambda e: e.line)


Validate = Callable[[dict[str, str]], "T | dict[str, str]"]


def parse_csv(
    text: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    validate: Validate[T],
    dates: tuple[str, ...] = (),
) -> ParsedCsv[T]:
    """Validate every row; the caller writes nothing unless `errors` is empty.

    Line numbers are the file's own (the header is line 1; a quoted cell spanning lines
    counts them), so a person can jump straight to the row. A cell of a `dates` column
    written YYYY-MM-DD that names no day (2026-02-30) is told so, not told its format.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    problems = _header_problems(header, columns, required)
    if problems:
        return ParsedCsv([], [RowError(1, p) for p in problems])
    reader.fieldnames = header
    rows: list[tuple[int, T]] = []
    errors: list[RowError] = []
    records: list[tuple[int, dict[str, str]]] = []
    for line, record in _records(reader, len(header), errors):
        records.append((line, record))
        result = validate(record)
        if isinstance(result, dict):
            for column, message in result.items():
                cell = record.get(column, "").strip() if column in dates else ""
                said = no_such_day(cell) or message
                errors.append(RowError(line, f"{column}: {said}"))
        else:
            rows.append((line, result))
    return ParsedCsv(rows, errors, records)


_DAY_SHAPE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def no_such_day(text: str) -> str | None:
    """Why a date written YYYY-MM-DD is no day (`2026-02-30: February 2026 has no day
    30`); None when it is one, or is not written that way."""
    shaped = _DAY_SHAPE.fullmatch(text)
    if shaped is None:
        return None
    year, month, day = (int(part) for part in shaped.groups())
    if year == 0:
        return f"{text}: there is no year 0"
    if not 1 <= month <= 12:
        return f"{text}: there is no month {month}; months run 01 to 12"
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        return f"{text}: {calendar.month_name[month]} {year} has no day {day}"
    return None


def valid_fields(model: type[BaseModel], values: dict[str, Any]) -> dict[str, Any]:
    """Each given field of `model` that is valid on its own, parsed: the checks across
    fields (an end before a start) run on these when another field is wrong, since the
    model's own checks run only once every field is valid."""
    parsed: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        value = values.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, str):
            value = value.strip()
        try:
            parsed[name] = TypeAdapter(info.rebuild_annotation()).validate_python(value)
        except ValidationError:
            continue
    return parsed


def parsed_day(text: str) -> date | None:
    """A cell as a day, or None: for checks across rows on rows that are wrong otherwise."""
    try:
        return _DAY.validate_python(text.strip())
    except ValidationError:
        return None


_DAY = TypeAdapter(date)


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
