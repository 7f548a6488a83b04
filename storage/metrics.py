"""Usage snapshots in, per-account aggregates out: the arithmetic happens in SQL.

The health of a whole portfolio is one grouped pass over the snapshot table, not a
Python loop over rows (10,000 accounts by 90 days is 900,000 rows).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select
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
    session: AsyncSession, day: date, account_id: int | None = None
) -> dict[int, UsageFigures]:
    """Every active account's usage figures as of `day`.

    Latest values (MAU, seats, assistant DAU) come from each account's newest snapshot
    on or before `day`, found by an index-only lookup per account; the 4-week average DAU
    and completion sums from a grouped pass over the 28 days ending on it, and no further
    back. "Last month's MAU" is the newest MAU: MAU is itself a 30-day count.
    """
    snap = MetricSnapshotRow
    newest = aliased(MetricSnapshotRow)
    only = [AccountRow.id == account_id] if account_id else []
    latest_day = (
        select(func.max(snap.day))
        .where(snap.account_id == AccountRow.id, snap.day <= day)
        .correlate(AccountRow)
        .scalar_subquery()
    )
    accounts = (
        select(
            AccountRow.id,
            AccountRow.available_developers,
            AccountRow.production_start,
            latest_day.label("latest_day"),
        )
        .where(AccountRow.archived_at.is_(None), *only)
        .subquery()
    )
    window = (
        select(
            snap.account_id,
            func.avg(snap.dau).label("dau_avg"),
            func.sum(snap.completions_shown).label("shown"),
            func.sum(snap.completions_accepted).label("accepted"),
        )
        .where(snap.day.between(day - timedelta(days=WINDOW_DAYS - 1), day))
        .where(*([snap.account_id == account_id] if account_id else []))
        .group_by(snap.account_id)
        .subquery()
    )
    query = (
        select(
            accounts,
            window.c.dau_avg,
            window.c.shown,
            window.c.accepted,
            newest.mau,
            newest.licensed_seats,
            newest.assistant_dau,
        )
        .outerjoin(window, window.c.account_id == accounts.c.id)
        .outerjoin(
            newest,
            and_(newest.account_id == accounts.c.id, newest.day == accounts.c.latest_day),
        )
    )
    figures: dict[int, UsageFigures] = {}
    for row in (await session.execute(query)).all():
        figures[row.id] = UsageFigures(
            latest_day=_as_date(row.latest_day),
            mau=row.mau,
            licensed_seats=row.licensed_seats,
            dau_4week_average=float(row.dau_avg) if row.dau_avg is not None else None,
            last_month_mau=row.mau,
            completions_shown=row.shown,
            completions_accepted=row.accepted,
            assistant_dau=row.assistant_dau,
            available_developers=row.available_developers,
            production_start=row.production_start,
        )
    return figures


def _as_date(value: Any) -> date | None:
    """max() over a Date column comes back as text on SQLite."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
