"""`POST /api/metrics`: a data pipeline pushes daily snapshots, authenticated by a bearer token.

Body: `{"snapshots": [{"account": …, "day": "YYYY-MM-DD", "dau": …, "mau": …, "seats": …,
"assistant_dau": …, "shown": …, "accepted": …}, …]}`, at most 10,000 rows. All rows are
stored or none: 422 lists every problem with its row index (0-based).
"""

from __future__ import annotations

import hmac
import json
import re
from typing import Any

from aiohttp import web

from bot.deps import Deps
from bot.domain.csv_rows import RowError
from bot.domain.metrics import SnapshotInput, repeated_days, validate_snapshot
from bot.errors import RowsRejected
from bot.services.metrics import record_snapshots

PATH = "/api/metrics"
MAX_ROWS = 10_000
MAX_BYTES = 4 * 1024**2
"""10,000 rows of real figures come to about 1.4 MB, more with long names: the app-wide
1 MiB (kept for Slack's unsigned callers) would refuse a batch the README allows."""
ROW_DEPTH = 3
"""The body's object, its `snapshots` list, a row's object: a field holds a single value."""
_JSON_TOKEN = re.compile(r'("(?:[^"\\]|\\.)*")\s*(:)?|[\[\]{},]')
"""A string (a key when a colon follows), a bracket or a comma: enough to follow nesting."""

Problem = dict[str, Any]


def metrics_route(deps: Deps) -> web.RouteDef:
    async def receive(request: web.Request) -> web.Response:
        if not _authorized(deps, request.headers.get("Authorization", "")):
            return _problem(401, [{"error": "a valid bearer token is required"}])
        try:
            raw = await request.clone(client_max_size=MAX_BYTES).read()
        except web.HTTPRequestEntityTooLarge:
            too_large = f"the body is over {MAX_BYTES:,} bytes: send at most {MAX_ROWS} rows"
            return _problem(413, [{"error": too_large}])
        rows = _rows(raw)
        if not isinstance(rows, list):
            return _problem(422, [rows])
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


def _rows(raw: bytes) -> list[Any] | Problem:
    """The body's rows, or the one problem that leaves none to look at."""
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        return {"error": "the body is not UTF-8"}
    try:
        body = json.loads(text)
    except RecursionError:
        return _too_deep(text)
    except ValueError:
        return {"error": "the body is not JSON"}
    rows = body.get("snapshots") if isinstance(body, dict) else None
    if not isinstance(rows, list) or not rows:
        return {"error": 'send {"snapshots": [ … ]} with at least one row'}
    if len(rows) > MAX_ROWS:
        return {"error": f"{len(rows)} rows: send at most {MAX_ROWS} a request"}
    return rows


def _too_deep(text: str) -> Problem:
    """The row and field where a list or an object opens inside a row's field.

    json gives up on JSON nested a thousand levels deep without saying where; the part
    before that point parsed, so following its brackets finds the field to name.
    """
    path: list[list[Any]] = []  # per open bracket: [the bracket, its key or index so far]
    for token in _JSON_TOKEN.finditer(text):
        string, colon = token.groups()
        if string is not None:
            if colon and path:
                path[-1][1] = json.loads(string)
        elif token[0] == ",":
            if path and path[-1][0] == "[":
                path[-1][1] += 1
        elif token[0] in "]}":
            path.pop()
        elif len(path) < ROW_DEPTH:
            path.append([token[0], 0 if token[0] == "[" else ""])
        else:
            break
    keys = [key for _, key in path]
    if len(keys) == ROW_DEPTH and keys[0] == "snapshots" and isinstance(keys[2], str):
        return {"row": keys[1], "field": keys[2], "error": "must be a single value"}
    return {"error": "the body nests lists or objects too deeply"}


def _validate(rows: list[Any], deps: Deps) -> tuple[list[tuple[int, SnapshotInput]], list[Problem]]:
    snapshots: list[tuple[int, SnapshotInput]] = []
    problems: list[Problem] = []
    today = deps.today()
    for index, row in enumerate(rows):
        result = (
            validate_snapshot(row, today) if isinstance(row, dict) else {"row": "not an object"}
        )
        if isinstance(result, dict):
            problems += [{"row": index, "field": f, "error": m} for f, m in result.items()]
        else:
            snapshots.append((index, result))
    problems += [_as_json(e) for e in repeated_days(snapshots)]
    return snapshots, sorted(problems, key=lambda p: int(p["row"]))


def _as_json(error: RowError) -> Problem:
    field, _, message = error.message.partition(": ")
    return {"row": error.line, "field": field, "error": message}


def _problem(status: int, errors: list[Problem]) -> web.Response:
    return web.json_response({"ok": False, "errors": errors}, status=status)
