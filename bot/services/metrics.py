"""Recording usage figures: all rows of a batch or none, each naming a real account."""

from __future__ import annotations

from collections.abc import Callable

from bot.deps import Deps
from bot.domain.accounts import name_key
from bot.domain.csv_rows import RowError
from bot.domain.metrics import SnapshotInput
from bot.errors import RowsRejected
from bot.services.replays import once
from storage import accounts as account_store
from storage import metrics as store

CHUNK = 1000


async def record_snapshots(
    deps: Deps,
    rows: list[tuple[int, SnapshotInput]],
    progress: Callable[[int], None] = lambda _done: None,
) -> int:
    """Save every snapshot in one transaction; an unknown account rejects the whole batch.

    `rows` carry their line (CSV) or position (API) so a rejection says where.
    """
    async with deps.db.session() as session:
        await once(session, deps)
        ids = await account_store.ids_by_key(session, [s.account for _, s in rows])
        unknown = [
            RowError(line, f"account: no active account is named {s.account}")
            for line, s in rows
            if name_key(s.account) not in ids
        ]
        if unknown:
            raise RowsRejected(unknown)
        at = deps.clock()
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            await store.save_snapshots(session, [_row(ids, s) for _, s in chunk], at)
            progress(len(chunk))
    return len(rows)


def _row(ids: dict[str, int], snapshot: SnapshotInput) -> dict[str, object]:
    return {
        "account_id": ids[name_key(snapshot.account)],
        "day": snapshot.day,
        "dau": snapshot.dau,
        "mau": snapshot.mau,
        "licensed_seats": snapshot.seats,
        "assistant_dau": snapshot.assistant_dau,
        "completions_shown": snapshot.shown,
        "completions_accepted": snapshot.accepted,
    }
