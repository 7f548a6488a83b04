"""The weekly update's post (issue 11): its name in the outbox, and when its draft and its
automatic posting fall due in a week.

The post is named `weekly-update:{week}`; the outbox keys it `post:weekly-update:{week}`,
so the EM's click, a double click and the automatic post make one post between them, and
the reminders (which stop once it is queued) look it up by the same name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.domain.accounts import Account
from bot.domain.health import Status
from bot.domain.needs import Need, NeedsSummary, RolloutStep
from bot.domain.okrs import QuarterOkrs
from bot.domain.partners import Nomination
from bot.domain.renewals import Renewal
from bot.domain.updates import UpdateEntry, UpdatePolicy, Week

RENEWALS_WITHIN = 90
"""The post names the renewals due within this many days."""
CHART_WEEKS = 12
"""The chart of assistant DAU covers this many weeks, the post's week the last."""


def post_ref(week: Week) -> str:
    """The name of the week's post in the channel."""
    return f"weekly-update:{week}"


def reply_ref(week: Week, account_id: int | None) -> str:
    """The name of an account's reply in the post's thread (None: the team-wide entries),
    so a late or edited entry redraws it in place."""
    return f"{post_ref(week)}:account:{'team-wide' if account_id is None else account_id}"


def replies_prefix(week: Week) -> str:
    """What every account reply's name of the week starts with."""
    return f"{post_ref(week)}:account:"


def chart_filename(week: Week) -> str:
    """Unique per week: the chart is uploaded once, and a retry finds it by this name."""
    return f"assistant-dau-{week}.png"


def draft_ref(week: Week) -> str:
    """The name of the week's draft DM to the EM: sent once, redrawn when posted."""
    return f"weekly-draft:{week}"


def autoposted_ref(week: Week) -> str:
    """The name of the EM's notice that the bot posted the week's update itself: once."""
    return f"weekly-autoposted:{week}"


def _at(week: Week, weekday: int, clock: time) -> datetime:
    return datetime.combine(week.monday + timedelta(days=weekday), clock)


def draft_due(policy: UpdatePolicy, week: Week, now: datetime) -> bool:
    """Whether the week's draft is due by `now` (naive, team time): from draft_weekday at
    draft_time to the week's end, so a run after downtime still sends it."""
    return now >= _at(week, policy.draft_weekday, policy.draft_time)


def autopost_due(policy: UpdatePolicy, week: Week, now: datetime) -> bool:
    """Whether the bot posts the week's update itself by `now` (naive, team time): on the
    draft's day at autopost_time, never when autopost_time is off."""
    if policy.autopost_time is None:
        return False
    return now >= _at(week, policy.draft_weekday, policy.autopost_time)


@dataclass(frozen=True)
class WeeklyDau:
    """One week of the chart: the strategic accounts' assistant DAU added up per day, then
    averaged over the days that have figures (None: no figures that week)."""

    week: Week
    dau: float | None


def weekly_dau(by_day: Mapping[date, int], last: Week, weeks: int = CHART_WEEKS) -> list[WeeklyDau]:
    """The `weeks` weeks ending with `last`, oldest first, from the portfolio's assistant DAU
    by day. A day without figures is left out rather than counted as zero: a pipeline
    that sends nothing on Sundays must not draw a dip every week."""
    series = []
    for back in range(weeks - 1, -1, -1):
        week = Week(last.monday - timedelta(weeks=back))
        days = [by_day[d] for d in _days(week) if d in by_day]
        series.append(WeeklyDau(week, sum(days) / len(days) if days else None))
    return series


def _days(week: Week) -> list[date]:
    return [week.monday + timedelta(days=n) for n in range(7)]


def first_chart_day(last: Week, weeks: int = CHART_WEEKS) -> date:
    """The first day whose figures the chart reads."""
    return last.monday - timedelta(weeks=weeks - 1)


@dataclass(frozen=True)
class Digest:
    """What the week's post says, gathered by the services for the blocks."""

    week: Week
    entries: list[UpdateEntry]
    """Team-wide first, then by account name (storage.updates.of_week)."""
    weeks_open: dict[int, int]
    """By entry id: how many weeks in a row its blocker has stood (`open_weeks`)."""
    accounts: list[Account]
    """The active accounts by name: those without an entry are named as such."""
    health: dict[int, Status | None]
    """By account id."""
    renewals: list[Renewal]
    """Due within RENEWALS_WITHIN days, soonest first, ARR shown only as each allows."""
    edited: set[int] = field(default_factory=set)
    """Ids of entries changed after the post went out: marked "edited"."""
    dau: list[WeeklyDau] = field(default_factory=list)
    """The chart's weeks, oldest first; empty or all None: no chart."""
    nominations: list[Nomination] = field(default_factory=list)
    """Partner nominations waiting for the exec team's decision, oldest first."""
    today: date | None = None
    """The day the post is drawn, for how long each nomination has waited."""
    currency: str = "USD"
    """`[team] currency`, which ARR amounts are written in."""
    okrs: QuarterOkrs | None = None
    """The current quarter's OKRs (issue 14), shown as one section; None: no section."""
    needs: dict[int, NeedsSummary] = field(default_factory=dict)
    """By account id, the accounts with open customer needs: the count and the top ones."""
    overdue_steps: list[tuple[Need, RolloutStep]] = field(default_factory=list)
    """Rollout steps past their date and not done, flagged in the post (issue 15)."""

    def has_chart(self) -> bool:
        return any(point.dau is not None for point in self.dau)

    def by_account(self) -> dict[int | None, list[UpdateEntry]]:
        """The entries per account id (None: team-wide), in the post's order."""
        found: dict[int | None, list[UpdateEntry]] = {}
        for entry in self.entries:
            found.setdefault(entry.account_id, []).append(entry)
        return found

    def without_entry(self) -> list[Account]:
        written = {e.account_id for e in self.entries}
        return [a for a in self.accounts if a.id not in written]
