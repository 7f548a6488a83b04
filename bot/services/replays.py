"""Each distinct request from Slack changes things once.

A signed request can be replayed inside its five-minute window, and Slack retries what it
thinks failed (`X-Slack-Retry-Num`). The listener names the request it is handling (the
hash of its payload: a command's trigger_id, a click's action_ts and a submission's view
make each one distinct) and every state-changing use case records that name in its own
transaction: the first wins, a replay is refused and changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.deps import Deps
from bot.errors import Replayed
from storage import requests

REPLAY_WINDOW = timedelta(minutes=10)
"""Twice the window in which Slack's signature (and so a replay) is accepted."""

_handling: ContextVar[str | None] = ContextVar("handling", default=None)


def request_key(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@contextmanager
def handling(payload: dict[str, Any]) -> Iterator[None]:
    """The request whose work runs inside the block (and the tasks it starts)."""
    token = _handling.set(request_key(payload))
    try:
        yield
    finally:
        _handling.reset(token)


async def once(session: AsyncSession, deps: Deps) -> None:
    """Raise Replayed when the request being handled has changed things before.

    Outside a request (the CLI, the metrics API, a job) there is nothing to check: those
    have their own idempotency (imports, claims, keys).
    """
    key = _handling.get()
    if key is None:
        return
    if not await requests.first_time(session, key, deps.clock(), REPLAY_WINDOW):
        raise Replayed(phrases.REPLAYED)
