"""`strategic-bot demo`: a fictional portfolio in a database of its own, shown as Slack would.

Each feature adds its part here, so a newcomer sees the whole product without a workspace.
The demo never writes to the configured `DATABASE_URL`: its fake accounts, channels and
queued-nothing dry runs would otherwise be what the next `serve` or `jobs run` works on.
"""

from __future__ import annotations

from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path

from rich.console import Console
from rich.panel import Panel

from bot.blocks.accounts import account_card, account_list
from bot.blocks.chart import dau_chart
from bot.blocks.common import Message
from bot.blocks.health import account_health_message, portfolio_message
from bot.blocks.help import help_message
from bot.blocks.home import home_view
from bot.blocks.initiatives import initiatives_message
from bot.blocks.journey import journey_message
from bot.blocks.needs import needs_message
from bot.blocks.okrs import okrs_message
from bot.blocks.partners import approvals_post
from bot.blocks.renewals import renewals_message
from bot.blocks.text import to_text
from bot.blocks.weekly import weekly_draft
from bot.config import Settings
from bot.deps import Deps
from bot.domain.account_csv import parse_accounts_csv
from bot.domain.accounts import Account
from bot.domain.initiatives import InitiativeDraft, InitiativeStatus
from bot.domain.journey import State
from bot.domain.metrics import SnapshotInput
from bot.domain.needs import NeedDraft, NeedKind, NeedStatus, Priority, RolloutDates, Step
from bot.domain.okrs import validate_okr_file
from bot.domain.outbox import FileUpload
from bot.domain.partners import Level, Nomination, NominationDraft
from bot.domain.updates import week_of
from bot.services import accounts, health, initiatives, journey, okrs, partners, weekly
from bot.services.account_import import import_accounts
from bot.services.home import home_data
from bot.services.metrics import record_snapshots
from bot.services.needs import change_status, mark_step_done, open_needs, raise_need, set_rollout
from bot.services.renewals import upcoming_renewals
from jobs.catalog import load_jobs
from jobs.runner import plan_only
from storage.db import Database
from storage.migrate import upgrade_if_empty

DEMO_DATABASE = "strategic-bot-demo.db"
"""In the current directory, beside (never instead of) the bot's own `strategic-bot.db`."""
SQLITE = "sqlite+aiosqlite:///"
DEMO_ACTOR = "demo"
DEMO_VIEWER = "U0DEMOAE01"
"""Whose App Home the demo shows: jo, an AE, who sees the ARR of the accounts they own."""
PEOPLE = {
    # Display names only: the blocks already say the role ("Lead @dana"), as Slack shows it.
    "U0DEMOLEAD1": "dana",
    "U0DEMOLEAD2": "lee",
    "U0DEMOLEAD3": "sam",
    "U0DEMOTACE1": "ravi",
    "U0DEMOTACE2": "ana",
    "U0DEMOAE01": "jo",
    "U0DEMOAE02": "kim",
    "U0DEMOEXEC1": "pat",
    "U0DEMOEXEC2": "max",
    "C0DEMONW01": "acct-northwind",
    "C0DEMOCB01": "acct-contoso",
    "C0DEMOFM01": "acct-fabrikam",
    "C0DEMOWW01": "acct-wideworld",
}


def demo_settings(configured: Settings) -> Settings:
    """The team's settings with the demo's own database, whatever `DATABASE_URL` says."""
    url = f"{SQLITE}{Path(DEMO_DATABASE).resolve()}"
    return configured.model_copy(update={"database_url": url})


def demo_deps(configured: Settings) -> Deps:
    """The demo's store, with its schema; runs before any event loop, as `prepared_deps`."""
    own = demo_settings(configured)
    upgrade_if_empty(own.database_url)
    return Deps(settings=own, db=Database(own.database_url))


def recipient(channel_id: str) -> str:
    """Where a dry run's message would go, by name: `#acct-contoso`, or `@kim` for a DM."""
    if channel_id in PEOPLE:
        sigil = "@" if channel_id.startswith(("U", "W")) else "#"
        return sigil + PEOPLE[channel_id]
    return channel_id


