"""Renewals: the list, the reminders, the end-date decision and its modal."""

from __future__ import annotations

from slack_sdk.models.views import View

from bot.blocks.common import (
    DEFAULT_CURRENCY,
    Block,
    Message,
    actions,
    button,
    context,
    day,
    header,
    money,
    name,
    possessive,
    section,
    user,
)
from bot.blocks.forms import FieldSpec, Kind, form_modal, input_block
from bot.blocks.health import ICON
from bot.domain.accounts import Account
from bot.domain.journey import State
from bot.domain.renewals import Renewal
from bot.ids import RENEWAL_DECISION_BLOCK, Action, Callback, RenewField
from bot.metadata import RenewalDecision, RenewForm

LIST_LIMIT = 45
RENEW_FIELDS = (FieldSpec(RenewField.NEW_END, "New contract end", Kind.DATE, optional=False),)


def _planning(state: State | None) -> str:
    return f"renewal planning {state.value}" if state else "no renewal planning on its journey"


def renewals_message(items: list[Renewal], days: int, currency: str = DEFAULT_CURRENCY) -> Message:
    title = f"Renewals in the next {days} days"
    if not items:
        return Message(title, [header(title), section("No contract ends in that window.")])
    blocks: list[Block] = [header(f"{title} ({len(items)})")]
    for item in items[:LIST_LIMIT]:
        account = item.account
        arr = f" · ARR {money(account.arr, currency)}" if account.arr and item.show_arr else ""
        blocks.append(
            section(
                f"{ICON[item.health]} *{name(account)}* · ends {day(account.contract_end)} "
                f"(in {item.days_left} days){arr}\n"
                f"AE {user(account.ae)} · TA/CE {user(account.ta_ce)} · {_planning(item.planning)}"
            )
        )
    if len(items) > LIST_LIMIT:
        blocks.append(context(f"…and {len(items) - LIST_LIMIT} more."))
    return Message(f"{title}: {len(items)}", blocks)


def renewal_reminder(item: Renewal, currency: str = DEFAULT_CURRENCY) -> Message:
    account = item.account
    arr = f" ARR {money(account.arr, currency)}." if item.show_arr and account.arr else ""
    whose = possessive(f"*{name(account)}*")
    text = (
        f":calendar: {whose} contract ends on {day(account.contract_end)}, in "
        f"{item.days_left} days.{arr} {user(account.ae)} {user(account.ta_ce)}: "
        f"{_planning(item.planning)}."
    )
    return Message(f"{name(account)}: contract ends in {item.days_left} days", [section(text)])


def renewal_decision(account: Account) -> Message:
    """On the end date: the AE says renewed (with a new end) or churned."""
    assert account.contract_end is not None
    value = RenewalDecision(account_id=account.id, contract_end=account.contract_end)
    churn_confirm = {
        "title": {"type": "plain_text", "text": "Mark as churned?"},
        "text": {"type": "mrkdwn", "text": f"{name(account)} will be marked churned."},
        "confirm": {"type": "plain_text", "text": "Churned"},
        "deny": {"type": "plain_text", "text": "Cancel"},
    }
    whose = possessive(f"*{name(account)}*")
    blocks: list[Block] = [
        section(
            f":hourglass: {whose} contract ends today ({day(account.contract_end)}). "
            f"{user(account.ae)}, did it renew?"
        ),
        actions(
            RENEWAL_DECISION_BLOCK,
            button(Action.RENEWED, "Renewed (new end date)", value, style="primary"),
            button(Action.CHURNED, "Churned", value, style="danger", confirm=churn_confirm),
        ),
    ]
    return Message(f"{possessive(name(account))} contract ends today: renewed or churned?", blocks)


def renewal_answered(account: Account, outcome: str) -> Message:
    """The end-date message of `account` (as it was asked) with its decision in place of
    the buttons: redrawn from the data, not from what a client says the message held."""
    asked = renewal_decision(account)
    return Message(asked.text, decided(asked.blocks, outcome))


def decided(blocks: list[Block], outcome: str) -> list[Block]:
    """The end-date message with its buttons replaced by what was decided."""
    kept = [b for b in blocks if b.get("block_id") != RENEWAL_DECISION_BLOCK]
    return [*kept, context(outcome)]


def renew_modal(account: Account, state: RenewForm) -> View:
    return form_modal(
        Callback.RENEW,
        "Renewed",
        state,
        [
            section(
                f"*{name(account)}* renewed. Its contract ended on {day(account.contract_end)}."
            ),
            input_block(RENEW_FIELDS[0]),
        ],
    )


def churned_outcome(user_id: str) -> str:
    return f":x: Churned, marked by {user(user_id)}."


def renewed_outcome(account: Account, user_id: str) -> str:
    return f":white_check_mark: Renewed until {day(account.contract_end)}, by {user(user_id)}."
