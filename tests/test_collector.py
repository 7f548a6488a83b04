"""Full garbage collections wait for the quiet after a burst (bot/startup/collector.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.startup.collector import COLLECTOR, FULL_OFF, QUIET_SECONDS, IdleCollector
from tests.app_client import AppClient


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


async def _next() -> None:
    return None


async def test_it_collects_once_requests_stop_and_not_again_while_idle(thresholds: None) -> None:
    ticks = Ticks()
    collector = IdleCollector(ticks)
    collector.take_over()
    assert gc.get_threshold()[2] == FULL_OFF
    await collector.touched(_next)
    assert not collector.due()  # a request just came
    ticks.now += QUIET_SECONDS
    assert collector.due()
    collector.collect()
    ticks.now += 60
    assert not collector.due()  # idle since: nothing new to collect
    await collector.touched(_next)
    ticks.now += 0.5
    assert not collector.due()  # mid-burst
    ticks.now += 300
    collector.last_request = ticks.now  # a burst that never pauses
    assert collector.due()  # still collected every five minutes
    assert collector._task is not None  # started with the first request, in this loop
    collector._task.cancel()


async def test_without_take_over_it_starts_no_task(thresholds: None) -> None:
    collector = IdleCollector(Ticks())
    await collector.touched(_next)
    assert collector._task is None and gc.get_threshold()[2] != FULL_OFF


async def test_the_app_tells_the_collector_of_every_request(slack: AppClient) -> None:
    before = COLLECTOR.last_request
    assert (await slack.command("help")).status == 200
    assert COLLECTOR.last_request > before
