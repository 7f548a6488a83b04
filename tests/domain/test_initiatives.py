"""Strategy initiatives on plain data: what the modal accepts, the order of the list, and
which reminder is owed on which day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.initiatives import (
    PAST_DUE,
    Initiative,
    InitiativeStatus,
    Reminder,
    reminder_due,
    soonest_first,
    validate_initiative,
)
from bot.domain.people import PeopleCount, Person, PersonDraft, count_people, validate_person

TODAY = date(2026, 11, 23)
AT = datetime(2026, 11, 1, tzinfo=UTC)


def initiative(id: int = 1, due: date = date(2026, 12, 10), **fields: object) -> Initiative:
    base = {
        "id": id,
        "title": "Pilot on cloud",
        "owner": "U0RYAN",
        "due": due,
        "status": InitiativeStatus.NOT_STARTED,
        "created_by": "U0RYAN",
        "created_at": AT,
        "updated_at": AT,
    }
    return Initiative.model_validate(base | fields)


def test_the_modal_values_become_an_initiative() -> None:
    draft = validate_initiative(
        {"title": " Pilot on cloud ", "owner": "U0RYAN", "due": "2026-11-23"}, TODAY
    )
    assert not isinstance(draft, dict)
    assert (draft.title, draft.owner, draft.due) == ("Pilot on cloud", "U0RYAN", TODAY)


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"title": "x", "owner": "U0RYAN", "due": "2026-11-22"}, {"due": PAST_DUE}),
        ({"title": "", "owner": "U0RYAN", "due": "2026-12-01"}, {"title": "is required"}),
        ({"title": "x", "owner": "ryan", "due": "2026-12-01"}, {"owner": "choose a person"}),
        (
            {"title": "x" * 201, "owner": "U0RYAN", "due": "2026-12-01"},
            {"title": "keep it under 200 characters"},
        ),
    ],
)
def test_bad_values_are_said_by_field(values: dict[str, str], errors: dict[str, str]) -> None:
    assert validate_initiative(values, TODAY) == errors


def test_soonest_due_first_and_same_day_in_the_order_added() -> None:
    items = [
        initiative(3, date(2027, 1, 5)),
        initiative(2, date(2026, 12, 1)),
        initiative(1, date(2026, 12, 1)),
    ]
    assert [i.id for i in soonest_first(items)] == [1, 2, 3]


DUE = date(2026, 12, 10)


@pytest.mark.parametrize(
    ("today", "sent", "owed"),
    [
        (date(2026, 12, 2), set(), None),  # eight days before: not yet
        (date(2026, 12, 3), set(), Reminder.WEEK_BEFORE),  # a week before
        (date(2026, 12, 6), set(), Reminder.WEEK_BEFORE),  # missed while down: still once
        (date(2026, 12, 6), {Reminder.WEEK_BEFORE}, None),  # sent already
        (DUE, {Reminder.WEEK_BEFORE}, None),  # the due day itself: nothing new
        (date(2026, 12, 11), {Reminder.WEEK_BEFORE}, Reminder.OVERDUE),  # the day after
        (date(2026, 12, 15), set(), Reminder.OVERDUE),  # later, never told: overdue once
        (date(2026, 12, 16), {Reminder.WEEK_BEFORE, Reminder.OVERDUE}, None),
    ],
)
def test_which_reminder_is_owed(today: date, sent: set[Reminder], owed: Reminder | None) -> None:
    assert reminder_due(initiative(due=DUE), today, sent) == owed


def test_a_done_initiative_is_reminded_of_nothing() -> None:
    done = initiative(due=DUE, status=InitiativeStatus.DONE)
    assert reminder_due(done, date(2026, 12, 3), set()) is None
    assert reminder_due(done, date(2026, 12, 11), set()) is None
    in_progress = initiative(due=DUE, status=InitiativeStatus.IN_PROGRESS)
    assert reminder_due(in_progress, date(2026, 12, 11), set()) is Reminder.OVERDUE


def test_a_person_needs_an_email_that_is_one_or_a_slack_user() -> None:
    base = {"kind": "champion", "name": "Dana Reyes", "role": "VP Engineering"}
    assert validate_person(base | {"email": "dana@example"}) == {
        "email": "write an email address like name@example.com"
    }
    assert validate_person(base | {"email": "Dana <dana@example.com>"}) == {
        "email": "write an email address like name@example.com"
    }
    assert validate_person(base) == {"email": "choose their Slack user or write their email"}
    assert validate_person(base | {"kind": "fan", "email": "dana@example.com"}) == {
        "kind": "choose champion or advocate"
    }
    good = validate_person(base | {"email": " dana@example.com "})
    assert isinstance(good, PersonDraft) and good.email == "dana@example.com"
    assert isinstance(validate_person(base | {"slack_user": "U0DANA"}), PersonDraft)


def test_people_are_counted_by_kind_as_seed_002_counts_them() -> None:
    def person(id: int, kind: str) -> Person:
        fields = {"kind": kind, "name": f"P{id}", "email": f"p{id}@example.com"}
        return Person.model_validate(
            fields | {"id": id, "account_id": 1, "added_by": "U0A", "added_at": AT}
        )

    people = [person(1, "champion"), person(2, "advocate"), person(3, "advocate")]
    assert count_people(people) == PeopleCount(champions=1, advocates=2)
    assert count_people([]) + count_people(people) == PeopleCount(1, 2)