def _show(console: Console, title: str, message: Message) -> None:
    body = to_text(message.blocks, PEOPLE).strip() or message.text
    panel = Panel(body, title=title, title_align="left")
    console.print(panel, markup=False, highlight=False, emoji=False)


# Usage per account as shares: MAU of seats, DAU of MAU, accepted of shown, assistant of MAU.
USAGE = {
    "Northwind Traders": (0.90, 0.55, 0.31, 0.45),
    "Contoso Bank": (0.42, 0.30, 0.12, 0.20),
    "Fabrikam Motors": (0.72, 0.45, 0.27, 0.40),
}
DEMO_DAYS = 84
"""Twelve weeks: what the weekly update's chart shows."""
ADOPTION_GROWTH = 0.004
"""Assistant DAU a day back is this much lower, so the chart shows adoption growing."""


def sample_usage(accounts: list[Account], today: date) -> list[tuple[int, SnapshotInput]]:
    """Five weeks of daily figures for the accounts in production; the rest have none yet."""
    rows: list[tuple[int, SnapshotInput]] = []
    for account in accounts:
        if account.name not in USAGE or not account.licensed_seats:
            continue
        mau_share, dau_share, accepted_share, assistant_share = USAGE[account.name]
        for back in range(DEMO_DAYS):
            wobble = 1 + 0.03 * ((back * 7) % 5 - 2) / 2  # a little day-to-day noise
            mau = int(account.licensed_seats * mau_share * wobble)
            shown = mau * 20
            snapshot = SnapshotInput(
                account=account.name,
                day=today - timedelta(days=back),
                dau=int(mau * dau_share),
                mau=mau,
                seats=account.licensed_seats,
                assistant_dau=int(mau * assistant_share * (1 - ADOPTION_GROWTH * back)),
                shown=shown,
                accepted=int(shown * accepted_share),
            )
            rows.append((len(rows) + 1, snapshot))
    return rows


async def run_demo(deps: Deps, console: Console) -> None:
    """Every step is idempotent: a second run shows the same, adding nothing."""
    parsed = parse_accounts_csv(files("bot.startup.demo").joinpath("accounts.csv").read_text())
    try:
        report = await import_accounts(deps, parsed, DEMO_ACTOR)
        where = deps.settings.database_url.removeprefix(SQLITE)
        console.print(
            f"Sample portfolio in {where} (the demo's own database, not DATABASE_URL): "
            f"{report.created} added, {report.updated} updated, {report.unchanged} unchanged.",
            soft_wrap=True,
            markup=False,
            highlight=False,
        )
        _show(console, "/strategic help", help_message())
        portfolio = await accounts.list_accounts(deps)
        await record_snapshots(deps, sample_usage(portfolio, deps.today()))
        _show(console, "/strategic account list", account_list(portfolio))
        first = portfolio[0]
        _show(
            console,
            f"/strategic account show {first.name}",
            account_card(first, show_sensitive=True, currency=deps.settings.team.currency),
        )
        _show(console, "/strategic health", portfolio_message(await health.portfolio(deps)))
        worst = await health.account_health(deps, "Contoso Bank")
        _show(
            console,
            "/strategic health Contoso Bank",
            account_health_message(worst, "No get-well plan."),
        )
        await _catch_up_journeys(deps)
        northwind = await journey.account_journey(deps, "Northwind Traders")
        _show(console, "/strategic journey Northwind Traders", journey_message(northwind))
        days = deps.settings.renewals.list_days
        soon = await upcoming_renewals(deps, days, "U0DEMOAE01")
        currency = deps.settings.team.currency
        _show(console, "/strategic renewals", renewals_message(soon, days, currency))
        await _show_needs(deps, console)
        await _show_nomination(deps, console)
        quarter = okrs.current_quarter(deps)
        await _import_okrs(deps, quarter.label)
        okr_view = await okrs.quarter_okrs(deps, quarter)
        _show(console, f"/strategic okr (this quarter, {quarter.label})", okrs_message(okr_view))
        await _show_initiatives(deps, console)
        week = week_of(deps.today())
        content, to = await weekly.digest(deps, week), deps.settings.updates_channel()
        draft = weekly_draft(content, to)
        _show(console, f"weekly-update: the EM's draft of {week}", draft)
        _write_chart(console, dau_chart(week, content.dau))
        await _show_home(deps, console)
        await _dry_run_jobs(deps, console)
    finally:
        await deps.db.dispose()


