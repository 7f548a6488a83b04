"""Weekly update entries, handed out as `UpdateEntry`s with their account's name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.updates import Blocker, EntryDraft, EntryKey, UpdateEntry, Week, open_weeks
from storage.models import AccountRow, UpdateEntryRow
from storage.upsert import upsert_many

TEAM_SCOPE = 0
"""The scope of a team-wide entry; account ids start at 1."""

E = UpdateEntryRow


def _scope(account_id: int | None) -> int:
    return TEAM_SCOPE if account_id is None else account_id


def _entries() -> Select[Any]:
    """Columns, not ORM rows: a row read before an upsert in the same session would come
    back from the identity map as it was, not as the upsert left it."""
    return select(*E.__table__.c, AccountRow.name.label("account_name")).outerjoin(
        AccountRow, AccountRow.id == E.account_id
    )


def _entry(row: Any) -> UpdateEntry:
    values = dict(row._mapping)
    values.pop("scope")
    return UpdateEntry.model_validate(values | {"week": Week(values["week"])})


async def find(
    session: AsyncSession, week: Week, author: str, account_id: int | None
) -> UpdateEntry | None:
    """The author's entry about the account (None: the team) in `week`, if written."""
    query = _entries().where(
        E.week == week.monday, E.author == author, E.scope == _scope(account_id)
    )
    row = (await session.execute(query)).one_or_none()
    return _entry(row) if row else None


async def save(
    session: AsyncSession, week: Week, author: str, draft: EntryDraft, at: datetime
) -> UpdateEntry:
    """Written, or edited in place when the author has one about it this week: one
    statement, so two submissions at once still leave one entry."""
    key = {"week": week.monday, "author": author, "scope": _scope(draft.account_id)}
    row = key | draft.model_dump() | {"created_at": at, "updated_at": at}
    await upsert_many(session, E, [row], list(key), keep=["created_at"])
    saved = await find(session, week, author, draft.account_id)
    assert saved is not None  # just written, in this transaction
    return saved


async def of_week(session: AsyncSession, week: Week) -> list[UpdateEntry]:
    """The week's entries: team-wide first, then by account name, then by author."""
    query = (
        _entries()
        .where(E.week == week.monday)
        .order_by(E.scope != TEAM_SCOPE, AccountRow.name_key, E.author)
    )
    return [_entry(row) for row in await session.execute(query)]


async def blockers_before(
    session: AsyncSession, week: Week, keys: set[EntryKey]
) -> dict[EntryKey, list[Blocker]]:
    """The blockers written before `week` in the entries named by `keys` (author, account)."""
    if not keys:
        return {}
    query = select(E.week, E.author, E.account_id, E.blockers, E.still_open).where(
        E.week < week.monday,
        E.blockers.is_not(None),
        E.author.in_({author for author, _ in keys}),
    )
    found: dict[EntryKey, list[Blocker]] = {}
    for monday, author, account_id, text, still_open in await session.execute(query):
        key = (author, account_id)
        if key in keys and text:  # never empty, as queried: said again for the types
            found.setdefault(key, []).append(Blocker(Week(monday), text, still_open))
    return found


async def of_week_standing(
    session: AsyncSession, week: Week
) -> tuple[list[UpdateEntry], dict[int, int]]:
    """The week's entries (`of_week`) and, by entry id, how many weeks in a row each
    blocker has stood (`open_weeks`): what `update show` and the weekly post both show."""
    entries = await of_week(session, week)
    earlier = await blockers_before(session, week, {e.key for e in entries if e.blocker})
    return entries, {
        e.id: open_weeks(blocker, earlier.get(e.key, []))
        for e in entries
        if (blocker := e.blocker)
    }
