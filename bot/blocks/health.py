"""Health answers: the portfolio worst first, and one account measure by measure."""

from __future__ import annotations

from bot.blocks.common import (
    MESSAGE_BLOCKS,
    Block,
    Message,
    context,
    escape,
    fields_section,
    header,
    info_message,
    name,
    section,
)
from bot.domain.health import AccountHealth, Health, Status
from bot.domain.metrics import SnapshotInput

ICON = {
    Status.GREEN: ":large_green_circle:",
    Status.YELLOW: ":large_yellow_circle:",
    Status.RED: ":red_circle:",
    None: ":white_circle:",
}
TREND = {"better": "↗ better", "worse": "↘ worse", "same": "→ same", "new": "new"}
SPARK = {None: "▁", Status.RED: "▃", Status.YELLOW: "▆", Status.GREEN: "█"}
LIST_LIMIT = MESSAGE_BLOCKS - 4


def has_no_data(health: Health) -> bool:
    """No figure at all: not "stale" (old figures), nothing was ever recorded."""
    return health.stale and all(m.value is None for m in health.measures)


def status_label(health: Health) -> str:
    if has_no_data(health):
        return f"{ICON[None]} no data yet"
    label = health.status.label if health.status is not None else "no score yet"
    return f"{ICON[health.status]} {label}" + (" (stale data)" if health.stale else "")


def _bucket(health: Health) -> str:
    """The one group of the summary an account counts in, so the groups add up to all."""
    if has_no_data(health):
        return "no data"
    if health.stale:
        return "stale"
    return health.status.label if health.status is not None else "no score"


SUMMARY_ICONS = {
    Status.RED.label: ICON[Status.RED],
    Status.YELLOW.label: ICON[Status.YELLOW],
    Status.GREEN.label: ICON[Status.GREEN],
    "no score": ICON[None],
    "stale": ICON[None],
    "no data": ICON[None],
}


def _summary(items: list[AccountHealth]) -> str:
    """Red, yellow and green always; no score, stale and no data when any account is."""
    buckets = [_bucket(i.health) for i in items]
    shown = [
        f"{icon} {buckets.count(label)} {label}"
        for label, icon in SUMMARY_ICONS.items()
        if label in buckets or label in (s.label for s in Status)
    ]
    return " · ".join(shown)


def account_line(item: AccountHealth) -> Block:
    """Status, name, trend and the main reason: one account in a list."""
    health = item.health
    if health.reasons:
        reason = health.reasons[0]
    elif health.status is Status.GREEN:
        reason = "every measure on target"
    elif has_no_data(health):
        reason = "no usage figures recorded yet"
    else:
        reason = next((m.reason for m in health.measures if m.value is not None), "")
    line = f"{status_label(health)} *{name(item.account)}* · {TREND[item.trend]}"
    return section(f"{line}\n{reason}")


def portfolio_message(items: list[AccountHealth]) -> Message:
    if not items:
        return Message("No strategic accounts yet.", [section("No strategic accounts yet.")])
    summary = _summary(items)
    blocks: list[Block] = [header("Portfolio health"), context(summary)]
    blocks += [account_line(item) for item in items[:LIST_LIMIT]]
    if len(items) > LIST_LIMIT:
        blocks.append(context(f"…and {len(items) - LIST_LIMIT} more, healthier accounts."))
    return Message(f"Portfolio health: {summary}", blocks)


def account_health_message(item: AccountHealth, plan: str) -> Message:
    """Each measure: value, target, verdict and its line over the last 12 weeks.

    `plan` is the get-well plan as mrkdwn, from `plan_line`."""
    health = item.health
    lines = []
    for index, measure in enumerate(health.measures):
        spark = "".join(SPARK[week.measures[index].status] for week in item.weekly or [])
        value = f"{measure.value:.0%}" if measure.value is not None else "—"
        target = f"target {measure.threshold.green:.0%}"
        # No code span: Slack would draw the line in red monospace, the demo with backticks.
        lines.append(f"*{measure.label}*\n{ICON[measure.status]} {value} ({target}) {spark}")
    blocks: list[Block] = [
        header(f"{item.account.name}: health"),
        section(
            f"{status_label(health)}{f' since {item.since.isoformat()}' if item.since else ''}"
            f" · {TREND[item.trend]} against last week"
        ),
        fields_section(lines),
        context("Last 12 weeks, oldest first: ▁ no score · ▃ red · ▆ yellow · █ green"),
    ]
    if health.reasons:
        blocks.append(section("*Why*\n" + "\n".join(f"• {r}" for r in health.reasons)))
    blocks.append(section(plan))
    return Message(f"{name(item.account)}: {status_label(health)}", blocks)


def metrics_recorded(snapshot: SnapshotInput) -> Message:
    figures = f"DAU {snapshot.dau:,}, MAU {snapshot.mau:,}, seats {snapshot.seats:,}"
    account = escape(snapshot.account)  # as typed: the figures echo it back
    return info_message(f"Recorded *{account}* for {snapshot.day.isoformat()}: {figures}.")
