"""`POST /api/metrics`: a data pipeline pushes daily snapshots, authenticated by a bearer token.

Body: `{"snapshots": [{"account": …, "day": "YYYY-MM-DD", "dau": …, "mau": …, "seats": …,
"assistant_dau": …, "shown": …, "accepted": …}, …]}`, at most 10,000 rows. All rows are
stored or none: 422 lists every problem with its row index (0-based).
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from aiohttp import web

from bot.deps import Deps
from bot.domain.csv_rows import RowError
from bot.domain.metrics import SnapshotInput, validate_snapshot
from bot.errors import RowsRejected
from bot.services.metrics import record_snapshots

PATH = "/api/metrics"
MAX_ROWS = 10_000


def metrics_route(deps: Deps) -> web.RouteDef:
    async def receive(request: web.Request) -> web.Response:
        if not _authorized(deps, request.headers.get("Authorization", "")):
            return _problem(401, [{"error": "a valid bearer token is required"}])
        try:
            body = json.loads(await request.text())
        except ValueError:
            return _problem(422, [{"error": "the body is not JSON"}])
        rows = body.get("snapshots") if isinstance(body, dict) else None
        if not isinstance(rows, list) or not rows:
            return _problem(422, [{"error": 'send {"snapshots": [ … ]} with at least one row'}])
        if len(rows) > MAX_ROWS:
            return _problem(
                422, [{"error": f"{len(rows)} rows: send at most {MAX_ROWS} a request"}]
            )
        snapshots, problems = _validate(rows, deps)
        if problems:
            return _problem(422, problems)
        try:
            stored = await record_snapshots(deps, snapshots)
        except RowsRejected as exc:
            return _problem(422, [_as_json(e) for e in exc.errors])
        return web.json_response({"ok": True, "stored": stored})

    return web.post(PATH, receive)


def _authorized(deps: Deps, header: str) -> bool:
    token = deps.settings.metrics_api_token
    if token is None or not header.startswith("Bearer "):
        return False
    return hmac.compare_digest(
        header.removeprefix("Bearer ").encode(), token.get_secret_value().encode()
    )


def _validate(
    rows: list[Any], deps: Deps
) -> tuple[list[tuple[int, SnapshotInput]], list[dict[str, Any]]]:
    snapshots: list[tuple[int, SnapshotInput]] = []
    problems: list[dict[str, Any]] = []
    today = deps.today()
    for index, row in enumerate(rows):
        result = (
            validate_snapshot(row, today) if isinstance(row, dict) else {"row": "not an object"}
        )
        if isinstance(result, dict):
            problems += [{"row": index, "field": f, "error": m} for f, m in result.items()]
        else:
            snapshots.append((index, result))
    return snapshots, problems


def _as_json(error: RowError) -> dict[str, Any]:
    field, _, message = error.message.partition(": ")
    return {"row": error.line, "field": field, "error": message}


def _problem(status: int, errors: list[dict[str, Any]]) -> web.Response:
    return web.json_response({"ok": False, "errors": errors}, status=status)
