"""Who decides nominations: `[partners] approvers` and the members of approver_usergroup,
the group read from Slack once per few minutes, and a read that fails adding nobody."""

from __future__ import annotations

import logging

import pytest

from bot.config import Settings
from bot.domain.partners import PartnerPolicy
from bot.services.membership import GROUP_TTL_SECONDS, RETRY_SECONDS
from bot.services.partners import Approvers


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Group:
    """A user group as Slack answers for it; `failing` makes every read raise."""

    def __init__(self, members: list[str]) -> None:
        self.members = members
        self.reads = 0
        self.failing = False

    async def __call__(self, usergroup: str) -> list[str]:
        assert usergroup == "S0EXECS"
        self.reads += 1
        if self.failing:
            raise RuntimeError("usergroups.users.list: missing_scope")
        return list(self.members)


def _settings(**partners: object) -> Settings:
    return Settings(partners=PartnerPolicy.model_validate(partners))


async def test_the_listed_and_the_group_decide_the_group_read_once_per_ttl() -> None:
    group, ticks = Group(["U0GROUPIE"]), Ticks()
    approvers = Approvers(
        _settings(approvers=["U0EXEC"], approver_usergroup="S0EXECS"), group, ticks
    )
    assert await approvers.includes("U0EXEC") and group.reads == 0  # listed: no read
    assert await approvers.includes("U0GROUPIE")
    assert not await approvers.includes("U0BOB")
    assert group.reads == 1
    group.members = ["U0BOB"]
    ticks.now = GROUP_TTL_SECONDS - 1
    assert not await approvers.includes("U0BOB")  # still the cached group
    ticks.now = GROUP_TTL_SECONDS + 1
    assert await approvers.includes("U0BOB") and not await approvers.includes("U0GROUPIE")
    assert group.reads == 2


async def test_a_failing_read_adds_nobody_logs_once_and_is_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    group, ticks = Group(["U0GROUPIE"]), Ticks()
    group.failing = True
    approvers = Approvers(
        _settings(approvers=["U0EXEC"], approver_usergroup="S0EXECS"), group, ticks
    )
    with caplog.at_level(logging.WARNING):
        assert not await approvers.includes("U0GROUPIE")
        ticks.now = RETRY_SECONDS + 1
        assert not await approvers.includes("U0GROUPIE")
    assert await approvers.includes("U0EXEC")  # the listed ones still decide
    assert group.reads == 2
    said = "user group S0EXECS: only [partners] approvers decide"
    assert len([r for r in caplog.records if said in r.getMessage()]) == 1
    group.failing = False
    ticks.now = 2 * RETRY_SECONDS + 2
    assert await approvers.includes("U0GROUPIE")


async def test_without_a_group_or_a_reader_only_the_listed_decide() -> None:
    group = Group(["U0GROUPIE"])
    assert not await Approvers(_settings(approvers=["U0EXEC"]), group).includes("U0GROUPIE")
    unread = Approvers(_settings(approver_usergroup="S0EXECS"), None)
    assert not await unread.includes("U0GROUPIE")
    assert group.reads == 0
    assert "none are set" in Approvers(_settings(), None).refusal()
    assert Approvers(_settings(approvers=["U0EXEC"]), None).refusal().endswith(": <@U0EXEC>.")
