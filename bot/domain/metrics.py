"""Usage figures coming in (slash command, CSV, pipeline API): validated the same way.

A snapshot is one account's day: DAU, MAU, licensed seats and, when the pipeline has
them, assistant DAU and completions shown / accepted (seeds 000, 003).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.domain.accounts import name_key
from bot.domain.csv_rows import ParsedCsv, RowError, duplicates, parse_csv
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
        if self.dau > self.mau:
            raise ValueError(f"dau: {self.dau} daily users cannot exceed {self.mau} monthly users")
        if self.mau > self.seats * MAU_PER_SEAT_LIMIT:
            raise ValueError(
                f"mau: {self.mau} monthly users is more than {MAU_PER_SEAT_LIMIT} times the "
                f"{self.seats} licensed seats; check the seats"
            )
        if self.accepted is not None and (self.shown is None or self.accepted > self.shown):
            raise ValueError("accepted: more completions accepted than shown")
        if self.assistant_dau is not None and self.assistant_dau > self.mau:
            raise ValueError("assistant_dau: more assistant users than monthly users")
        return self


def validate_snapshot(values: dict[str, Any], today: date) -> SnapshotInput | dict[str, str]:
    """The snapshot, or its errors by field; a day after `today` is refused."""
    try:
        snapshot = SnapshotInput.model_validate(values)
    except ValidationError as exc:
        return field_errors(
            exc, extra="is not a metric (dau, mau, seats, assistant_dau, shown, accepted)"
        )
    if snapshot.day > today:
        return {"day": f"{snapshot.day.isoformat()} is in the future"}
    return snapshot


SNAPSHOT_COLUMNS = tuple(SnapshotInput.model_fields)
REQUIRED_SNAPSHOT_COLUMNS = ("account", "day", "dau", "mau", "seats")


def repeated_days(rows: list[tuple[int, SnapshotInput]]) -> list[RowError]:
    """The same account and day twice in one batch (a file, a request) is an error: which
    of the two should be kept is a guess."""
    return duplicates(
        rows,
        lambda s: f"{name_key(s.account)}|{s.day}",
        lambda s: f"account: {s.account} on {s.day}",
    )


def parse_metrics_csv(text: str, today: date) -> ParsedCsv[SnapshotInput]:
    """Every row validated, and no day twice."""
    parsed = parse_csv(
        text,
        SNAPSHOT_COLUMNS,
        REQUIRED_SNAPSHOT_COLUMNS,
        lambda record: validate_snapshot({k: v for k, v in record.items() if v.strip()}, today),
    )
    twice = repeated_days(parsed.rows)
    bad_lines = {e.line for e in twice}
    return ParsedCsv(
        [(line, s) for line, s in parsed.rows if line not in bad_lines],
        sorted(parsed.errors + twice, key=lambda e: e.line),
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
