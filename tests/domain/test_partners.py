"""Partner selection's rules on plain data: the framework's validation, the success gate,
and how votes add up to a decision (seed 000)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from bot.domain.partners import (
    Ballot,
    GatePolicy,
    Level,
    Nomination,
    PartnerFigures,
    PartnerPolicy,
    State,
    Vote,
    judge_gate,
    tally,
    validate_nomination,
    validate_reason,
)

AT = datetime(2026, 11, 23, 9, tzinfo=UTC)
FILLED = {
    "company": "  Tailspin Airlines ",
    "strategic_segment": "yes",
    "co_market": "high",
    "new_industry": "yes",
    "related_market": "Aviation",
    "vision": "medium",
    "rationale": "Largest carrier",
}


def test_a_filled_framework_is_a_draft() -> None:
    draft = validate_nomination(FILLED)
    assert not isinstance(draft, dict)
    assert draft.company == "Tailspin Airlines"
    assert (draft.strategic_segment, draft.new_industry) == (True, True)
    assert (draft.co_market, draft.vision, draft.related_market) == (
        Level.HIGH,
        Level.MEDIUM,
        "Aviation",
    )


def test_no_new_industry_keeps_no_related_market() -> None:
    draft = validate_nomination(FILLED | {"new_industry": "no", "strategic_segment": "no"})
    assert not isinstance(draft, dict)
    assert (draft.new_industry, draft.strategic_segment, draft.related_market) == (
        False,
        False,
        None,
    )


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"company": ""}, {"company": "is required"}),
        ({"rationale": "   "}, {"rationale": "is required"}),
        ({"strategic_segment": None}, {"strategic_segment": "is required"}),
        ({"strategic_segment": "true"}, {"strategic_segment": "choose yes or no"}),
        ({"co_market": "extreme"}, {"co_market": "choose low, medium or high"}),
        ({"vision": None}, {"vision": "is required"}),
        ({"related_market": ""}, {"related_market": "name the market it opens"}),
        ({"company": "x" * 81}, {"company": "must be at most 80 characters"}),
        ({"rationale": "x" * 3001}, {"rationale": "must be at most 3,000 characters"}),
        ({"related_market": "x" * 81}, {"related_market": "must be at most 80 characters"}),
        ({"tier": "1"}, {"tier": "is not a field of a nomination"}),
        (
            {"new_industry": None, "related_market": None},
            {"new_industry": "is required"},
        ),
    ],
)
def test_what_is_missing_or_wrong_is_said_by_field(
    change: dict[str, str | None], errors: dict[str, str]
) -> None:
    assert validate_nomination(FILLED | change) == errors


def test_every_missing_field_at_once() -> None:
    assert validate_nomination({}) == dict.fromkeys(
        ("company", "strategic_segment", "co_market", "new_industry", "vision", "rationale"),
        "is required",
    )


def test_a_reason_is_needed_and_bounded() -> None:
    assert validate_reason(" Too early ") == "Too early"
    assert validate_reason(None) == {"reason": "say why"}
    assert validate_reason("  ") == {"reason": "say why"}
    assert validate_reason("x" * 3001) == {"reason": "must be at most 3,000 characters"}


def _ballots(*votes: tuple[str, Vote]) -> list[Ballot]:
    return [Ballot(who, vote, AT) for who, vote in votes]


A, R = Vote.APPROVE, Vote.REJECT


@pytest.mark.parametrize(
    ("votes", "quorum", "veto", "expected"),
    [
        ((), 1, False, None),
        ((("U1", A),), 1, False, State.APPROVED),
        ((("U1", R),), 1, False, State.REJECTED),
        ((("U1", A),), 2, False, None),
        ((("U1", A), ("U2", A)), 2, False, State.APPROVED),
        ((("U1", R),), 2, False, None),  # without veto one rejection of two needed decides nothing
        ((("U1", R), ("U2", A)), 2, False, None),
        ((("U1", R), ("U2", R)), 2, False, State.REJECTED),
        ((("U1", A), ("U2", R)), 2, True, State.REJECTED),  # veto: one rejection decides
        ((("U1", R),), 3, True, State.REJECTED),
        ((("U1", A), ("U2", A), ("U3", R)), 2, True, State.REJECTED),
    ],
)
def test_tally(
    votes: tuple[tuple[str, Vote], ...], quorum: int, veto: bool, expected: State | None
) -> None:
    assert tally(_ballots(*votes), quorum, veto) is expected


def _figures(**change: object) -> PartnerFigures:
    base: dict[str, object] = {
        "account_id": 1,
        "name": "Acme",
        "shown": 1000,
        "accepted": 250,
        "iarr": 1,
        "assistant_dau": 30,
        "available_developers": 100,
    }
    return PartnerFigures(**(base | change))  # type: ignore[arg-type]


def test_a_partner_exactly_at_every_target_meets_the_gate() -> None:
    gate = judge_gate([_figures()], GatePolicy())
    assert gate.met and gate.short == []
    [check] = gate.checks
    assert [(c.key, c.value, c.met) for c in check.criteria] == [
        ("acceptance", 0.25, True),
        ("iarr", 1, True),
        ("adoption", 0.30, True),
    ]


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        ({"accepted": 249}, "acceptance"),
        ({"shown": None, "accepted": None}, "acceptance"),  # no data is not met
        ({"shown": 0, "accepted": 0}, "acceptance"),
        ({"iarr": 0}, "iarr"),  # the default target asks for any realized iARR
        ({"assistant_dau": 29}, "adoption"),
        ({"available_developers": None}, "adoption"),
        ({"assistant_dau": None}, "adoption"),
    ],
)
def test_one_measure_short_fails_the_gate(change: dict[str, object], failing: str) -> None:
    gate = judge_gate([_figures(), _figures(account_id=2, name="Globex", **change)], GatePolicy())
    assert not gate.met
    [short] = gate.short
    assert short.figures.name == "Globex"
    assert [c.key for c in short.criteria if not c.met] == [failing]
    assert gate.checks[0] is short  # those short first


def test_an_iarr_target_asks_for_that_much() -> None:
    policy = GatePolicy(iarr=100_000)
    assert not judge_gate([_figures(iarr=99_999)], policy).met
    assert judge_gate([_figures(iarr=100_000)], policy).met


def test_no_partner_yet_leaves_the_gate_open() -> None:
    gate = judge_gate([], GatePolicy())
    assert gate.met and gate.checks == ()


def test_the_policy_defaults_and_its_limits() -> None:
    policy = PartnerPolicy()
    assert (policy.quorum, policy.veto, policy.approvers, policy.channel) == (1, False, [], None)
    assert (policy.gate.acceptance, policy.gate.iarr, policy.gate.adoption) == (0.25, 0, 0.30)
    with pytest.raises(ValidationError, match="not a Slack user group ID"):
        PartnerPolicy(approver_usergroup="execs")
    with pytest.raises(ValidationError, match="not Slack user IDs"):
        PartnerPolicy(approvers=["pat"])
    with pytest.raises(ValidationError):
        PartnerPolicy(quorum=0)
    with pytest.raises(ValidationError):
        GatePolicy(acceptance=1.5)
    with pytest.raises(ValidationError):
        PartnerPolicy.model_validate({"gate": {"accept": 0.2}})


def test_days_pending_count_from_the_nomination_day() -> None:
    nomination = Nomination(
        id=1,
        account_id=1,
        company="Tailspin",
        nominator="U0NOM",
        strategic_segment=True,
        co_market=Level.LOW,
        new_industry=False,
        related_market=None,
        vision=Level.LOW,
        rationale="Fit",
        state=State.PENDING,
        created_at=AT,
    )
    assert nomination.days_pending(date(2026, 11, 23)) == 0
    assert nomination.days_pending(date(2026, 11, 30)) == 7
    assert nomination.days_pending(date(2026, 11, 1)) == 0
