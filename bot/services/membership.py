"""Who is on the team, asked before every request: the listed members, the admins, and
the members of the team's Slack user group.

The group is read through a reader the handler passes in (services know no Slack client)
and kept for a few minutes in this process, so a burst of requests costs one Web API call.
A read that fails lets nobody in through the group — the door stays shut, never open — and
is logged once, not on every request while Slack keeps failing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from bot.config import TeamPolicy
from bot.domain.team import is_member, is_restricted

log = logging.getLogger(__name__)

GroupReader = Callable[[str], Awaitable[list[str]]]
"""The user IDs of a Slack user group; raises when Slack cannot say."""

GROUP_TTL_SECONDS = 300.0
RETRY_SECONDS = 30.0
"""After a failed read, how long the group counts as empty before Slack is asked again."""
READ_TIMEOUT_SECONDS = 2.0
"""A command's ack waits for the read, and Slack allows 3 seconds for the ack."""


class CachedGroup:
    """A Slack user group's members, read through `read_group` and kept for a few minutes:
    a burst of requests costs one Web API call. A read that fails counts as empty (closed,
    never open) for RETRY_SECONDS, logged once with what that means (`failing_means`)."""

    def __init__(
        self,
        read_group: GroupReader,
        failing_means: str,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read_group = read_group
        self._failing_means = failing_means
        self._clock = clock
        self._lock = asyncio.Lock()
        self._group: frozenset[str] = frozenset()
        self._fresh_until = float("-inf")
        self._failing = False

    async def members(self, usergroup: str) -> frozenset[str]:
        # One read at a time: requests arriving while it runs wait for its answer.
        async with self._lock:
            if self._clock() >= self._fresh_until:
                self._group, keep_for = await self._read(usergroup)
                self._fresh_until = self._clock() + keep_for
            return self._group

    async def _read(self, usergroup: str) -> tuple[frozenset[str], float]:
        """The group's members and how long to keep them; empty for a while if Slack fails."""
        try:
            async with asyncio.timeout(READ_TIMEOUT_SECONDS):
                users = await self._read_group(usergroup)
        except Exception:
            # Whatever went wrong, failing closed is the answer; the traceback is logged.
            if not self._failing:
                log.warning(
                    "could not read user group %s: %s",
                    usergroup,
                    self._failing_means,
                    exc_info=True,
                )
            self._failing = True
            return frozenset(), RETRY_SECONDS
        if self._failing:
            log.info("user group %s read again", usergroup)
        self._failing = False
        return frozenset(users), GROUP_TTL_SECONDS


class Membership:
    """The team's door, one per process: the group's members are cached between requests."""

    def __init__(
        self,
        team: TeamPolicy,
        read_group: GroupReader,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._team = team
        self._group = CachedGroup(
            read_group, "only the listed members and admins are let in until it can be read", clock
        )

    @property
    def restricted(self) -> bool:
        return is_restricted(self._team.members, self._team.members_usergroup)

    async def includes(self, user_id: str) -> bool:
        team, usergroup = self._team, self._team.members_usergroup
        group = await self._group.members(usergroup) if usergroup else None
        return is_member(user_id, team.members, team.admins, group)
