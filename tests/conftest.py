"""Fixtures: the loopback Slack API, a migrated database per backend, and the app over HTTP.

Storage and end-to-end tests run once on SQLite and, where TEST_POSTGRES_URL is set,
again on PostgreSQL. The schema comes from the real Alembic migrations.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import text

from bot.config import SchedulerPolicy, Settings, TeamPolicy
from bot.deps import Deps, utc_now
from jobs.delivery import Delivery, delivery_client
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base
from tests.app_client import AppClient
from tests.slack_api import FakeSlackApi

SECRET = "test-signing-secret"
TOKEN = "xoxb-test-token"
BACKENDS = ["sqlite", "postgres"]

# The tests configure the app themselves; a developer's shell must not leak into them.
for variable in list(os.environ):
    if variable.startswith(("SLACK_", "DATABASE_URL", "STRATEGIC_BOT", "TEAM__")):
        os.environ.pop(variable)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
async def slack_api_server() -> AsyncIterator[FakeSlackApi]:
    async with FakeSlackApi() as api:
        yield api


@pytest.fixture
async def slack_api(slack_api_server: FakeSlackApi) -> AsyncIterator[FakeSlackApi]:
    """The Web API server, fresh for the test; any block over Slack's limits fails the test."""
    slack_api_server.reset()
    yield slack_api_server
    assert slack_api_server.violations == [], slack_api_server.violations


def _postgres_url() -> str | None:
    return os.environ.get("TEST_POSTGRES_URL")


@pytest.fixture(scope="session", params=BACKENDS)
async def migrated_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        url = _postgres_url() or ""
        if not url:
            pytest.skip("TEST_POSTGRES_URL is not set")
        url = Settings(database_url=url).database_url
        await _drop_all(url)
    await asyncio.to_thread(upgrade, url)
    database = Database(url)
    yield database
    await database.dispose()


async def _drop_all(url: str) -> None:
    """Start PostgreSQL runs from an empty schema, whatever an earlier run left."""
    database = Database(url)
    async with database.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await database.dispose()


@pytest.fixture
async def db(migrated_db: Database) -> AsyncIterator[Database]:
    """The migrated database, emptied before each test."""
    async with migrated_db.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(table.delete())
    yield migrated_db


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def team() -> TeamPolicy:
    return TeamPolicy()


@pytest.fixture
def scheduler() -> SchedulerPolicy:
    return SchedulerPolicy()


@pytest.fixture
def deps(
    db: Database,
    slack_api: FakeSlackApi,
    clock: Clock,
    team: TeamPolicy,
    scheduler: SchedulerPolicy,
) -> Deps:
    settings = Settings(
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=f"{slack_api.url}/api/",
        database_url=db.url,
        team=team,
        scheduler=scheduler,
    )
    return Deps(settings=settings, db=db, clock=clock)


@pytest.fixture
async def delivering(deps: Deps) -> AsyncIterator[Delivery]:
    """A sender running in the background, as in `serve`: a click or a submit that queues
    an edit sees it land. It shares the test's doorbell, so a commit wakes it at once.

    Real clock (leases and Retry-After are real seconds), no pacing, short backoff.
    """
    fast = {"channel_pace_seconds": 0.0, "backoff_base_seconds": 0.05}
    scheduler = deps.settings.scheduler.model_copy(update=fast)
    settings = deps.settings.model_copy(update={"scheduler": scheduler})
    sender = replace(deps, settings=settings, clock=utc_now)
    stop = asyncio.Event()
    async with aiohttp.ClientSession() as http:
        delivery = Delivery(sender, delivery_client(sender, http))
        running = asyncio.create_task(delivery.run(stop), name="test-delivery")
        try:
            yield delivery
        finally:
            stop.set()
            await asyncio.wait_for(running, 10)


@pytest.fixture
async def slack(deps: Deps, slack_api: FakeSlackApi) -> AsyncIterator[AppClient]:
    client = AppClient(deps, slack_api, SECRET)
    await client.start()
    yield client
    await client.stop()


@pytest.fixture
def data_dir() -> Iterator[Path]:
    yield Path(__file__).parent / "data"
