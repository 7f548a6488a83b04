"""Importing the accounts CSV: all or nothing, and a second run of the same file is a no-op."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.deps import Deps
from bot.domain.accounts import AccountDraft, name_key
from bot.domain.csv_rows import ParsedCsv, RowError
from bot.errors import RowsRejected
from storage import accounts as store


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int


async def import_accounts(
    deps: Deps,
    parsed: ParsedCsv[AccountDraft],
    actor: str,
    progress: Callable[[int], None] = lambda _done: None,
) -> ImportReport:
    """Upsert every row by name in one transaction; `progress` hears of each row written."""
    if parsed.errors:
        raise RowsRejected(parsed.errors)
    created = updated = unchanged = 0
    at = deps.clock()
    async with deps.db.session() as session:
        existing = await store.by_keys(session, [name_key(d.name) for _, d in parsed.rows])
        for _line, draft in parsed.rows:
            account = existing.get(name_key(draft.name))
            if account is None:
                await store.insert(session, draft, actor=actor, at=at, action="account.import")
                created += 1
            else:
                _now, changes = await store.update(
                    session, account.id, draft, actor=actor, at=at, action="account.import"
                )
                updated += bool(changes)
                unchanged += not changes
            progress(1)
    return ImportReport(created=created, updated=updated, unchanged=unchanged)


async def unknown_accounts(deps: Deps, named: list[tuple[int, str]]) -> list[RowError]:
    """The rows (line, name) naming no active account, said as `record_snapshots` says it:
    read before anything is written, beside the file's other problems, so a person
    fixes the file in one pass."""
    if not named:
        return []
    async with deps.db.session() as session:
        ids = await store.ids_by_key(session, [name for _, name in named])
    return [
        RowError(line, f"account: no active account is named {name}")
        for line, name in named
        if name_key(name) not in ids
    ]
