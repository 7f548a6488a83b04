"""Champions and advocates: the list with its Add and Remove buttons, the Add modal, and
the count the account card and the App Home show."""

from __future__ import annotations

from slack_sdk.models.views import View

from bot.blocks.common import (
    Block,
    Message,
    actions,
    button,
    context,
    escape,
    header,
    name,
    section,
    user,
)
from bot.blocks.forms import FieldSpec, Kind, form_modal, input_block
from bot.domain.accounts import Account
from bot.domain.people import MAX_NAME, MAX_ROLE, PeopleCount, Person, PersonKind
from bot.ids import Action, Callback, PersonField
from bot.metadata import PeopleRef, PersonForm, PersonRef

PEOPLE_ADD_BLOCK = "customer_people_add"
LISTED = 45
"""People shown in one message: with the header, the count and the Add button, under 50."""

PERSON_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        PersonField.KIND,
        "Kind",
        Kind.CHOICE,
        optional=False,
        choices=((PersonKind.CHAMPION.value, "Champion"), (PersonKind.ADVOCATE.value, "Advocate")),
    ),
    FieldSpec(PersonField.NAME, "Name", Kind.TEXT, optional=False, max_length=MAX_NAME),
    FieldSpec(PersonField.ROLE, "Role", Kind.TEXT, max_length=MAX_ROLE, hint="Their job there."),
    FieldSpec(PersonField.SLACK_USER, "Slack user", Kind.USER, hint="In a shared channel."),
    FieldSpec(
        PersonField.EMAIL,
        "Email",
        Kind.TEXT,
        hint="When they are not in Slack: one of the two is needed.",
    ),
)


def people_count_line(count: PeopleCount) -> str:
    """Seed 002's two numbers, as a card or the App Home says them."""
    return f"*Champions* {count.champions} · *Advocates* {count.advocates}"


def person_line(person: Person) -> str:
    role = f", {escape(person.role)}" if person.role else ""
    reach = [user(person.slack_user)] if person.slack_user else []
    reach += [escape(person.email)] if person.email else []
    return f"*{escape(person.name)}*{role} · {person.kind.value} · {' · '.join(reach)}"


def people_message(account: Account, people: list[Person]) -> Message:
    """The list of one account, each person with Remove, and an Add button; the buttons
    are checked again when clicked (the account's owners and admins)."""
    champions = sum(1 for p in people if p.kind is PersonKind.CHAMPION)
    count = PeopleCount(champions, len(people) - champions)
    blocks: list[Block] = [
        header(f"Champions and advocates: {account.name}"),
        context(people_count_line(count)),
    ]
    if not people:
        blocks.append(section(f"No champions or advocates recorded for *{name(account)}* yet."))
    for person in people[:LISTED]:
        remove = button(
            Action.PERSON_REMOVE,
            "Remove",
            PersonRef(person_id=person.id),
            confirm={
                "title": {"type": "plain_text", "text": "Remove this person?"},
                "text": {"type": "mrkdwn", "text": "They will be taken off the account's list."},
                "confirm": {"type": "plain_text", "text": "Remove"},
                "deny": {"type": "plain_text", "text": "Cancel"},
            },
        )
        blocks.append({**section(person_line(person)), "accessory": remove})
    if len(people) > LISTED:
        blocks.append(context(f"…and {len(people) - LISTED} more."))
    add = button(Action.PEOPLE_ADD, "Add a person", PeopleRef(account_id=account.id))
    blocks.append(actions(PEOPLE_ADD_BLOCK, add))
    text = f"{name(account)}: {count.champions} champion(s), {count.advocates} advocate(s)"
    return Message(text, blocks)


def person_modal(account: Account, state: PersonForm) -> View:
    return form_modal(
        Callback.PERSON_ADD,
        "Add a person",
        state,
        [
            section(f"A champion or an advocate at *{name(account)}*."),
            *(input_block(spec) for spec in PERSON_FIELDS),
        ],
    )
