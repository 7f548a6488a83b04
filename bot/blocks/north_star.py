"""The north star's answers: iARR closed (seed 001)."""

from __future__ import annotations

from bot.blocks.common import Message, info_message
from bot.domain.fiscal import FiscalQuarter
from bot.domain.iarr import IarrInput


def iarr_recorded(deal: IarrInput, account: str, quarter: FiscalQuarter, total: int) -> Message:
    return info_message(
        f"Recorded {deal.amount:,} iARR ({deal.kind.value}) for *{account}* on "
        f"{deal.day.isoformat()}. {quarter.label} so far: {total:,}."
    )
