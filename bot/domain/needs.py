"""Customer needs and their rollouts (issue 15; seed 001: "proactively surface engineering
needs and obstacles", "shepherding deployment and feature rollouts … from pre-mortem to
post-mortem"; seed 002: "providing customers with updates on feedback they provide us").

Plain rules: what a need is, which are open, their order by priority, a rollout's dated
steps in order, which step is overdue. Today arrives as an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.domain.field_errors import field_errors

MAX_SUMMARY = 300
MAX_LINK = 500
URL_PATTERN = r"^https?://\S+$"
"""The tracking issue's link: http(s) and no spaces, which `link()` relies on."""


class NeedKind(StrEnum):
    NEED = "need"
    OBSTACLE = "obstacle"
    FEATURE_REQUEST = "feature request"
    BUG = "bug"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


PRIORITY_ORDER = {Priority.HIGH: 0, Priority.MEDIUM: 1, Priority.LOW: 2}


class NeedStatus(StrEnum):
    OPEN = "open"
    PLANNED = "planned"
    IN_PROGRESS = "in progress"
    SHIPPED = "shipped"
    WONT_DO = "won't do"


CLOSED = frozenset({NeedStatus.SHIPPED, NeedStatus.WONT_DO})
"""A need is open until it is shipped or will not be done: planned and in progress still
wait on us, and are what an account's open count counts."""


class Step(StrEnum):
    """A rollout's steps, in the order they happen."""

    PRE_MORTEM = "pre-mortem"
    PILOT = "pilot"
    ROLLOUT = "rollout"
    POST_MORTEM = "post-mortem"


STEPS: tuple[Step, ...] = tuple(Step)


NEED_MESSAGES = {
    "string_pattern_mismatch": {"link": "the link must be an http:// or https:// URL"},
    "string_too_long": {
        "summary": f"keep it under {MAX_SUMMARY} characters",
        "link": f"keep the link under {MAX_LINK} characters",
    },
    "enum": {"*": "choose one"},
}


class NeedDraft(BaseModel):
    """What the need modal carries."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    kind: NeedKind
    summary: str = Field(min_length=1, max_length=MAX_SUMMARY)
    link: str = Field(max_length=MAX_LINK, pattern=URL_PATTERN)
    priority: Priority


def validate_need(values: dict[str, Any]) -> NeedDraft | dict[str, str]:
    """The need, or a message per field: a link that is not an http(s) URL is refused."""
    given = {k: v for k, v in values.items() if v not in (None, "")}
    try:
        return NeedDraft.model_validate(given)
    except ValidationError as exc:
        return field_errors(exc, NEED_MESSAGES)


class RolloutStep(BaseModel):
    """One dated step of a need's rollout, and who marked it done, when."""

    model_config = ConfigDict(frozen=True)

    step: Step
    due: date
    done_by: str | None = None
    done_at: datetime | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def overdue(self, today: date) -> bool:
        """Its date has passed and it is not done."""
        return not self.done and self.due < today


class Need(NeedDraft):
    """A stored need: the draft, its status, who raised it, and its rollout's steps in order."""

    model_config = ConfigDict(extra="ignore")

    id: int
    account_id: int
    status: NeedStatus = NeedStatus.OPEN
    raised_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    steps: tuple[RolloutStep, ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED

    def step(self, step: Step) -> RolloutStep | None:
        return next((s for s in self.steps if s.step is step), None)

    def overdue_steps(self, today: date) -> list[RolloutStep]:
        return [s for s in self.steps if s.overdue(today)]


def by_priority(needs: list[Need]) -> list[Need]:
    """Open needs, high priority first, then the oldest first: what waits longest on us."""
    return sorted(
        (n for n in needs if n.is_open),
        key=lambda n: (PRIORITY_ORDER[n.priority], n.created_at, n.id),
    )


@dataclass(frozen=True)
class NeedsSummary:
    """What an account card, the weekly post and the App Home say of one account's needs."""

    open_count: int
    top: list[Need]
    """Its open needs by priority, at most TOP_NEEDS."""


TOP_NEEDS = 3


def summarize(needs: list[Need], top: int = TOP_NEEDS) -> dict[int, NeedsSummary]:
    """Per account id with at least one open need: the count and the top `top`."""
    per: dict[int, list[Need]] = {}
    for need in by_priority(needs):
        per.setdefault(need.account_id, []).append(need)
    return {a: NeedsSummary(len(found), found[:top]) for a, found in per.items()}


def overdue_steps(needs: list[Need], today: date) -> list[tuple[Need, RolloutStep]]:
    """Every overdue step of an open need, the longest overdue first."""
    found = [(n, s) for n in needs if n.is_open for s in n.overdue_steps(today)]
    return sorted(found, key=lambda pair: (pair[1].due, pair[0].id))


@dataclass(frozen=True)
class RolloutDates:
    """A rollout as the modal dated it: the steps it has, in order."""

    dates: dict[Step, date]


def validate_rollout(values: dict[str, Any]) -> RolloutDates | dict[str, str]:
    """The rollout's dates by step, or a message per field.

    Any step may be left out (a small change needs no pilot), but at least one is dated;
    each dated step must not come before the dated step before it (a pilot before its
    pre-mortem, a post-mortem before the rollout)."""
    dates: dict[Step, date] = {}
    errors: dict[str, str] = {}
    for step in STEPS:
        raw = values.get(step.value)
        if raw in (None, ""):
            continue
        try:
            dates[step] = date.fromisoformat(str(raw))
        except ValueError:
            errors[step.value] = "choose a date"
    if errors:
        return errors
    if not dates:
        return {STEPS[0].value: "date at least one step"}
    previous: tuple[Step, date] | None = None
    for step, due in dates.items():
        if previous is not None and due < previous[1]:
            errors[step.value] = (
                f"the {step.value} cannot come before the {previous[0].value} "
                f"({previous[1].isoformat()})"
            )
        previous = (step, due)
    return errors or RolloutDates(dates)


def kept_steps(
    current: tuple[RolloutStep, ...], dates: dict[Step, date]
) -> tuple[RolloutStep, ...]:
    """The rollout after its dates are set again: a step left dated keeps being done (its
    date may move), a step no longer dated is dropped, in the steps' order."""
    done = {s.step: s for s in current}
    steps = []
    for step in STEPS:
        if step not in dates:
            continue
        before = done.get(step)
        steps.append(
            RolloutStep(
                step=step,
                due=dates[step],
                done_by=before.done_by if before else None,
                done_at=before.done_at if before else None,
            )
        )
    return tuple(steps)


def status_ref(need_id: int, at: datetime) -> str:
    """The name of one status change's message to the account's channel: one per change."""
    return f"need-status:{need_id}:{at.isoformat()}"
