"""Strategic partner selection (seed 000): the decision framework a nomination records, the
success gate existing partners must meet before the team takes a new one, and how the
approvers' votes add up to a decision.

Seed 000: "the exec team will be responsible for deciding which customers meet these
criteria", and "the team will only accept new customers once existing customers show"
completions accepted, iARR realized and DAU / available developers. The figures arrive
here already aggregated (the store sums them); these rules only judge them, so the gate
and the tally are testable on plain data.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.domain.accounts import MAX_NAME
from bot.domain.field_errors import TypedForm, field_errors
from bot.domain.slack_ids import UserIds
from bot.domain.team import SLACK_USERGROUP_PATTERN

MAX_RATIONALE = 3000
"""What one Slack text input holds."""
MAX_MARKET = 80
MAX_REASON = 3000


class GatePolicy(BaseModel):
    """`[partners.gate]`: the success targets every current partner must meet (seed 000
    says "Target: TBD"; these are the team's)."""

    model_config = ConfigDict(extra="forbid")

    acceptance: float = Field(default=0.25, ge=0, le=1)
    """Completions accepted / completions shown."""
    iarr: int = Field(default=0, ge=0)
    """iARR realized (expansion or net new), at least this much and above zero: the
    default 0 asks for any realized iARR."""
    adoption: float = Field(default=0.30, ge=0)
    """Assistant DAU / available developers."""


class PartnerPolicy(BaseModel):
    """`[partners]` in the team's TOML: who decides, how many must agree, and the gate."""

    model_config = ConfigDict(extra="forbid")

    channel: str | None = None
    """Where nominations are posted; None: [team] strategic_channel."""
    approvers: UserIds = Field(default_factory=list)
    approver_usergroup: str | None = None
    """A Slack user group (S0123…) whose members approve too, read from Slack."""
    quorum: int = Field(default=1, ge=1, le=20)
    veto: bool = False
    """When true, one rejection decides."""
    gate: GatePolicy = Field(default_factory=GatePolicy)

    @field_validator("approver_usergroup")
    @classmethod
    def _usergroup_id(cls, value: str | None) -> str | None:
        if value is not None and not re.match(SLACK_USERGROUP_PATTERN, value):
            raise ValueError(f"{value} is not a Slack user group ID (S0123ABCD)")
        return value


class Level(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class State(StrEnum):
    """Where a nomination stands; every state but pending is final."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Vote(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


YES, NO = "yes", "no"


class NominationDraft(TypedForm):
    """What the nomination modal carries: seed 000's decision framework and a rationale."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")

    company: str = Field(min_length=1, max_length=MAX_NAME)
    strategic_segment: bool
    co_market: Level
    new_industry: bool
    related_market: str | None = Field(default=None, max_length=MAX_MARKET)
    vision: Level
    rationale: str = Field(min_length=1, max_length=MAX_RATIONALE)

    @field_validator("strategic_segment", "new_industry", mode="before")
    @classmethod
    def _yes_no(cls, value: Any) -> Any:
        # Only the modal's two options: pydantic would also take "on", "1" or "true".
        if value is None or isinstance(value, bool):
            return value
        if value not in (YES, NO):
            raise ValueError("choose yes or no")
        return value == YES

    @field_validator("co_market", "vision", mode="before")
    @classmethod
    def _level(cls, value: Any) -> Any:
        if value is None or isinstance(value, Level):
            return value
        if value not in tuple(Level):
            raise ValueError("choose low, medium or high")
        return value


_WORDS = {
    "string_too_long": {
        "company": f"must be at most {MAX_NAME} characters",
        "related_market": f"must be at most {MAX_MARKET} characters",
        "rationale": f"must be at most {MAX_RATIONALE:,} characters",
    },
}


def validate_nomination(values: dict[str, Any]) -> NominationDraft | dict[str, str]:
    """The draft, or the errors by field: a modal shows each next to its field. Related
    market is asked for when the company opens a new industry."""
    errors: dict[str, str] = {}
    try:
        draft = NominationDraft.model_validate(values)
    except ValidationError as exc:
        errors = field_errors(exc, _WORDS, extra="is not a field of a nomination")
        draft = None
    opens = values.get("new_industry") == YES or (draft is not None and draft.new_industry)
    market = values.get("related_market")
    if opens and not (isinstance(market, str) and market.strip()):
        errors.setdefault("related_market", "name the market it opens")
    if errors or draft is None:
        return errors
    if not draft.new_industry:
        draft = draft.model_copy(update={"related_market": None})
    return draft


def validate_reason(reason: str | None) -> str | dict[str, str]:
    """A reason (rejection or override): one to 3,000 characters."""
    text = (reason or "").strip()
    if not text:
        return {"reason": "say why"}
    if len(text) > MAX_REASON:
        return {"reason": f"must be at most {MAX_REASON:,} characters"}
    return text


@dataclass(frozen=True)
class Ballot:
    """An approver's current vote; changed until the decision."""

    approver: str
    vote: Vote
    at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class Nomination:
    """A nomination as stored, with its company's name and the votes cast so far."""

    id: int
    account_id: int
    company: str
    nominator: str
    strategic_segment: bool
    co_market: Level
    new_industry: bool
    related_market: str | None
    vision: Level
    rationale: str
    state: State
    created_at: datetime
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str | None = None
    overridden: bool = False
    """Approved while the gate was not met, with the reason given."""
    ballots: tuple[Ballot, ...] = ()

    @property
    def pending(self) -> bool:
        return self.state is State.PENDING

    def days_pending(self, today: date) -> int:
        return max(0, (today - self.created_at.date()).days)


def tally(ballots: Iterable[Ballot], quorum: int, veto: bool) -> State | None:
    """The decision the votes make, or None while they make none: `quorum` approvals
    approve; one rejection rejects with `veto`, else `quorum` rejections do."""
    votes = [b.vote for b in ballots]
    approvals, rejections = votes.count(Vote.APPROVE), votes.count(Vote.REJECT)
    if rejections and (veto or rejections >= quorum):
        return State.REJECTED
    if approvals >= quorum:
        return State.APPROVED
    return None


@dataclass(frozen=True)
class PartnerFigures:
    """One current partner's figures as of today, aggregated by the store (None: no data)."""

    account_id: int
    name: str
    shown: int | None
    accepted: int | None
    iarr: int
    """iARR realized from the account, all deals recorded."""
    assistant_dau: int | None
    available_developers: int | None


@dataclass(frozen=True)
class Criterion:
    """One of seed 000's success results for one partner, against its target."""

    key: str
    value: float | None
    """None when it cannot be measured (no completions shown, developers not set)."""
    target: float
    met: bool


@dataclass(frozen=True)
class PartnerCheck:
    figures: PartnerFigures
    criteria: tuple[Criterion, ...]

    @property
    def met(self) -> bool:
        return all(c.met for c in self.criteria)


@dataclass(frozen=True)
class Gate:
    """Whether existing partners show the results: every one must meet every target.
    With no partner yet there is nobody to wait for, and the gate is open."""

    checks: tuple[PartnerCheck, ...] = field(default_factory=tuple)
    policy: GatePolicy = field(default_factory=GatePolicy)

    @property
    def met(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def short(self) -> list[PartnerCheck]:
        """The partners that fall short."""
        return [c for c in self.checks if not c.met]


def _ratio(numerator: int | None, denominator: int | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _at_least(key: str, value: float | None, target: float) -> Criterion:
    return Criterion(key, value, target, value is not None and value >= target)


def judge_gate(partners: Iterable[PartnerFigures], policy: GatePolicy) -> Gate:
    """Each partner's acceptance, iARR realized and adoption against the targets."""
    checks = []
    for figures in partners:
        realized = figures.iarr
        criteria = (
            _at_least("acceptance", _ratio(figures.accepted, figures.shown), policy.acceptance),
            Criterion("iarr", realized, policy.iarr, realized > 0 and realized >= policy.iarr),
            _at_least(
                "adoption",
                _ratio(figures.assistant_dau, figures.available_developers),
                policy.adoption,
            ),
        )
        checks.append(PartnerCheck(figures, criteria))
    return Gate(tuple(sorted(checks, key=lambda c: (c.met, c.figures.name.casefold()))), policy)


def decision_ref(nomination_id: int) -> str:
    """The approvals post's name in the outbox, under which it is edited."""
    return f"nomination:{nomination_id}"


def nominator_dm_ref(nomination_id: int) -> str:
    """The nominator's DM of the decision: one per nomination."""
    return f"nomination-decided:{nomination_id}"
