"""State that rides on a modal's private_metadata or a button's value, typed both ways.

One model per modal and per button, so each carries only what it identifies. Nothing
in them is trusted beyond that: the use case reloads what they name and checks again
who may act on it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

from bot.domain.needs import NeedStatus, Step


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReplyTo(_State):
    """Where the person typed the command that opened a modal: its confirmation goes there."""

    channel_id: str | None = None
    response_url: str | None = None


class AccountForm(ReplyTo):
    """The add form (no account yet) or the edit form of one account."""

    account_id: int | None = None


class PlanForm(ReplyTo):
    account_id: int


class UpdateForm(ReplyTo):
    """The weekly update entry modal identifies nothing: the account is chosen in it, the
    author is whoever submits it, and the week is the one it is submitted in."""


class RenewForm(_State):
    """The Renewed modal, opened from the end-date message's button; the message itself is
    found from these two (its ref), not from a channel and ts the client could change."""

    account_id: int
    contract_end: date


class WeeklyPost(_State):
    """Rides on the draft's Post button: the week (its Monday) whose update it posts."""

    week: date


class WriteUpdate(_State):
    """Rides on a reminder's Write update button: it opens the entry modal, naming nothing."""


class Snooze(_State):
    """An option of a reminder's Snooze menu: when to remind again, fixed when the reminder
    was sent (tomorrow 9:00 the person's time); None for an hour after the click."""

    until: datetime | None = None


class HealthAck(_State):
    """Rides on an alert's Acknowledge button: which account, and the status it alerted."""

    account_id: int
    status: str


class JourneyDone(_State):
    """Rides on a Mark done button: the activity, and the contract it belongs to."""

    account_id: int
    contract_end: date
    activity: str


class IarrUndo(_State):
    """Rides on the Undo button of an iARR answer: the deal recorded."""

    event_id: int


class NominationForm(ReplyTo):
    """The nomination modal names nothing yet: the company is typed in it."""


class NominationRef(_State):
    """Rides on a nomination's Approve, Reject and Withdraw buttons: which nomination."""

    nomination_id: int


class NominationReason(_State):
    """The reason modal of a rejection, or of an approval that overrides the gate; the
    approvals post is found from the nomination (its ref), not from the client."""

    nomination_id: int
    vote: Literal["approve", "reject"]


class OkrForm(ReplyTo):
    """`/strategic okr add`: the key result and where it goes are typed in it."""


class CheckinRef(_State):
    """Rides on a check-in DM's Check in button: which key result, and the day the DM was
    sent (with the key result's owner it names the DM, redrawn after the check-in)."""

    key_result_id: int
    sent: date | None = None


class CheckinForm(_State):
    """The check-in modal, opened from the DM's button: the key result it moves, reloaded
    and checked again (its owner or an admin) at submit."""

    key_result_id: int
    sent: date | None = None


class PeopleRef(_State):
    """Rides on the people list's Add button: whose champions and advocates."""

    account_id: int


class PersonForm(ReplyTo):
    """The Add person modal, opened from that button: the account, checked again at submit
    (its owners or an admin); the confirmation follows the list, by its response_url."""

    account_id: int


class PersonRef(_State):
    """Rides on a person's Remove button: which person."""

    person_id: int


class InitiativeForm(ReplyTo):
    """`/strategic initiative add`: everything is typed in it."""


class InitiativeChange(_State):
    """An option of an initiative's status menu: which initiative, the status chosen, and
    whether the menu sat in the list (redrawn as the list) or in a reminder (redrawn as
    that one initiative); the status is checked against the stored one, never trusted."""

    initiative_id: int
    status: Literal["not started", "in progress", "done"]
    in_list: bool = True


class RenewalDecision(_State):
    """Rides on the Renewed / Churned buttons: the account and the contract end at stake."""

    account_id: int
    contract_end: date


class NeedForm(ReplyTo):
    """`/strategic need ACCOUNT`: the account the need is raised on, checked again at submit."""

    account_id: int


class NeedRef(_State):
    """Rides on a need card's rollout button: the need, and the account it belongs to (the
    guard decides on the account; the use case checks the need is that account's)."""

    account_id: int
    need_id: int


class NeedStatusChoice(NeedRef):
    """An option of a need card's status menu: the status it moves the need to."""

    status: NeedStatus


class StepDone(NeedRef):
    """Rides on a rollout step's Done button."""

    step: Step


class RolloutForm(ReplyTo):
    """The rollout modal, opened from a need card: the need it dates, checked again at
    submit; the card's response_url, where the confirmation goes."""

    account_id: int
    need_id: int
