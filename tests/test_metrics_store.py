"""Usage snapshots in the real store: replaced per day, all or nothing, aggregated in SQL."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta

import pytest

from bot.deps import Deps
from bot.domain.health import UsageFigures
from bot.domain.metrics import SnapshotInput, parse_metrics_csv
from bot.errors import RowsRejected
from bot.services.metrics import record_snapshots
from storage.metrics import figures_as_of
from tests.factories import make_account

DAY = date(2026, 11, 22)


def snap(day: date, dau: int, account: str = "Acme Corp", **extra: int) -> SnapshotInput:
    return SnapshotInput(account=account, day=day, dau=dau, mau=1000, seats=1200, **extra)


async def test_a_resent_day_replaces_the_old_figures(deps: Deps) -> None:
    account = await make_account(deps)
    await record_snapshots(deps, [(1, snap(DAY, 100, shown=10, accepted=2))])
    await record_snapshots(deps, [(1, snap(DAY, 300, shown=10, accepted=4))])
    async with deps.db.session() as session:
        figures = (await figures_as_of(session, DAY))[account.id]
    assert (figures.dau_4week_average, figures.completions_accepted) == (300.0, 4)


async def test_an_unknown_account_rejects_the_whole_batch(deps: Deps) -> None:
    account = await make_account(deps)
    with pytest.raises(RowsRejected) as caught:
        await record_snapshots(deps, [(2, snap(DAY, 100)), (3, snap(DAY, 100, account="Nope"))])
    assert [str(e) for e in caught.value.errors] == [
        "line 3: account: no active account is named Nope"
    ]
    async with deps.db.session() as session:
        assert (await figures_as_of(session, DAY))[account.id].latest_day is None


async def test_figures_aggregate_the_last_28_days_and_take_the_newest_values(deps: Deps) -> None:
    account = await make_account(deps, available_developers=2000)
    quiet = await make_account(deps, name="Quiet Ltd")
    days = [(DAY - timedelta(days=n), 100 + n) for n in range(40)]  # older days, more DAU
    await record_snapshots(
        deps,
        [
            (n, snap(day, dau, shown=10, accepted=1, assistant_dau=50))
            for n, (day, dau) in enumerate(days)
        ]
        + [
            (
                99,
                SnapshotInput(
                    account="Acme Corp", day=DAY + timedelta(days=1), dau=1, mau=5, seats=9
                ),
            )
        ],
    )
    async with deps.db.session() as session:
        figures = await figures_as_of(session, DAY)

    acme = figures[account.id]
    assert acme.latest_day == DAY  # the day after is not "as of" DAY
    assert acme.dau_4week_average == pytest.approx(sum(100 + n for n in range(28)) / 28)
    assert (acme.completions_shown, acme.completions_accepted) == (280, 28)
    assert (acme.mau, acme.licensed_seats, acme.assistant_dau) == (1000, 1200, 50)
    assert acme.available_developers == 2000
    # Built positionally from typed columns: every field has its declared type on both
    # backends (PostgreSQL's sum and avg give numerics, SQLite's max of a date gives text).
    assert [type(getattr(acme, f.name)) for f in fields(UsageFigures)] == [
        date,
        int,
        int,
        float,
        int,
        int,
        int,
        int,
        int,
        date,
    ]
    assert figures[quiet.id].latest_day is None and figures[quiet.id].mau is None


def test_metrics_csv_reports_lines() -> None:
    parsed = parse_metrics_csv(
        "account,day,dau,mau,seats,shown,accepted\n"
        "Acme,2026-11-20,5,10,10,,\n"
        "Acme,2026-11-21,50,10,10,,\n"
        "acme,2026-11-20,5,10,10,3,\n",
        today=DAY,
    )
    assert [str(e) for e in parsed.errors] == [
        "line 3: dau: 50 daily users cannot exceed 10 monthly users",
        "line 4: account: acme on 2026-11-20 is already on line 2",
    ]
