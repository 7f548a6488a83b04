"""The scheduler and the delivery engine, started and stopped with the app's process."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp

from bot.deps import Deps
from jobs.catalog import load_jobs
from jobs.delivery import Delivery, delivery_client
from jobs.scheduler import Scheduler


@contextlib.asynccontextmanager
async def background(deps: Deps) -> AsyncIterator[Scheduler | None]:
    """Run scheduled jobs and deliver the outbox for as long as the block lasts."""
    if not deps.settings.scheduler.enabled:
        yield None
        return
    async with aiohttp.ClientSession() as http:
        delivery = Delivery(deps, delivery_client(deps, http))
        scheduler = Scheduler(deps, load_jobs(deps.settings), delivery)
        stop = asyncio.Event()
        sender = asyncio.create_task(delivery.run(stop), name="outbox-delivery")
        try:
            await scheduler.start()
            yield scheduler
        finally:
            await scheduler.stop()
            stop.set()
            await sender
