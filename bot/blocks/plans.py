"""The get-well plan modal, and the plan as a line wherever an account is shown."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.views import View

from bot.blocks.common import Message, day, escape, info_message, name, section, user
from bot.blocks.forms import FieldSpec, Kind, form_modal, input_block
from bot.domain.accounts import Account
from bot.domain.plans import MAX_PLAN, GetWellPlan
from bot.ids import Callback, PlanField
from bot.metadata import PlanForm

PLAN_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(PlanField.OWNER, "Owner", Kind.USER, optional=False),
    FieldSpec(
        PlanField.TEXT,
        "What will be done",
        Kind.TEXT,
        optional=False,
        max_length=MAX_PLAN,
        multiline=True,
        hint="The steps that bring the account back to green.",
    ),
    FieldSpec(PlanField.DUE, "Due", Kind.DATE, optional=False),
)


def plan_modal(account: Account, state: PlanForm, plan: GetWellPlan | None) -> View:
    initial = plan.model_dump() if plan else {"owner": account.ta_ce}
    return form_modal(
        Callback.PLAN,
        "Get-well plan",
        state,
        [
            section(f"*{name(account)}*"),
            *(input_block(spec, _initial(initial.get(spec.block_id))) for spec in PLAN_FIELDS),
        ],
    )


def _initial(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def plan_line(plan: GetWellPlan | None, today: date) -> str:
    """One line for cards and health answers; an overdue plan says so."""
    if plan is None:
        return "No get-well plan."
    late = " — *overdue*" if plan.due < today else ""
    return f"*Get-well plan* ({user(plan.owner)}, due {day(plan.due)}{late}): {escape(plan.text)}"


def plan_saved(plan: GetWellPlan, today: date) -> Message:
    return info_message("Saved. " + plan_line(plan, today))
