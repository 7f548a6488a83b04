"""OKRs by fiscal quarter (seed 004): objectives per team, key results with a start, a
target, a current value and a status, and the key results the bot measures itself.

Plain rules over plain data: a quarter's name read and checked against the fiscal
calendar, a file's contents (already parsed from YAML by the start-up layer) validated
with every problem located (`teams[0].objectives[1].key_results[2]: target is missing`),
progress and status judged, and the measured key results computed from facts the
services gather as of today — never stored, so they cannot go stale.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from bot.domain.accounts import name_key
from bot.domain.fiscal import FiscalQuarter, fiscal_quarter
from bot.domain.health import Status as Health
from bot.domain.slack_ids import SLACK_USER_PATTERN

MEASURED_TEAM = "Strategic"
"""The team whose quarter always shows the measured key results, imported or not."""
MAX_TITLE = 300
MAX_TEAM = 80
MAX_UNIT = 40
MAX_NOTE = 2000
ON_TRACK_SLACK = 0.9
"""On track while progress is at least this share of the quarter's time gone by…"""
AT_RISK_SLACK = 0.6
"""…at risk down to this share of it; below, off track."""

_QUARTER = re.compile(r"^FY(\d{2})-Q(\d+)$", re.IGNORECASE)
_SHAPED = re.compile(r"^FY\d+-Q\d+$", re.IGNORECASE)


class Status(StrEnum):
    ON_TRACK = "on track"
    AT_RISK = "at risk"
    OFF_TRACK = "off track"
    DONE = "done"


class Measure(StrEnum):
    """What the bot measures itself (issue 14), by the name a file binds a key result to."""

    SUCCESS_PLANS = "success_plans"
    RED_WITH_PLAN = "red_with_plan"
    HEALTH_SCORES = "health_scores"
    LOGO_RETENTION = "logo_retention"
    IARR = "iarr"


MEASURED_TITLES = {
    Measure.SUCCESS_PLANS: "Every strategic account has a success plan defined",
    Measure.RED_WITH_PLAN: "Every red account has a get-well plan defined",
    Measure.HEALTH_SCORES: "100% of accounts are given a health score",
    Measure.LOGO_RETENTION: "100% logo retention on this quarter's renewals",
    Measure.IARR: "iARR closed this quarter",
}
SHARES = frozenset(MEASURED_TITLES) - {Measure.IARR}
"""Measures that are a share of something, in percent: their target is 100."""


# ---------------------------------------------------------------- quarters


def looks_like_quarter(text: str) -> bool:
    """Written like a quarter (`FY22-Q5` too): what a command reads as its QUARTER."""
    return bool(_SHAPED.match(text.strip()))


