"""`POST /api/metrics`: the data pipeline's way in, over real HTTP."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.config import Settings
from bot.deps import Deps
from storage.metrics import figures_as_of
from tests.app_client import AppClient
from tests.factories import make_account

TOKEN = "pipeline-secret"
ROW = {"account": "Acme Corp", "day": "2026-11-22", "dau": 50, "mau": 100, "seats": 120}


@pytest.fixture
def deps(deps: Deps) -> Deps:
    """The shared deps, with the pipeline's token configured."""
    settings = Settings.model_validate(deps.settings.model_dump() | {"metrics_api_token": TOKEN})
    return Deps(settings=settings, db=deps.db, clock=deps.clock)


async def latest_day(deps: Deps, account_id: int) -> date | None:
    async with deps.db.session() as session:
        return (await figures_as_of(session, date(2026, 11, 23), [account_id]))[
            account_id
        ].latest_day


async def test_a_batch_is_stored(slack: AppClient, deps: Deps) -> None:
    account = await make_account(deps)
    rows = [ROW, ROW | {"day": "2026-11-21", "shown": 10, "accepted": 4}]
    status, body = await slack.post_json("/api/metrics", {"snapshots": rows}, TOKEN)
    assert (status, body) == (200, {"ok": True, "stored": 2})
    assert await latest_day(deps, account.id) == date(2026, 11, 22)


@pytest.mark.parametrize("token", [None, "wrong"])
async def test_without_the_token_401_and_nothing_stored(
    slack: AppClient, deps: Deps, token: str | None
) -> None:
    account = await make_account(deps)
    status, body = await slack.post_json("/api/metrics", {"snapshots": [ROW]}, token)
    assert status == 401 and body["ok"] is False
    assert await latest_day(deps, account.id) is None


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (
            {"snapshots": [ROW, ROW | {"dau": -1}, ROW | {"mau": 5000}]},
            [
                {"row": 1, "field": "dau", "error": "must not be negative"},
                {
                    "row": 2,
                    "field": "mau",
                    "error": "5000 monthly users is more than 10 times "
                    "the 120 licensed seats; check the seats",
                },
            ],
        ),
        (
            {"snapshots": [ROW, ROW | {"account": "Globex"}]},
            [{"row": 1, "field": "account", "error": "no active account is named Globex"}],
        ),
        (
            {"snapshots": [ROW | {"day": "2026-12-01"}]},
            [{"row": 0, "field": "day", "error": "2026-12-01 is in the future"}],
        ),
        ({"rows": []}, [{"error": 'send {"snapshots": [ … ]} with at least one row'}]),
        ({"snapshots": [ROW] * 10_001}, [{"error": "10001 rows: send at most 10000 a request"}]),
    ],
)
async def test_bad_batches_422_with_every_problem_and_nothing_stored(
    slack: AppClient, deps: Deps, payload: dict[str, Any], errors: list[dict[str, Any]]
) -> None:
    account = await make_account(deps)
    status, body = await slack.post_json("/api/metrics", payload, TOKEN)
    assert (status, body) == (422, {"ok": False, "errors": errors})
    assert await latest_day(deps, account.id) is None
