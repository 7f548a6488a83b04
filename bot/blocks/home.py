"""The App Home tab: health, renewals, plans missing, the north star, the week's posts.

Sized for any portfolio: the worst accounts are listed, the rest counted, so the view
stays far below Slack's 100 blocks.
"""

from __future__ import annotations

from slack_sdk.models.views import View

from bot.blocks.common import (
    Block,
    channel,
    context,
    day,
    divider,
    fields_section,
    header,
    moment,
    money,
    name,
    section,
)
from bot.blocks.health import ICON, account_line
from bot.blocks.needs import portfolio_needs
from bot.blocks.okrs import measured_section
from bot.blocks.partners import pending_section
from bot.blocks.people import people_count_line
from bot.blocks.retention import retention_section
from bot.domain.health import Status
from bot.domain.home import HomeData
from bot.domain.schedule import Upcoming

ACCOUNT_LINES = 20
LIST_LINES = 10
PREVIEW_LINES = 15


def home_view(data: HomeData) -> View:
    blocks: list[Block] = [
        header("Strategic portfolio"),
        fields_section(
            [
                f"*Assistant DAU across strategic accounts*\n{data.assistant_dau:,}",
                f"*iARR closed in {data.quarter.label}*\n{money(data.iarr, data.currency)}",
            ]
        ),
        context(people_count_line(data.people) + " across the strategic accounts"),
        *_health(data),
        divider(),
        header("Renewals in the next 90 days"),
        section(_renewals(data)),
        header("Red accounts without a get-well plan"),
        section(_lines([f"*{name(i.account)}*" for i in data.red_without_plan], "None.")),
        *([divider(), *measured_section(data.quarter, data.measured)] if data.measured else []),
        *(
            [divider(), *retention_section(data.retention, data.retention_amounts, data.currency)]
            if data.retention
            else []
        ),
        *_needs(data),
        *([] if data.nominations is None else [divider(), *pending_section(data.nominations)]),
        divider(),
        header("Scheduled posts this week"),
        section(_coming(data.coming)),
    ]
    if data.sent:
        sent = [f"{moment(s.at)} · {s.job} → {channel(s.channel)}" for s in data.sent]
        blocks.append(context("Last sent: " + " · ".join(sent)))
    blocks += [
        divider(),
        context("`/strategic help` lists every command · `/strategic health ACCOUNT` for detail"),
    ]
    return View(type="home", blocks=blocks)


def _health(data: HomeData) -> list[Block]:
    if not data.items:
        return [section("No strategic accounts yet. Add one with `/strategic account add`.")]
    counts = " · ".join(
        f"{ICON[s]} {sum(1 for i in data.items if i.health.status is s)} {label}"
        for s, label in (
            (Status.RED, "red"),
            (Status.YELLOW, "yellow"),
            (Status.GREEN, "green"),
            (None, "no score"),
        )
    )
    blocks: list[Block] = [header(f"Health of {len(data.items)} accounts"), context(counts)]
    blocks += [account_line(item) for item in data.items[:ACCOUNT_LINES]]
    if len(data.items) > ACCOUNT_LINES:
        blocks.append(
            context(f"…and {len(data.items) - ACCOUNT_LINES} more; `/strategic health` lists all.")
        )
    return blocks


def _renewals(data: HomeData) -> str:
    lines = []
    for account in data.renewals:
        shown = account.arr and account.id in data.arr_shown
        arr = f" · ARR {money(account.arr, data.currency)}" if shown else ""
        lines.append(f"{day(account.contract_end)} · *{name(account)}* (tier {account.tier}){arr}")
    return _lines(lines, "No contract ends in the next 90 days.")


def _lines(lines: list[str], empty: str) -> str:
    if not lines:
        return empty
    shown = lines[:LIST_LINES]
    more = f"\n…and {len(lines) - LIST_LINES} more" if len(lines) > LIST_LINES else ""
    return "\n".join(shown) + more


def _coming(coming: list[Upcoming]) -> str:
    if not coming:
        return "Nothing is scheduled in the next seven days."
    lines = [f"{moment(u.at)} · *{u.job}* — {u.description}" for u in coming[:PREVIEW_LINES]]
    if len(coming) > PREVIEW_LINES:
        lines.append(
            f"…and {len(coming) - PREVIEW_LINES} more (`strategic-bot jobs list --next 7d`)"
        )
    return "\n".join(lines)


def _needs(data: HomeData) -> list[Block]:
    """Each account's open customer needs and the top ones (issue 15); nothing when none."""
    found = portfolio_needs(data.needs, {i.account.id: i.account for i in data.items})
    return [divider(), *found] if found else []