def parse_quarter(text: str, start_month: int = 2) -> FiscalQuarter | None:
    """The quarter written `FY27-Q4` (any case), or None when there is no such quarter."""
    found = _QUARTER.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 4:
        return None
    year, quarter = 2000 + int(found.group(1)), int(found.group(2))
    # FY27 ends in 2027: a year starting in February began in 2026, one in January in 2027.
    first_year = year - 1 if start_month > 1 else year
    months = start_month - 1 + (quarter - 1) * 3
    return fiscal_quarter(date(first_year + months // 12, months % 12 + 1, 1), start_month)


def quarter_elapsed(quarter: FiscalQuarter, today: date) -> float:
    """How much of the quarter has gone by on `today` (its last day counts whole)."""
    length = (quarter.end - quarter.start).days + 1
    gone = (today - quarter.start).days + 1
    return min(1.0, max(0.0, gone / length))


def team_key(team: str) -> str:
    """Teams are matched ignoring case and spacing, as account names are."""
    return name_key(team)


def split_okr_args(rest: str) -> tuple[str | None, str | None]:
    """`[TEAM] [QUARTER]`: a word written like a quarter is the quarter (the last such, first
    or last in the line), the rest the team, which may have spaces:
    `Customer Engineering FY22-Q2`."""
    words = rest.split()
    quarters = [w for w in words if looks_like_quarter(w)]
    quarter = quarters[-1] if quarters else None
    if quarter is not None:
        del words[len(words) - 1 - words[::-1].index(quarter)]
    return (" ".join(words) or None), quarter


# ---------------------------------------------------------------- numbers and status


def as_number(value: Any) -> float | None:
    """A finite number from a file or a form (`1,000` and `3.5` read; true/false do not)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and "_" not in value:  # float() would read 1_000
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def progress(start: float, target: float | None, current: float | None) -> float | None:
    """From start (0) to target (1), clipped; a target below the start (fewer incidents)
    counts down. None when there is no target or nothing measured yet."""
    if target is None or current is None:
        return None
    if target == start:
        return 1.0 if current == target else 0.0
    return min(1.0, max(0.0, (current - start) / (target - start)))


def judge(share: float | None, elapsed: float) -> Status | None:
    """A measured key result's status: done at its target, else by its progress against
    the quarter's time gone by. None when there is nothing to judge yet."""
    if share is None:
        return None
    if share >= 1.0:
        return Status.DONE
    if share >= elapsed * ON_TRACK_SLACK:
        return Status.ON_TRACK
    if share >= elapsed * AT_RISK_SLACK:
        return Status.AT_RISK
    return Status.OFF_TRACK


# ---------------------------------------------------------------- what is stored and shown


@dataclass(frozen=True)
class KeyResult:
    """A key result as shown: typed in and checked in, or measured by the bot (`measure`)."""

    id: int | None
    """None for a built-in measured key result: it is computed, never stored."""
    title: str
    owner: str | None
    start: float
    target: float | None
    """None: the built-in iARR has no target of its own."""
    current: float | None
    """None: nothing to measure yet (no renewal decided this quarter)."""
    unit: str
    status: Status | None
    measure: Measure | None = None
    detail: str | None = None
    """What a measured value counts ("3 of 4 accounts")."""

    @property
    def measured(self) -> bool:
        return self.measure is not None

    @property
    def share(self) -> float | None:
        return progress(self.start, self.target, self.current)


@dataclass(frozen=True)
class Objective:
    title: str
    key_results: list[KeyResult]


@dataclass(frozen=True)
class TeamOkrs:
    team: str
    objectives: list[Objective]

    def key_results(self) -> list[KeyResult]:
        return [kr for o in self.objectives for kr in o.key_results]


@dataclass(frozen=True)
class QuarterOkrs:
    quarter: FiscalQuarter
    teams: list[TeamOkrs]

    def key_results(self) -> list[KeyResult]:
        return [kr for t in self.teams for kr in t.key_results()]

    def counts(self) -> dict[Status | None, int]:
        """How many key results stand at each status (None: not judged yet)."""
        found: dict[Status | None, int] = {}
        for kr in self.key_results():
            found[kr.status] = found.get(kr.status, 0) + 1
        return found


@dataclass(frozen=True)
class StoredKeyResult:
    """A stored key result with where it belongs: its objective, team and quarter."""

    key_result: KeyResult
    objective: str
    team: str
    quarter: str


@dataclass(frozen=True)
class Checkin:
    at: datetime
    author: str
    value: float
    status: Status
    note: str | None = None


# ---------------------------------------------------------------- measured key results


@dataclass(frozen=True)
class AccountFacts:
    """One active account as the measures see it."""

    has_success_plan: bool
    health: Health | None
    has_get_well_plan: bool


@dataclass(frozen=True)
class MeasureFacts:
    """Everything the measures read, gathered by the services as of today."""

    accounts: list[AccountFacts]
    renewed: int
    """Renewals decided "renewed" for contracts ending this quarter."""
    churned: int
    iarr: int
    """iARR closed this quarter."""


@dataclass(frozen=True)
class Reading:
    value: float | None
    detail: str


def _share(part: int, whole: int, of: str) -> Reading:
    if whole == 0:
        return Reading(None, f"no {of} yet")
    return Reading(100.0 * part / whole, f"{part} of {whole} {of}")


def read(measure: Measure, facts: MeasureFacts) -> Reading:
    """The measure's value as of the facts: a share in percent, or iARR closed."""
    accounts = facts.accounts
    if measure is Measure.SUCCESS_PLANS:
        return _share(sum(a.has_success_plan for a in accounts), len(accounts), "accounts")
    if measure is Measure.RED_WITH_PLAN:
        red = [a for a in accounts if a.health is Health.RED]
        if not red:
            return Reading(100.0, "no red accounts")
        return _share(sum(a.has_get_well_plan for a in red), len(red), "red accounts")
    if measure is Measure.HEALTH_SCORES:
        scored = sum(a.health is not None for a in accounts)
        return _share(scored, len(accounts), "accounts")
    if measure is Measure.LOGO_RETENTION:
        decided = facts.renewed + facts.churned
        return _share(facts.renewed, decided, "renewals decided")
    return Reading(float(facts.iarr), "closed this quarter")


def measured_key_results(facts: MeasureFacts, elapsed: float) -> list[KeyResult]:
    """The built-in key results, in the order of `Measure`."""
    found = []
    for measure in Measure:
        reading = read(measure, facts)
        target = 100.0 if measure in SHARES else None
        share = progress(0.0, target, reading.value)
        found.append(
            KeyResult(
                id=None,
                title=MEASURED_TITLES[measure],
                owner=None,
                start=0.0,
                target=target,
                current=reading.value,
                unit=unit_of(measure),
                status=judge(share, elapsed),
                measure=measure,
                detail=reading.detail,
            )
        )
    return found


def unit_of(measure: Measure) -> str:
    return "%" if measure in SHARES else "iARR"


def bound(kr: KeyResult, facts: MeasureFacts, elapsed: float) -> KeyResult:
    """An imported key result bound to a measure: its value is the bot's, as of today."""
    if kr.measure is None:
        return kr
    reading = read(kr.measure, facts)
    share = progress(kr.start, kr.target, reading.value)
    return KeyResult(
        kr.id,
        kr.title,
        kr.owner,
        kr.start,
        kr.target,
        reading.value,
        kr.unit,
        judge(share, elapsed),
        kr.measure,
        reading.detail,
    )


# ---------------------------------------------------------------- the file and the forms


@dataclass(frozen=True)
class KeyResultDraft:
    title: str
    owner: str
    start: float
    target: float
    unit: str = ""
    measure: Measure | None = None


@dataclass(frozen=True)
class ObjectiveDraft:
    title: str
    key_results: list[KeyResultDraft]


@dataclass(frozen=True)
class TeamDraft:
    team: str
    objectives: list[ObjectiveDraft]


@dataclass(frozen=True)
class OkrFile:
    quarter: FiscalQuarter
    teams: list[TeamDraft]

    def key_result_count(self) -> int:
        return sum(len(o.key_results) for t in self.teams for o in t.objectives)


KEY_RESULT_FIELDS = ("title", "owner", "start", "target", "unit", "measure")
_MEASURES = ", ".join(m.value for m in Measure)


def _text(values: Mapping[str, Any], key: str, limit: int, errors: dict[str, str]) -> str | None:
    value = values.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        errors[key] = f"{key} is missing"
        return None
    if not isinstance(value, str):
        errors[key] = f"{key} must be text"
        return None
    text = " ".join(value.split())
    if len(text) > limit:
        errors[key] = f"{key} must be at most {limit} characters"
        return None
    return text


def _number(values: Mapping[str, Any], key: str, errors: dict[str, str]) -> float | None:
    value = values.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        errors[key] = f"{key} is missing"
        return None
    number = as_number(value)
    if number is None:
        errors[key] = f"{key} must be a number, like 100 or 2.5"
    return number


def validate_key_result(values: Mapping[str, Any]) -> KeyResultDraft | dict[str, str]:
    """A key result from a file's mapping or a form's fields, or a sentence per field.

    `start` may be left out (0); `unit` and `measure` are optional."""
    errors: dict[str, str] = {}
    for key in values:
        if key not in KEY_RESULT_FIELDS:
            errors[str(key)] = (
                f"{key} is not a field; the fields are {', '.join(KEY_RESULT_FIELDS)}"
            )
    title = _text(values, "title", MAX_TITLE, errors)
    owner = values.get("owner")
    if owner is None or owner == "":
        errors["owner"] = "owner is missing"
    elif not isinstance(owner, str) or not re.match(SLACK_USER_PATTERN, owner.strip()):
        errors["owner"] = f"owner {owner} is not a Slack user ID (U0123ABCD)"
    start = 0.0 if values.get("start") in (None, "") else _number(values, "start", errors)
    target = _number(values, "target", errors)
    unit = values.get("unit") or ""
    if not isinstance(unit, str) or len(unit) > MAX_UNIT:
        errors["unit"] = f"unit must be text of at most {MAX_UNIT} characters"
    measure = values.get("measure")
    if measure not in (None, "") and measure not in {m.value for m in Measure}:
        errors["measure"] = f"measure {measure} is not one the bot knows; use {_MEASURES}"
    if errors or title is None or start is None or target is None:
        return errors
    return KeyResultDraft(
        title=title,
        owner=str(owner).strip(),
        start=start,
        target=target,
        unit=" ".join(str(unit).split()),
        measure=Measure(measure) if measure else None,
    )


@dataclass
class _Problems:
    found: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.found.append(f"{where}: {message}" if where else message)


def _listed(values: Mapping[str, Any], key: str, where: str, problems: _Problems) -> list[Any]:
    items = values.get(key)
    if items is None:
        problems.add(where, f"{key} is missing")
        return []
    if not isinstance(items, list) or not items:
        problems.add(where, f"{key} must be a list with at least one entry")
        return []
    return items


def _mapping(value: Any, where: str, problems: _Problems, allowed: tuple[str, ...]) -> bool:
    if not isinstance(value, dict):
        problems.add(where, f"must be a mapping with {', '.join(allowed)}")
        return False
    for key in value:
        if key not in allowed:
            problems.add(where, f"{key} is not a field; the fields are {', '.join(allowed)}")
    return True


def _title(values: Mapping[str, Any], key: str, limit: int, where: str, p: _Problems) -> str | None:
    errors: dict[str, str] = {}
    text = _text(values, key, limit, errors)
    for message in errors.values():
        p.add(where, message)
    return text


def validate_okr_file(data: Any, start_month: int = 2) -> OkrFile | list[str]:
    """The quarter's OKRs from a file's contents, or every problem, each saying where
    (`teams[0].objectives[1].key_results[2]: target is missing`). A team, an objective
    in its team or a key result in its objective named twice is a problem too: a second
    import finds each again by its name."""
    problems = _Problems()
    if not _mapping(data, "", problems, ("quarter", "teams")):
        return problems.found
    quarter = None
    written = data.get("quarter")
    if written is None:
        problems.add("quarter", "quarter is missing; write it like FY27-Q4")
    elif not isinstance(written, str) or parse_quarter(written, start_month) is None:
        problems.add("quarter", f"{written} is not a quarter; write it like FY27-Q4 (Q1 to Q4)")
    else:
        quarter = parse_quarter(written, start_month)
    teams: list[TeamDraft] = []
    seen_teams: dict[str, int] = {}
    for t, team in enumerate(_listed(data, "teams", "", problems)):
        where = f"teams[{t}]"
        if not _mapping(team, where, problems, ("team", "objectives")):
            continue
        team_name = _title(team, "team", MAX_TEAM, where, problems)
        if team_name is not None:
            first = seen_teams.setdefault(team_key(team_name), t)
            if first != t:
                problems.add(where, f"team {team_name} is already teams[{first}]")
        objectives = _objectives(team, where, problems)
        if team_name is not None:
            teams.append(TeamDraft(team_name, objectives))
    if problems.found or quarter is None:
        return problems.found
    return OkrFile(quarter, teams)


def _objectives(team: Mapping[str, Any], at: str, problems: _Problems) -> list[ObjectiveDraft]:
    objectives = []
    seen: dict[str, int] = {}
    for o, objective in enumerate(_listed(team, "objectives", at, problems)):
        where = f"{at}.objectives[{o}]"
        if not _mapping(objective, where, problems, ("objective", "key_results")):
            continue
        title = _title(objective, "objective", MAX_TITLE, where, problems)
        if title is not None:
            first = seen.setdefault(title.casefold(), o)
            if first != o:
                problems.add(where, f"objective {title} is already {at}.objectives[{first}]")
        key_results = []
        titles: dict[str, int] = {}
        for k, values in enumerate(_listed(objective, "key_results", where, problems)):
            here = f"{where}.key_results[{k}]"
            if not isinstance(values, dict):
                problems.add(here, f"must be a mapping with {', '.join(KEY_RESULT_FIELDS)}")
                continue
            draft = validate_key_result(values)
            if isinstance(draft, dict):
                for message in draft.values():
                    problems.add(here, message)
                continue
            first = titles.setdefault(draft.title.casefold(), k)
            if first != k:
                problems.add(here, f"key result {draft.title} is already key_results[{first}]")
            key_results.append(draft)
        if title is not None:
            objectives.append(ObjectiveDraft(title, key_results))
    return objectives


@dataclass(frozen=True)
class NewKeyResult:
    """`/strategic okr add`: a key result and where it goes."""

    quarter: FiscalQuarter
    team: str
    objective: str
    key_result: KeyResultDraft


def validate_new_key_result(
    values: Mapping[str, str | None], start_month: int = 2
) -> NewKeyResult | dict[str, str]:
    """The add form's fields (team, quarter, objective and a key result's), or a
    sentence per field."""
    errors: dict[str, str] = {}
    team = _text(values, "team", MAX_TEAM, errors)
    objective = _text(values, "objective", MAX_TITLE, errors)
    written = (values.get("quarter") or "").strip()
    quarter = parse_quarter(written, start_month)
    if quarter is None:
        errors["quarter"] = f"{written or 'nothing'} is not a quarter; write it like FY27-Q4"
    kr_values = {k: v for k, v in values.items() if k in KEY_RESULT_FIELDS}
    draft = validate_key_result(kr_values)
    if isinstance(draft, dict):
        errors |= draft
    if errors or team is None or objective is None or quarter is None:
        return errors
    assert isinstance(draft, KeyResultDraft)
    return NewKeyResult(quarter, team, objective, draft)


@dataclass(frozen=True)
class CheckinDraft:
    value: float
    status: Status
    note: str | None


def validate_checkin(values: Mapping[str, str | None]) -> CheckinDraft | dict[str, str]:
    """The check-in form: a number, one of the statuses, an optional note."""
    errors: dict[str, str] = {}
    raw = (values.get("value") or "").strip()
    value = as_number(raw) if raw else None
    if not raw:
        errors["value"] = "the value is missing"
    elif value is None:
        errors["value"] = f"{raw} is not a number; write it like 42 or 3.5"
    status = values.get("status")
    if status not in {s.value for s in Status}:
        errors["status"] = "choose a status"
    note = (values.get("note") or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        errors["note"] = f"keep it under {MAX_NOTE} characters"
    if errors or value is None or status is None:
        return errors
    return CheckinDraft(value, Status(status), note)


def parse_key_result_ref(text: str) -> int | None:
    """`okr history KR`: the number `/strategic okr` shows (`12`, `#12` or `KR12`)."""
    found = re.fullmatch(r"(?:kr)?\s*#?\s*(\d{1,9})", text.strip(), re.IGNORECASE)
    return int(found.group(1)) if found else None


# ---------------------------------------------------------------- the quarter's end


@dataclass(frozen=True)
class SummaryLine:
    """A key result at the quarter's end, and its value at the first check-in."""

    key_result: KeyResult
    first: float | None
    """The value of the first check-in; None when nobody checked in (or it is measured)."""

    @property
    def change(self) -> float | None:
        if self.first is None or self.key_result.current is None:
            return None
        return self.key_result.current - self.first


def checkin_dm_ref(sent: date, owner: str) -> str:
    """The name of the check-in DM sent to `owner` on `sent`: posted once, redrawn after
    each of their check-ins."""
    return f"okr-checkins:{sent}:{owner}"


def is_quarter_end(day: date, start_month: int = 2) -> bool:
    """Whether `day` is the last day of its fiscal quarter: cron cannot say "the last
    day of a fiscal quarter", so the summary job runs daily and asks this."""
    return fiscal_quarter(day, start_month).end == day


@dataclass(frozen=True)
class TeamSummary:
    """One team's quarter at its end: each objective with its key results' lines."""

    team: str
    objectives: list[tuple[str, list[SummaryLine]]]
