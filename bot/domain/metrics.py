"""Usage figures coming in (slash command, CSV, pipeline API): validated the same way.

A snapshot is one account's day: DAU, MAU, licensed seats and, when the pipeline has
them, assistant DAU and completions shown / accepted (seeds 000, 003).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.domain.accounts import name_key
from bot.domain.csv_rows import (
    ParsedCsv,
    RowError,
    duplicates,
    parse_csv,
    parsed_day,
    valid_fields,
)
from bot.domain.field_errors import field_errors
from bot.domain.numbers import BigCount, Count
from bot.domain.words import trailing_date

MAU_PER_SEAT_LIMIT = 10


class SnapshotInput(BaseModel):
    """One day of one account, as sent; `account` is the account's name."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    account: str = Field(min_length=1, max_length=80)
    day: date
    dau: Count
    mau: Count
    seats: Count
    assistant_dau: Count | None = None
    shown: BigCount | None = None
    accepted: BigCount | None = None

    @model_validator(mode="after")
    def _plausible(self) -> SnapshotInput:
        for field, problem in implausible(self.__dict__).items():
            raise ValueError(f"{field}: {problem}")
        return self


def implausible(figures: dict[str, Any]) -> dict[str, str]:
    """Every figure that contradicts another, by field. A figure None was not given; one
    missing from `figures` is wrong itself, and is not compared."""
    dau, mau, seats = (figures.get(f) for f in ("dau", "mau", "seats"))
    assistant, shown, accepted = (figures.get(f) for f in ("assistant_dau", "shown", "accepted"))
    problems = {}
    if dau is not None and mau is not None and dau > mau:
        problems["dau"] = f"{dau} daily users cannot exceed {mau} monthly users"
    if mau is not None and seats is not None and mau > seats * MAU_PER_SEAT_LIMIT:
        problems["mau"] = (
            f"{mau} monthly users is more than {MAU_PER_SEAT_LIMIT} times the "
            f"{seats} licensed seats; check the seats"
        )
    if accepted is not None and "shown" in figures and (shown is None or accepted > shown):
        problems["accepted"] = "more completions accepted than shown"
    if assistant is not None and mau is not None and assistant > mau:
        problems["assistant_dau"] = "more assistant users than monthly users"
    return problems


def validate_snapshot(values: dict[str, Any], today: date) -> SnapshotInput | dict[str, str]:
    """The snapshot, or its errors by field, all of them at once: the figures that
    contradict each other and a day after `today` as well as each wrong field."""
    try:
        snapshot = SnapshotInput.model_validate(values)
    except ValidationError as exc:
        errors = field_errors(
            exc, extra="is not a metric (dau, mau, seats, assistant_dau, shown, accepted)"
        )
        valid = valid_fields(SnapshotInput, values)
        given = {f: None for f in SnapshotInput.model_fields if values.get(f) is None} | valid
        for field, problem in implausible(given).items():
            errors.setdefault(field, problem)
        if "day" in valid and valid["day"] > today:
            errors.setdefault("day", f"{valid['day'].isoformat()} is in the future")
        return errors
    if snapshot.day > today:
        return {"day": f"{snapshot.day.isoformat()} is in the future"}
    return snapshot


SNAPSHOT_COLUMNS = tuple(SnapshotInput.model_fields)
REQUIRED_SNAPSHOT_COLUMNS = ("account", "day", "dau", "mau", "seats")


def repeated_days(rows: list[tuple[int, SnapshotInput]]) -> list[RowError]:
    """The same account and day twice in one batch (a file, a request) is an error: which
    of the two should be kept is a guess."""
    return _repeated([(line, (s.account, s.day)) for line, s in rows])


def _repeated(days: list[tuple[int, tuple[str, date]]]) -> list[RowError]:
    return duplicates(
        days,
        lambda d: f"{name_key(d[0])}|{d[1]}",
        lambda d: f"account: {d[0]} on {d[1]}",
    )


def parse_metrics_csv(text: str, today: date) -> ParsedCsv[SnapshotInput]:
    """Every row validated, and no day twice, in one pass: a day twice and the accounts
    the store must know are read from every row's cells, its other problems or not."""
    parsed = parse_csv(
        text,
        SNAPSHOT_COLUMNS,
        REQUIRED_SNAPSHOT_COLUMNS,
        lambda record: validate_snapshot({k: v for k, v in record.items() if v.strip()}, today),
        dates=("day",),
    )
    bad_account = {e.line for e in parsed.errors if e.message.startswith("account: ")}
    named = [
        (line, cells["account"].strip())
        for line, cells in parsed.records
        if (cells.get("account") or "").strip() and line not in bad_account
    ]
    days = [
        (line, (cells["account"].strip(), day))
        for line, cells in parsed.records
        if (cells.get("account") or "").strip()
        and (day := parsed_day(cells.get("day") or "")) is not None
    ]
    twice = _repeated(days)
    bad_lines = {e.line for e in twice}
    return ParsedCsv(
        [(line, s) for line, s in parsed.rows if line not in bad_lines],
        parsed.sorted_errors(twice),
        parsed.records,
        named,
    )


def parse_metrics_command(text: str, today: date) -> SnapshotInput | dict[str, str]:
    """`ACCOUNT [DATE] dau=N mau=N seats=N …`: names may have spaces; the day defaults to today."""
    words = text.split()
    pairs = dict(w.split("=", 1) for w in words if "=" in w)
    rest, day = trailing_date([w for w in words if "=" not in w], today)
    name = " ".join(rest).strip("\"'")
    if not name:
        return {"account": "say which account, before the figures"}
    return validate_snapshot({"account": name, "day": day, **pairs}, today)
