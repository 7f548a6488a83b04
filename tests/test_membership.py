"""The user group's members, cached per process: read once per few minutes, a failure
keeping the door shut for a short while and logged once, however long Slack fails."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.config import TeamPolicy
from bot.services.membership import GROUP_TTL_SECONDS, RETRY_SECONDS, Membership

TEAM = TeamPolicy(admins=["U0ADMIN"], members_usergroup="S0TEAM")


class FakeGroup:
    """A user group read the way the handler reads it, counting reads; it may fail."""

    def __init__(self, members: list[str]) -> None:
        self.members = members
        self.reads = 0
        self.failing = False

    async def __call__(self, usergroup: str) -> list[str]:
        assert usergroup == "S0TEAM"
        self.reads += 1
        await asyncio.sleep(0)  # a real read yields: requests arriving meanwhile wait
        if self.failing:
            raise RuntimeError("missing_scope")
        return self.members


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_the_group_is_read_once_for_many_requests_until_it_is_stale() -> None:
    group, clock = FakeGroup(["U0ALICE"]), Clock()
    door = Membership(TEAM, group, clock)
    checks = await asyncio.gather(*(door.includes(u) for u in ["U0ALICE", "U0BOB"] * 5))
    assert checks == [True, False] * 5
    assert group.reads == 1

    group.members = ["U0BOB"]
    clock.now += GROUP_TTL_SECONDS - 1
    assert await door.includes("U0ALICE") and group.reads == 1
    clock.now += 1
    assert not await door.includes("U0ALICE")
    assert await door.includes("U0BOB") and group.reads == 2


async def test_a_failed_read_shuts_the_door_is_retried_later_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    group, clock = FakeGroup(["U0ALICE"]), Clock()
    group.failing = True
    door = Membership(TEAM, group, clock)
    with caplog.at_level(logging.INFO, logger="bot.services.membership"):
        for _ in range(3):
            assert not await door.includes("U0ALICE")
            assert await door.includes("U0ADMIN")  # admins always
            clock.now += RETRY_SECONDS
        assert group.reads == 3
        assert [r.levelname for r in caplog.records] == ["WARNING"]

        group.failing = False
        assert await door.includes("U0ALICE")
    assert [r.levelname for r in caplog.records] == ["WARNING", "INFO"]


async def test_a_read_that_hangs_fails_closed_within_the_ack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bot.services.membership.READ_TIMEOUT_SECONDS", 0.05)

    async def hangs(usergroup: str) -> list[str]:
        await asyncio.sleep(10)
        return ["U0ALICE"]

    assert not await asyncio.wait_for(Membership(TEAM, hangs).includes("U0ALICE"), 1)


async def test_an_open_team_never_reads_a_group() -> None:
    group = FakeGroup([])
    door = Membership(TeamPolicy(), group)
    assert not door.restricted
    assert await door.includes("U0ANYONE") and group.reads == 0
