"""Retention figures of a fiscal quarter, as the App Home and the quarter-end summary
show them: each ratio with what it was computed from."""

from __future__ import annotations

from dataclasses import replace

from bot.blocks.common import Block, Message, context, fields_section, header, money
from bot.domain.retention import Retention

NONE_DECIDED = "no renewal decided"


def percent(ratio: float | None) -> str:
    if ratio is None:
        return "—"
    shown = f"{ratio * 100:.1f}".removesuffix(".0")
    return f"{shown}%"


def retention_fields(r: Retention, show_amounts: bool, currency: str) -> Block:
    """`show_amounts`: the ARR behind the ratios, only where the reader may see ARR (an
    admin's App Home; a channel when the team shows sensitive figures there); amounts in
    the team's `currency`."""
    logo = f"{r.renewed} of {r.decided} renewed" if r.decided else NONE_DECIDED
    lost = f"ARR up {money(r.arr_up, currency)}, churned {money(r.churned_arr, currency)}"
    lost += f", contraction {money(r.contraction, currency)}"
    gained = f"expansion {money(r.expansion, currency)}"
    show_amounts = show_amounts and r.decided > 0  # nothing decided: no amounts to explain
    return fields_section(
        [
            f"*Gross revenue retention*\n{percent(r.gross)}"
            + (f" ({lost})" if show_amounts else ""),
            f"*Net revenue retention*\n{percent(r.net)}" + (f" ({gained})" if show_amounts else ""),
            f"*Logo retention*\n{percent(r.logo)} ({logo})",
            f"*iARR closed*\n{money(r.iarr_closed, currency)}",
        ]
    )


def retention_section(figures: list[Retention], show_amounts: bool, currency: str) -> list[Block]:
    """Each quarter's figures under its label (the App Home: the last quarter and this)."""
    blocks: list[Block] = [header("Retention")]
    for r in figures:
        blocks += [context(f"*{r.quarter.label}* ({r.quarter.start} … {r.quarter.end})")]
        blocks.append(retention_fields(r, show_amounts, currency))
    return blocks


def retention_appended(
    message: Message, r: Retention, show_amounts: bool, currency: str
) -> Message:
    """A quarter-end summary with the quarter's retention figures after it."""
    added = [
        context(f"*Retention {r.quarter.label}*"),
        retention_fields(r, show_amounts, currency),
    ]
    return replace(message, blocks=[*message.blocks, *added])
