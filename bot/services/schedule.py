"""What the bot last sent, for people to see beside what it will post next."""

from __future__ import annotations

from bot.deps import Deps
from bot.domain.schedule import Sent
from storage import outbox


async def recently_sent(deps: Deps, limit: int = 5) -> list[Sent]:
    async with deps.db.session() as session:
        rows = await outbox.listing(session, outbox.SENT, limit=limit)
    return [Sent(row.sent_at or row.created_at, row.job, row.channel) for row in rows]
