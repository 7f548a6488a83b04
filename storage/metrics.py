"""Usage snapshots in, per-account aggregates out: the arithmetic happens in SQL.

The health of a whole portfolio is one grouped pass over the snapshot table, not a
Python loop over rows (10,000 accounts by 90 days is 900,000 rows).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, Date, Float, and_, cast, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.domain.health import UsageFigures
from storage.models import AccountRow, MetricSnapshotRow
from storage.upsert import upsert_many

WINDOW_DAYS = 28


async def save_snapshots(session: AsyncSession, rows: list[dict[str, Any]], at: datetime) -> None:
    """Each (account, day) once: a re-sent day replaces the old figures."""
    await upsert_many(
        session,
        MetricSnapshotRow,
        [row | {"recorded_at": at} for row in rows],
        ["account_id", "day"],
    )


async def figures_as_of(
    session: AsyncSession, day: date, accounts: Collection[int] | None = None
) -> dict[int, UsageFigures]:
    """Every active account's usage figures as of `day`, or those of `accounts` only.

    Latest values (MAU, seats, assistant DAU) come from each account's newest snapshot
    on or before `day`, found by an index-only lookup per account; the 4-week average DAU
    and completion sums from a grouped pass over the 28 days ending on it, and no further
    back. "Last month's MAU" is the newest MAU: MAU is itself a 30-day count.

    The columns are typed in SQL (a date, a float, integers on both backends, where
    PostgreSQL would give numerics and SQLite text) and come in `UsageFigures`' field
    order, so each row becomes one without a Python step per value.
    """
    snap = MetricSnapshotRow
    newest = aliased(MetricSnapshotRow)
    only = [] if accounts is None else [AccountRow.id.in_(accounts)]
    latest_day = (
        select(func.max(snap.day))
        .where(snap.account_id == AccountRow.id, snap.day <= day)
        .correlate(AccountRow)
        .scalar_subquery()
    )
    active = (
        select(
            AccountRow.id,
            AccountRow.available_developers,
            AccountRow.production_start,
            type_coerce(latest_day, Date).label("latest_day"),
        )
        .where(AccountRow.archived_at.is_(None), *only)
        .subquery()
    )
    window = (
        select(
            snap.account_id,
            cast(func.avg(snap.dau), Float).label("dau_avg"),
            cast(func.sum(snap.completions_shown), BigInteger).label("shown"),
            cast(func.sum(snap.completions_accepted), BigInteger).label("accepted"),
        )
        .where(snap.day.between(day - timedelta(days=WINDOW_DAYS - 1), day))
        .where(*([] if accounts is None else [snap.account_id.in_(accounts)]))
        .group_by(snap.account_id)
        .subquery()
    )
    query = (
        select(
            active.c.id,
            active.c.latest_day,
            newest.mau,
            newest.licensed_seats,
            window.c.dau_avg.label("dau_4week_average"),
            newest.mau.label("last_month_mau"),
            window.c.shown.label("completions_shown"),
            window.c.accepted.label("completions_accepted"),
            newest.assistant_dau,
            active.c.available_developers,
            active.c.production_start,
        )
        .outerjoin(window, window.c.account_id == active.c.id)
        .outerjoin(
            newest,
            and_(newest.account_id == active.c.id, newest.day == active.c.latest_day),
        )
    )
    return {row[0]: UsageFigures(*row[1:]) for row in await session.execute(query)}


async def assistant_dau_by_day(session: AsyncSession, first: date, last: date) -> dict[date, int]:
    """The active accounts' assistant DAU added up per day from `first` to `last`, for the
    days that have any: one grouped pass, whatever the number of accounts."""
    snap = MetricSnapshotRow
    query = (
        select(snap.day, cast(func.sum(snap.assistant_dau), BigInteger))
        .join(AccountRow, AccountRow.id == snap.account_id)
        .where(AccountRow.archived_at.is_(None), snap.day.between(first, last))
        .where(snap.assistant_dau.is_not(None))
        .group_by(snap.day)
    )
    return {day: int(total) for day, total in (await session.execute(query)).all()}
