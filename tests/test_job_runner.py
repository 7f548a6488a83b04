"""Running occurrences against the real store: claimed once, planned state written with it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.common import info_message
from bot.deps import Deps
from jobs.catalog import ScheduledJob
from jobs.cron import parse_schedule
from jobs.job import Job, Outbound, Plan
from jobs.runner import catch_up, run_occurrence
from storage import job_runs, outbox
from storage.models import AuditRow
from tests.conftest import Clock

NINE = datetime(2026, 11, 23, 9, tzinfo=UTC)
planned: list[datetime] = []


async def two_posts(deps: Deps, occurrence: datetime) -> Plan:
    planned.append(occurrence)

    async def remember(session: AsyncSession) -> None:
        session.add(
            AuditRow(
                at=occurrence, actor="job", action="test.ran", entity="job", entity_id=0, changes={}
            )
        )

    return Plan(
        [
            Outbound("C0ONE", info_message("a")),
            Outbound("C0ONE", info_message("b")),
            Outbound("U0PERSON", info_message("c")),
        ],
        apply=remember,
    )


def daily(cron: str = "0 9 * * *") -> ScheduledJob:
    return ScheduledJob(Job("daily", cron, "test job", two_posts), parse_schedule(cron, "UTC"))


async def stored(deps: Deps) -> tuple[list[str], list[tuple[datetime, str]], int]:
    async with deps.db.session() as session:
        keys = [r.key for r in await outbox.listing(session)]
        runs = [(r.scheduled_for, r.status) for r in await job_runs.runs(session, "daily")]
        audits = len((await session.execute(AuditRow.__table__.select())).all())
    return sorted(keys), runs, audits


async def test_an_occurrence_runs_once_with_its_messages_and_state(deps: Deps) -> None:
    first = await run_occurrence(deps, daily(), NINE)
    again = await run_occurrence(deps, daily(), NINE)

    assert (first.ran, first.queued, again.ran) == (True, 3, False)
    keys, runs, audits = await stored(deps)
    assert keys == [
        "daily:2026-11-23T09:00:00Z:C0ONE:1",
        "daily:2026-11-23T09:00:00Z:C0ONE:2",
        "daily:2026-11-23T09:00:00Z:U0PERSON:1",
    ]
    assert runs == [(NINE, "done")] and audits == 1


async def test_two_replicas_racing_for_one_occurrence(deps: Deps) -> None:
    other = replace(deps, replica="replica-two")
    results = await asyncio.gather(*(run_occurrence(d, daily(), NINE) for d in (deps, other) * 3))
    assert sum(r.ran for r in results) == 1
    keys, runs, audits = await stored(deps)
    assert len(keys) == 3 and len(runs) == 1 and audits == 1


@pytest.mark.parametrize(
    ("now", "grace_minutes", "ran", "statuses"),
    [
        # down across Nov 21 and 22 09:00, back at 10:00 with a 36 h grace: one run, for the 22nd
        (
            datetime(2026, 11, 22, 10, tzinfo=UTC),
            36 * 60,
            datetime(2026, 11, 22, 9, tzinfo=UTC),
            ["done", "done"],
        ),
        # back at 23:00 with a 6 h grace: both too old, nothing runs, the newest marks the skip
        (datetime(2026, 11, 22, 23, tzinfo=UTC), 6 * 60, None, ["done", "skipped"]),
    ],
)
async def test_catch_up_after_downtime(
    deps: Deps,
    clock: Clock,
    caplog: pytest.LogCaptureFixture,
    now: datetime,
    grace_minutes: int,
    ran: datetime | None,
    statuses: list[str],
) -> None:
    await run_occurrence(deps, daily(), datetime(2026, 11, 20, 9, tzinfo=UTC))
    clock.now = now
    scheduler = deps.settings.scheduler.model_copy(update={"grace_minutes": grace_minutes})
    later = replace(deps, settings=deps.settings.model_copy(update={"scheduler": scheduler}))
    planned.clear()

    with caplog.at_level(logging.INFO, logger="jobs.runner"):
        result = await catch_up(later, daily(), now)
        second = await catch_up(later, daily(), now)  # a second replica starting too

    assert (result.occurrence if result else None) == ran
    assert planned == ([ran] if ran else [])
    assert second is None
    _, runs, _ = await stored(deps)
    assert [status for _, status in runs] == statuses
    if ran is None:
        assert (
            "occurrences from 2026-11-21T09:00:00+00:00 to 2026-11-22T09:00:00+00:00 were "
            "missed while down and are older than the 360-minute grace window: skipped"
        ) in caplog.text