DEMO_OKRS = {
    "teams": [
        {
            "team": "Strategic",
            "objectives": [
                {
                    "objective": "Grow strategic usage",
                    "key_results": [
                        {
                            "title": "Assistant DAU across strategic accounts",
                            "owner": "U0DEMOLEAD1",
                            "start": 0,
                            "target": 1500,
                            "unit": "users",
                        },
                        {
                            "title": "Every strategic account has a success plan",
                            "owner": "U0DEMOTACE1",
                            "start": 0,
                            "target": 100,
                            "unit": "%",
                            "measure": "success_plans",
                        },
                    ],
                }
            ],
        }
    ]
}
"""The demo's OKRs for the current quarter: one typed in, one bound to what the bot measures."""


async def _import_okrs(deps: Deps, quarter: str) -> None:
    found = validate_okr_file(
        {"quarter": quarter, **DEMO_OKRS}, deps.settings.team.fiscal_year_start_month
    )
    assert not isinstance(found, list), found
    await okrs.import_okrs(deps, found, DEMO_ACTOR)


DEMO_NEEDS = (
    ("Northwind Traders", NeedKind.FEATURE_REQUEST, "SSO through their Okta for the assistant",
     Priority.HIGH, NeedStatus.IN_PROGRESS),
    ("Northwind Traders", NeedKind.OBSTACLE, "The Dublin office's proxy blocks completions",
     Priority.HIGH, NeedStatus.PLANNED),
    ("Northwind Traders", NeedKind.BUG, "Suggestions vanish in very large monorepos",
     Priority.MEDIUM, NeedStatus.OPEN),
    ("Contoso Bank", NeedKind.NEED, "An audit log export for the bank's compliance team",
     Priority.MEDIUM, NeedStatus.OPEN),
)
"""Seed 001's "engineering needs and obstacles": (account, kind, summary, priority, status)."""
DEMO_ROLLOUT = {Step.PRE_MORTEM: -10, Step.PILOT: -3, Step.ROLLOUT: 14, Step.POST_MORTEM: 35}
"""The SSO rollout's steps in days from today: the pre-mortem done, the pilot overdue."""


async def _show_needs(deps: Deps, console: Console) -> None:
    """Northwind Traders' open needs as `/strategic needs` shows them, raised once per
    database by its TA/CE (a second run adds none); no status post is queued."""
    found = await open_needs(deps, "Northwind Traders")
    if not found.needs:
        today = deps.today()
        by_name = {a.name: a for a in found.accounts.values()}
        for number, (account, kind, summary, priority, status) in enumerate(DEMO_NEEDS):
            link = f"https://example.com/issues/{410 + number}"
            draft = NeedDraft(kind=kind, summary=summary, link=link, priority=priority)
            owner = by_name[account]
            _, need = await raise_need(deps, owner.id, draft, "U0DEMOTACE1")
            if status is not NeedStatus.OPEN:
                await change_status(
                    deps, owner.id, need.id, status, "U0DEMOTACE1", announce=False
                )
            if number == 0:
                dates = {s: today + timedelta(days=d) for s, d in DEMO_ROLLOUT.items()}
                await set_rollout(deps, owner.id, need.id, RolloutDates(dates), "U0DEMOTACE1")
                await mark_step_done(deps, owner.id, need.id, Step.PRE_MORTEM, "U0DEMOTACE1")
        found = await open_needs(deps, "Northwind Traders")
    listed = needs_message(found.needs, found.accounts, deps.today(), found.one)
    _show(console, "/strategic needs Northwind Traders", listed)


DEMO_NOMINATION = NominationDraft(
    company="Tailspin Airlines",
    strategic_segment=True,
    co_market=Level.HIGH,
    new_industry=True,
    related_market="Aviation",
    vision=Level.MEDIUM,
    rationale="The region's largest carrier; its CTO offered to co-present at our summit.",
)


