"""Full garbage collections moved out of a burst's way, into the quiet after it.

In a long burst of commands the answers still to send pile up (thousands of tasks and
their frames), survive two young collections and reach the oldest generation; CPython
then walks all of it in one full collection, stalling the event loop for ~80 ms in the
middle of the burst: every ack waiting at that moment misses, which is the burst's p99
(benchmarks/ack.py, continuous burst). So once `serve` or `socket` has frozen what
start-up built, automatic full collections are off, and this collector runs one when no
request has come for a second, or at the latest every five minutes, so memory held by
cycles is still given back.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Awaitable, Callable

FULL_OFF = 1_000_000_000
"""gc's oldest-generation threshold: never reached, so never collected automatically."""
QUIET_SECONDS = 1.0
CHECK_SECONDS = 2.0
LONGEST_SECONDS = 300.0


class IdleCollector:
    """Told of every request (a Bolt middleware), it collects when they stop."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last_request = clock()
        self.last_collection = clock()
        self.requests_since = False
        """Whether a request came since the last collection: idle, there is nothing new."""
        self.active = False
        self._task: asyncio.Task[None] | None = None

    def take_over(self) -> None:
        """From now on full collections wait for a quiet moment (see the module)."""
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_OFF)
        self.active = True

    async def touched(self, next: Callable[[], Awaitable[None]]) -> None:
        """Bolt middleware (Bolt passes `next` by that name): a request came; the
        collector starts with the first one, in the loop that serves them."""
        self.last_request = self.clock()
        self.requests_since = True
        if self.active and self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run())
        await next()

    def due(self) -> bool:
        now = self.clock()
        quiet = now - self.last_request >= QUIET_SECONDS
        overdue = now - self.last_collection >= LONGEST_SECONDS
        return (quiet and self.requests_since) or overdue

    def collect(self) -> None:
        gc.collect()
        self.last_collection = self.clock()
        self.requests_since = False

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            if self.due():
                self.collect()


COLLECTOR = IdleCollector()
"""One per process: the app's middleware and `freeze_startup_objects` share it."""
