"""`/strategic metrics` and `/strategic health`, end to end."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.deps import Deps
from bot.domain.metrics import SnapshotInput
from bot.services.metrics import record_snapshots
from storage.metrics import figures_as_of
from tests.app_client import AppClient
from tests.factories import make_account

TODAY = date(2026, 11, 23)  # the clock fixture's day


async def usage(deps: Deps, account: str, mau: int, days: int = 20, **extra: int) -> None:
    await record_snapshots(
        deps,
        [
            (
                n,
                SnapshotInput(
                    account=account,
                    day=TODAY - timedelta(days=n),
                    dau=mau // 2,
                    mau=mau,
                    seats=1000,
                    **extra,
                ),
            )
            for n in range(days)
        ],
    )


async def test_metrics_command_records_a_day(slack: AppClient, deps: Deps) -> None:
    account = await make_account(deps)
    answer = await slack.ask("metrics Acme Corp dau=50 mau=100 seats=120 shown=10 accepted=3")
    assert "Recorded *Acme Corp* for 2026-11-23: DAU 50, MAU 100, seats 120." in answer
    await slack.ask("metrics acme corp 2026-11-20 dau=5 mau=10 seats=120")
    async with deps.db.session() as session:
        figures = (await figures_as_of(session, TODAY, [account.id]))[account.id]
    assert (figures.latest_day, figures.mau, figures.completions_accepted) == (TODAY, 100, 3)
    assert figures.dau_4week_average == 27.5


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("metrics Acme Corp dau=-5 mau=100 seats=120", "dau: must not be negative"),
        ("metrics Acme Corp dau=500 mau=100 seats=120", "cannot exceed 100 monthly users"),
        ("metrics Acme Corp dau=5 mau=5000 seats=120", "more than 10 times the 120"),
        ("metrics Acme Corp 2026-11-24 dau=5 mau=10 seats=120", "2026-11-24 is in the future"),
        ("metrics Acme Corp dau=five mau=10 seats=120", "dau: must be a whole number"),
        ("metrics Globex dau=5 mau=10 seats=120", "no active account is named Globex"),
        ("metrics dau=5 mau=10 seats=120", "say which account"),
        ("metrics Acme Corp dau=5 mau=10", "seats: is required"),
        (
            "metrics Acme Corp dau=1 mau=1 seats=100000000000000000000",
            "seats: must be at most 2,147,483,647",
        ),
        ("metrics Acme Corp dau=1 mau=1 seats=1 shown=" + "9" * 400, "shown: must be at most"),
    ],
)
async def test_bad_metrics_are_refused_and_change_nothing(
    slack: AppClient, deps: Deps, text: str, words: str
) -> None:
    account = await make_account(deps)
    answer = await slack.ask(text)
    assert "Nothing recorded" in answer and words in answer
    async with deps.db.session() as session:
        assert (await figures_as_of(session, TODAY, [account.id]))[account.id].latest_day is None


async def test_portfolio_health_worst_first_with_reasons(slack: AppClient, deps: Deps) -> None:
    await make_account(deps, name="Healthy Co", available_developers=1000)
    await make_account(deps, name="Sinking Co", available_developers=1000)
    await make_account(deps, name="Silent Co")
    await usage(deps, "Healthy Co", mau=900, assistant_dau=400, shown=100, accepted=30)
    await usage(deps, "Sinking Co", mau=300, assistant_dau=300, shown=100, accepted=30)

    answer = await slack.ask("health")

    assert answer.index("Sinking Co") < answer.index("Silent Co") < answer.index("Healthy Co")
    assert "Utilization (MAU / licensed seats) 30%, below 60% (target 80%)" in answer
    assert ":red_circle: red *Sinking Co*" in answer
    assert ":white_circle: no data yet *Silent Co* · new" in answer
    # The summary counts every account: the one without figures too (it once said 2 of 3).
    summary = ":red_circle: 1 red · :large_yellow_circle: 0 yellow · :large_green_circle: 1 green"
    assert f"{summary} · :white_circle: 1 no data" in answer


async def test_the_portfolio_summary_counts_stale_and_silent_accounts_too(
    slack: AppClient, deps: Deps
) -> None:
    """The summary counted red, yellow and green only: 1 of these 3 accounts."""
    await make_account(deps, name="Healthy Co", available_developers=1000)
    await make_account(deps, name="Old Co", available_developers=1000)
    await make_account(deps, name="Silent Co")
    await usage(deps, "Healthy Co", mau=900, assistant_dau=400, shown=100, accepted=30)
    old = SnapshotInput(
        account="Old Co", day=TODAY - timedelta(days=10), dau=450, mau=900, seats=1000
    )
    await record_snapshots(deps, [(1, old)])

    answer = await slack.ask("health")

    counts = "0 red · :large_yellow_circle: 0 yellow · :large_green_circle: 1 green"
    assert f"{counts} · :white_circle: 1 stale · :white_circle: 1 no data" in answer
    assert "(stale data) *Old Co*" in answer and "no data yet *Silent Co*" in answer


async def test_one_accounts_health_measure_by_measure(slack: AppClient, deps: Deps) -> None:
    await make_account(deps, available_developers=1000)
    await usage(deps, "Acme Corp", mau=700, days=40, assistant_dau=100, shown=100, accepted=30)

    answer = await slack.ask("health acme corp")

    assert "Acme Corp: health" in answer and ":red_circle: red" in answer
    assert "70% (target 80%)" in answer
    # utilization: no data until 6 weeks ago, yellow since; no code span (backticks) around it
    assert '(target 80%) ▁▁▁▁▁▁▆▆▆▆▆▆"' in answer and "`▁" not in answer
    assert "Assistant DAU / available developers 10%, below 15% (target 30%)" in answer

    unknown = await slack.ask("health Acme Crop")
    assert "Did you mean *Acme Corp*" in unknown


async def test_with_no_history_yet_the_trend_is_judged_from_last_weeks_figures(
    slack: AppClient, deps: Deps
) -> None:
    """The first week after installing: the health job has recorded nothing to compare."""
    await make_account(deps, name="Rising Co")
    await make_account(deps, name="Steady Co")
    await usage(deps, "Rising Co", mau=300, days=40)  # red all along, until this week
    await usage(deps, "Rising Co", mau=900, days=7)
    await usage(deps, "Steady Co", mau=900, days=40)

    answer = await slack.ask("health")

    assert "*Rising Co* · ↗ better" in answer
    assert "*Steady Co* · → same" in answer