async def _show_nomination(deps: Deps, console: Console) -> None:
    """Tailspin Airlines (nominated in the sample portfolio) as the approvers see it, with
    the gate from the sample usage. Its nomination is stored once, with no post queued."""
    pending: list[Nomination] = await partners.pending_nominations(deps)
    if not pending:
        await partners.nominate(deps, DEMO_NOMINATION, "U0DEMOLEAD1", announce=False)
        pending = await partners.pending_nominations(deps)
    post = approvals_post(
        pending[0],
        await partners.current_gate(deps),
        deps.settings.partners,
        deps.settings.team.show_sensitive_in_channels,
        deps.settings.team.currency,
    )
    _show(console, f"partner nomination → {recipient(deps.settings.partners_channel())}", post)


DEMO_INITIATIVES = (
    ("Understand the strategic customers' current state and future needs", 3, "done"),
    ("Plan and pilot a customer on cloud", 5, "in progress"),
    ("Update the account teams' processes to the technical needs", 26, "in progress"),
    ("A timeline of when each tier size is supported", 60, "not started"),
)
"""Seed 001's strategy list, due from today on: (title, days from today, status)."""


async def _show_initiatives(deps: Deps, console: Console) -> None:
    """The strategy list as `/strategic initiatives` shows it; added once per database,
    by their owner (the demo's AE), so a second demo run adds none."""
    today = deps.today()
    if not await initiatives.list_initiatives(deps):
        for title, days, status in DEMO_INITIATIVES:
            due = today + timedelta(days=days)
            draft = InitiativeDraft(title=title, owner=DEMO_VIEWER, due=due)
            added = await initiatives.add_initiative(deps, draft, DEMO_VIEWER)
            if status != InitiativeStatus.NOT_STARTED:
                await initiatives.change_status(
                    deps, added.id, InitiativeStatus(status), DEMO_VIEWER
                )
    listed = await initiatives.list_initiatives(deps)
    _show(console, "/strategic initiatives", initiatives_message(listed, today))


async def _show_home(deps: Deps, console: Console) -> None:
    """The App Home tab as the demo's AE opens it, built as `app_home_opened` builds it."""
    timetables = [job.timetable for job in load_jobs(deps.settings).values()]
    view = home_view(await home_data(deps, timetables, DEMO_VIEWER))
    _show(
        console,
        f"App Home, as {recipient(DEMO_VIEWER)} sees it",
        Message("", view.to_dict()["blocks"]),
    )


def _write_chart(console: Console, chart: FileUpload | None) -> None:
    """The chart the post would upload into its thread, as a file beside the database."""
    if chart is None:
        console.print("No assistant DAU figures: the weekly update would have no chart.")
        return
    path = Path(chart.filename)
    path.write_bytes(chart.content)
    console.print(f"The weekly update's chart: wrote {path.resolve()}", soft_wrap=True)
    console.print(f"  alt text: {chart.alt_text}", soft_wrap=True, markup=False)


async def _catch_up_journeys(deps: Deps) -> None:
    """A team that used the bot all along: what fell due over a month ago was done."""
    cutoff = deps.today() - timedelta(days=30)
    for each in await journey.all_journeys(deps):
        for item in each.items:
            if item.state is State.OVERDUE and item.activity.due < cutoff:
                owner = each.account.ta_ce or each.account.ae or DEMO_ACTOR
                await journey.mark_done(
                    deps, each.account.id, each.contract_end, item.activity.key, owner
                )


async def _dry_run_jobs(deps: Deps, console: Console) -> None:
    """Each scheduled job's latest occurrence, planned and printed, nothing stored or sent."""
    for name, scheduled in load_jobs(deps.settings).items():
        occurrence = scheduled.schedule.latest(deps.clock())
        plan = await plan_only(deps, scheduled, occurrence)
        for item in plan.messages:
            _show(
                console,
                f"{name} (dry run, {occurrence:%Y-%m-%d %H:%M} UTC) → {recipient(item.channel)}",
                item.message,
            )
        if not plan.messages:
            console.print(f"{name} (dry run): nothing to post for {occurrence:%Y-%m-%d %H:%M} UTC.")
