"""`POST /api/metrics`: the data pipeline's way in, over real HTTP."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from bot.config import Settings
from bot.deps import Deps
from bot.domain.numbers import INTEGER_MAX, SUMMED_MAX
from bot.startup.metrics_api import MAX_BYTES
from storage.metrics import figures_as_of
from storage.models import MetricSnapshotRow
from tests.app_client import AppClient
from tests.factories import make_account

TOKEN = "pipeline-secret"
ROW = {"account": "Acme Corp", "day": "2026-11-22", "dau": 50, "mau": 100, "seats": 120}
DEEP = "[" * 100_000 + "]" * 100_000
"""Nesting past any JSON parser's recursion: json.dumps cannot even write it."""


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


async def stored_rows(deps: Deps) -> int:
    async with deps.db.session() as session:
        return len((await session.execute(MetricSnapshotRow.__table__.select())).all())


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
        (
            {"snapshots": [ROW | {"seats": 10**20}, ROW | {"day": "2026-11-21", "shown": 10**400}]},
            [
                {"row": 0, "field": "seats", "error": "must be at most 2,147,483,647"},
                {"row": 1, "field": "shown", "error": "must be at most 1,000,000,000,000"},
            ],
        ),
        (
            {"snapshots": [ROW | {"dau": True}, ROW | {"day": "2026-11-21", "seats": False}]},
            [
                {"row": 0, "field": "dau", "error": "must be a number, not true or false"},
                {"row": 1, "field": "seats", "error": "must be a number, not true or false"},
            ],
        ),
        (
            {"snapshots": [ROW, ROW | {"dau": 5}, ROW | {"day": "2026-11-21"}, ROW | {"dau": -1}]},
            [
                {
                    "row": 1,
                    "field": "account",
                    "error": "Acme Corp on 2026-11-22 is already on line 0",
                },
                {"row": 3, "field": "dau", "error": "must not be negative"},
            ],
        ),
        (
            f'{{"snapshots": [{json.dumps(ROW)}, {{"account": "Acme Corp", "mau": {DEEP}}}]}}',
            [{"row": 1, "field": "mau", "error": "must be a single value"}],
        ),
        (
            {"snapshots": [ROW | {"dau": [[50]]}]},
            [{"row": 0, "field": "dau", "error": "must be a whole number"}],
        ),
        (DEEP, [{"error": "the body nests lists or objects too deeply"}]),
    ],
)
async def test_bad_batches_422_with_every_problem_and_nothing_stored(
    slack: AppClient, deps: Deps, payload: Any, errors: list[dict[str, Any]]
) -> None:
    account = await make_account(deps)
    text = payload if isinstance(payload, str) else json.dumps(payload)
    status, body = await slack.post_json_text("/api/metrics", text, TOKEN)
    assert (status, body) == (422, {"ok": False, "errors": errors})
    assert await latest_day(deps, account.id) is None
    assert await stored_rows(deps) == 0


async def test_the_largest_figures_the_columns_hold_are_stored_and_no_larger(
    slack: AppClient, deps: Deps
) -> None:
    await make_account(deps)
    limits = dict.fromkeys(["dau", "mau", "seats", "assistant_dau"], INTEGER_MAX)
    limits |= dict.fromkeys(["shown", "accepted"], SUMMED_MAX)
    largest = ROW | limits
    status, body = await slack.post_json("/api/metrics", {"snapshots": [largest]}, TOKEN)
    assert (status, body) == (200, {"ok": True, "stored": 1})
    for field, limit in limits.items():
        too_large = largest | {"day": "2026-11-21", field: limit + 1}
        status, body = await slack.post_json("/api/metrics", {"snapshots": [too_large]}, TOKEN)
        assert status == 422 and body["errors"][0]["field"] == field, body
    assert await stored_rows(deps) == 1


async def test_ten_thousand_real_rows_are_one_batch(slack: AppClient, deps: Deps) -> None:
    """The README allows 10,000 rows a request: with real names and every figure that is
    more than aiohttp's default 1 MiB."""
    names = [f"Northwind Traders Holdings {n:02}" for n in range(40)]
    for name in names:
        await make_account(deps, name=name)
    rows = [
        {
            "account": name,
            "day": (date(2026, 11, 22) - timedelta(days=n)).isoformat(),
            "dau": 1830 + n,
            "mau": 4120 + n,
            "seats": 5000,
            "assistant_dau": 1210 + n,
            "shown": 184_211 + n,
            "accepted": 52_977 + n,
        }
        for name in names
        for n in range(250)
    ]
    text = json.dumps({"snapshots": rows})
    assert len(text) > 1024**2
    status, body = await slack.post_json_text("/api/metrics", text, TOKEN)
    assert (status, body) == (200, {"ok": True, "stored": 10_000})
    assert await stored_rows(deps) == 10_000


async def test_a_body_over_the_limit_is_413_unread(slack: AppClient, deps: Deps) -> None:
    await make_account(deps)
    text = json.dumps({"snapshots": [ROW], "padding": "x" * MAX_BYTES})
    status, body = await slack.post_json_text("/api/metrics", text, TOKEN)
    assert status == 413 and "4,194,304 bytes" in body["errors"][0]["error"]
    assert await stored_rows(deps) == 0
