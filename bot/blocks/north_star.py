"""The north star's answers: iARR closed (seed 001), with Undo for a deal typed twice."""

from __future__ import annotations

from bot.blocks.common import Block, Message, actions, button, escape, section
from bot.domain.fiscal import FiscalQuarter
from bot.domain.iarr import IarrEvent
from bot.ids import Action
from bot.metadata import IarrUndo


def _deal(event: IarrEvent) -> str:
    return (
        f"{event.amount:,} iARR ({event.kind.value}) for *{escape(event.account_name)}* "
        f"on {event.day.isoformat()}"
    )


def iarr_recorded(event: IarrEvent, quarter: FiscalQuarter, total: int) -> Message:
    text = f"Recorded {_deal(event)}. {quarter.label} so far: {total:,}."
    undo = button(Action.IARR_UNDO, "Undo", IarrUndo(event_id=event.id))
    return Message(text, [section(text), actions(Action.IARR_UNDO, undo)])


def iarr_undone(event: IarrEvent) -> list[Block]:
    return [section(f"Undone: {_deal(event)} is no longer recorded.")]
