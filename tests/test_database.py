"""The line of units of work: bounded, in order, and never stuck on its own reads."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import UNITS_AT_ONCE, Database


async def one(session: AsyncSession) -> int:
    return int((await session.execute(text("SELECT 1"))).scalar_one())


async def test_a_burst_runs_a_few_units_at_once_and_the_rest_wait(db: Database) -> None:
    inside = 0
    most = 0
    release = asyncio.Event()

    async def unit() -> None:
        nonlocal inside, most
        async with db.session():
            inside += 1
            most = max(most, inside)
            await release.wait()
            inside -= 1

    burst = [asyncio.create_task(unit()) for _ in range(UNITS_AT_ONCE * 3)]
    await asyncio.sleep(0.2)
    assert (inside, most) == (UNITS_AT_ONCE, UNITS_AT_ONCE)
    release.set()
    await asyncio.wait_for(asyncio.gather(*burst), timeout=10)
    assert inside == 0


async def test_reads_started_inside_a_unit_do_not_queue_behind_it(db: Database) -> None:
    """Every other place taken: the reads a unit gathers must still run, not wait forever."""
    release = asyncio.Event()

    async def holder() -> None:
        async with db.session():
            await release.wait()

    holders = [asyncio.create_task(holder()) for _ in range(UNITS_AT_ONCE - 1)]
    await asyncio.sleep(0.1)
    async with db.session():
        results = await asyncio.wait_for(asyncio.gather(*(db.read(one) for _ in range(3))), 10)
    assert results == [1, 1, 1]
    release.set()
    await asyncio.gather(*holders)
