"""Customer needs' rules on plain data (issue 15): what a need accepts, which are open and
in what order, a rollout's dates in order, which steps are overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.needs import (
    Need,
    NeedDraft,
    NeedKind,
    NeedStatus,
    Priority,
    RolloutDates,
    RolloutStep,
    Step,
    by_priority,
    kept_steps,
    overdue_steps,
    summarize,
    validate_need,
    validate_rollout,
)

AT = datetime(2026, 11, 2, 9, tzinfo=UTC)
TODAY = date(2026, 11, 23)
VALID = {
    "kind": "feature request",
    "summary": "SSO for the assistant",
    "link": "https://tracker.example/ISSUE-12",
    "priority": "high",
}


def _need(
    need_id: int, priority: Priority, status: NeedStatus = NeedStatus.OPEN, **extra: object
) -> Need:
    fields = {
        "id": need_id,
        "account_id": 1,
        "kind": NeedKind.NEED,
        "summary": f"need {need_id}",
        "link": "https://tracker.example/1",
        "priority": priority,
        "status": status,
        "raised_by": "U0TACE",
        "created_at": AT + timedelta(days=need_id),
        "updated_by": "U0TACE",
        "updated_at": AT,
    }
    return Need.model_validate(fields | extra)


def test_a_valid_need_is_read_with_its_kind_and_priority() -> None:
    draft = validate_need(VALID | {"summary": "  SSO for the assistant  "})
    assert draft == NeedDraft(
        kind=NeedKind.FEATURE_REQUEST,
        summary="SSO for the assistant",
        link="https://tracker.example/ISSUE-12",
        priority=Priority.HIGH,
    )


def test_a_link_that_is_not_an_http_url_is_refused_next_to_the_link() -> None:
    for link in (
        "tracker.example/ISSUE-12",
        "javascript:alert(1)",
        "ftp://x.example/a",
        "https://a b",
    ):
        assert validate_need(VALID | {"link": link}) == {
            "link": "the link must be an http:// or https:// URL"
        }, link


def test_every_field_is_required_and_a_kind_must_be_known() -> None:
    errors = validate_need({"kind": "wish"})
    assert isinstance(errors, dict)
    assert errors["kind"] == "choose one"
    assert set(errors) == {"kind", "summary", "link", "priority"}


def test_open_needs_by_priority_then_the_oldest_first_closed_ones_left_out() -> None:
    needs = [
        _need(1, Priority.LOW),
        _need(2, Priority.HIGH, NeedStatus.SHIPPED),
        _need(3, Priority.MEDIUM, NeedStatus.IN_PROGRESS),
        _need(4, Priority.HIGH, NeedStatus.PLANNED),
        _need(5, Priority.HIGH),
        _need(6, Priority.LOW, NeedStatus.WONT_DO),
    ]
    assert [n.id for n in by_priority(needs)] == [4, 5, 3, 1]


def test_the_summary_counts_open_needs_per_account_and_keeps_the_top_three() -> None:
    needs = [_need(i, Priority.LOW) for i in range(1, 5)] + [
        _need(9, Priority.HIGH, account_id=2),
        _need(10, Priority.HIGH, NeedStatus.SHIPPED, account_id=3),
    ]
    summary = summarize(needs)
    assert set(summary) == {1, 2}
    assert summary[1].open_count == 4 and [n.id for n in summary[1].top] == [1, 2, 3]
    assert summary[2].open_count == 1


def test_a_rollout_in_order_with_steps_left_out() -> None:
    dated = validate_rollout({"pre-mortem": "2026-12-01", "pilot": None, "rollout": "2026-12-01"})
    assert dated == RolloutDates(
        {Step.PRE_MORTEM: date(2026, 12, 1), Step.ROLLOUT: date(2026, 12, 1)}
    )


def test_a_step_dated_before_the_one_before_it_is_refused_on_that_step() -> None:
    values = {
        "pre-mortem": "2026-12-01",
        "pilot": "2026-12-10",
        "rollout": "2026-12-05",
        "post-mortem": "2026-12-20",
    }
    assert validate_rollout(values) == {
        "rollout": "the rollout cannot come before the pilot (2026-12-10)"
    }
    # A skipped step does not hide the order: the post-mortem before the pre-mortem.
    assert validate_rollout({"pre-mortem": "2026-12-10", "post-mortem": "2026-12-01"}) == {
        "post-mortem": "the post-mortem cannot come before the pre-mortem (2026-12-10)"
    }


def test_a_rollout_needs_at_least_one_date() -> None:
    assert validate_rollout({}) == {"pre-mortem": "date at least one step"}
    assert validate_rollout({"pilot": "soon"}) == {"pilot": "choose a date"}


def test_steps_set_again_keep_being_done_and_drop_what_is_no_longer_dated() -> None:
    done = RolloutStep(step=Step.PILOT, due=date(2026, 12, 1), done_by="U0PO", done_at=AT)
    current = (RolloutStep(step=Step.PRE_MORTEM, due=date(2026, 11, 20)), done)
    kept = kept_steps(current, {Step.POST_MORTEM: date(2027, 1, 5), Step.PILOT: date(2026, 12, 2)})
    assert [s.step for s in kept] == [Step.PILOT, Step.POST_MORTEM]
    assert kept[0].done and kept[0].due == date(2026, 12, 2) and not kept[1].done


def test_an_overdue_step_is_past_its_date_and_not_done_and_only_on_open_needs() -> None:
    late = RolloutStep(step=Step.PILOT, due=TODAY - timedelta(days=1))
    today = RolloutStep(step=Step.ROLLOUT, due=TODAY)
    done = RolloutStep(step=Step.PRE_MORTEM, due=date(2026, 11, 1), done_by="U0PO", done_at=AT)
    need = _need(1, Priority.HIGH, steps=(done, late, today))
    shipped = _need(2, Priority.HIGH, NeedStatus.SHIPPED, steps=(late,))
    assert [s.step for s in need.overdue_steps(TODAY)] == [Step.PILOT]
    assert overdue_steps([need, shipped], TODAY) == [(need, late)]
