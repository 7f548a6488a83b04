"""Nothing gets in: /slack/events checks the signature on the raw bytes before anything is
parsed, refuses what is too large unread, and the access log of `serve` holds no query.

Every refusal is one short log line, with no body, secret or header value in it, and no
call at all to Slack: not the Web API, not the response_url the body names.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
from pathlib import Path

import aiohttp
import pytest
from multidict import CIMultiDict

from bot.startup.server import EVENTS_PATH, MAX_EVENT_BYTES
from tests.app_client import AppClient, fresh_trigger_id, payload
from tests.conftest import SECRET
from tests.processes import app_env, start_serve, stop
from tests.signing import signed_headers
from tests.slack_api import FakeSlackApi

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MARKER = "body-marker-7f3a"
"""Text in every body, so a test can tell that no log line quotes one."""
FORGED = "v0=" + "ab" * 32


def _command(slack: AppClient, text: str = f"account show {MARKER}") -> str:
    """A whole command naming a response_url and a user: what Bolt's error handler wrote to."""
    form = payload("slash_command") | {
        "text": text,
        "response_url": slack.api.response_url(),
        "trigger_id": fresh_trigger_id(),
    }
    return urllib.parse.urlencode(form)


def _refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.startup.server"]


def _assert_refused_quietly(
    caplog: pytest.LogCaptureFixture, slack_api: FakeSlackApi, *secrets: str
) -> None:
    """One line of ours, quoting nothing sent; no traceback; no call to Slack of any kind."""
    assert len(_refusals(caplog)) == 1, _refusals(caplog)
    for secret in (SECRET, MARKER, FORGED, *secrets):
        assert secret not in caplog.text
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert slack_api.calls == []


@pytest.mark.parametrize(
    ("name", "headers"),
    [
        ("timestamp x", {"X-Slack-Request-Timestamp": "x", "X-Slack-Signature": FORGED}),
        ("timestamp 1e3", {"X-Slack-Request-Timestamp": "1e3", "X-Slack-Signature": FORGED}),
        ("timestamp empty", {"X-Slack-Request-Timestamp": "", "X-Slack-Signature": FORGED}),
        ("timestamp -1", {"X-Slack-Request-Timestamp": "-1", "X-Slack-Signature": FORGED}),
        ("timestamp 5,000 digits", {"X-Slack-Request-Timestamp": "9" * 5000}),
        ("no timestamp", {"X-Slack-Signature": FORGED}),
        ("no signature, no timestamp", {}),
    ],
)
async def test_a_malformed_timestamp_is_refused_before_bolt_sees_anything(
    slack: AppClient,
    slack_api: FakeSlackApi,
    caplog: pytest.LogCaptureFixture,
    name: str,
    headers: dict[str, str],
) -> None:
    with caplog.at_level(logging.INFO):
        response = await slack.post_raw(_command(slack), FORM, headers)
    assert response.status == 401, name
    _assert_refused_quietly(caplog, slack_api, *[v for v in headers.values() if len(v) > 3])


@pytest.mark.parametrize(
    ("name", "seconds_off", "key", "tamper"),
    [
        ("signed 301 s ago", -301, SECRET, False),
        ("signed 301 s ahead", 301, SECRET, False),
        ("signed a day ago", -86_400, SECRET, False),
        ("signed with another secret", 0, "not-the-secret", False),
        ("signed, then changed", 0, SECRET, True),
    ],
)
async def test_a_stale_or_wrong_signature_is_refused(
    slack: AppClient,
    slack_api: FakeSlackApi,
    caplog: pytest.LogCaptureFixture,
    name: str,
    seconds_off: int,
    key: str,
    tamper: bool,
) -> None:
    body = _command(slack)
    stamp = int(slack.deps.clock().timestamp()) + seconds_off
    headers = signed_headers(key, body, timestamp=stamp)
    sent = body.replace("show", "list") if tamper else body
    with caplog.at_level(logging.INFO):
        response = await slack.post_raw(sent, FORM, headers)
    assert response.status == 401, name
    _assert_refused_quietly(caplog, slack_api, headers["X-Slack-Signature"], str(stamp))


async def test_a_missing_or_doubled_signature_is_refused(
    slack: AppClient, slack_api: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    body = _command(slack)
    good = slack.signed(body)
    stamp_only = {"X-Slack-Request-Timestamp": good["X-Slack-Request-Timestamp"]}
    doubled = CIMultiDict([*good.items(), ("X-Slack-Signature", FORGED), ("Content-Type", FORM)])
    with caplog.at_level(logging.INFO):
        assert (await slack.post_raw(body, FORM, stamp_only)).status == 401
        async with (  # two signatures: which one is meant?
            aiohttp.ClientSession() as http,
            http.post(slack.url + EVENTS_PATH, data=body, headers=doubled) as twice,
        ):
            assert twice.status == 401
    assert len(_refusals(caplog)) == 2
    assert slack_api.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=\xff", FORM),
        (b"payload={bad", FORM),
        (b"payload=[1]", FORM),
        (b"[1,2]", JSON),
        (b"{bad", JSON),
        (b"\xff\xfe{", JSON),
    ],
)
async def test_a_malformed_unsigned_body_is_refused_unread(
    slack: AppClient,
    slack_api: FakeSlackApi,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
) -> None:
    stamp = str(int(slack.deps.clock().timestamp()))
    headers = {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": FORGED}
    with caplog.at_level(logging.INFO):
        response = await slack.post_raw(body, content_type, headers)
    assert response.status == 401
    _assert_refused_quietly(caplog, slack_api)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"payload=\xff", FORM), (b"payload={bad", FORM), (b"{bad", JSON), (b"[1,2]", JSON)],
)
async def test_a_signed_body_that_is_no_slack_payload_is_400_without_a_traceback(
    slack: AppClient,
    slack_api: FakeSlackApi,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
) -> None:
    with caplog.at_level(logging.INFO):
        response = await slack.post_raw(body, content_type, slack.signed(body))
    assert response.status == 400
    assert "nothing was read or changed" in await response.text()
    _assert_refused_quietly(caplog, slack_api)


async def test_a_body_over_the_limit_is_413_unread(
    slack: AppClient, slack_api: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    body = "payload=" + MARKER + "x" * MAX_EVENT_BYTES
    with caplog.at_level(logging.INFO):
        response = await slack.post_raw(body, FORM, slack.signed(body))
    assert response.status == 413
    _assert_refused_quietly(caplog, slack_api)


@pytest.mark.parametrize("seconds_off", [0, -300, 300])
async def test_a_request_signed_within_five_minutes_is_answered(
    slack: AppClient, slack_api: FakeSlackApi, seconds_off: int
) -> None:
    body = _command(slack, "help")
    response = await slack.post_raw(body, FORM, slack.signed(body, seconds_off))
    assert response.status == 200
    assert "/strategic" in await response.text()
    challenge = json.dumps({"type": "url_verification", "challenge": "c-42", "token": "t"})
    answered = await slack.post_raw(challenge, JSON, slack.signed(challenge, seconds_off))
    assert (answered.status, json.loads(await answered.text())) == (200, {"challenge": "c-42"})


async def test_the_access_log_of_serve_holds_no_query_string(
    tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    env = app_env(f"{slack_api.url}/api", f"sqlite:///{tmp_path / 'served.db'}")
    process, url = await start_serve(env, tmp_path, "serve")
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{url}/healthz?token=query-secret-1") as health:
                assert health.status == 200
            headers = {"Referer": f"{url}/?token=query-secret-2"}
            async with http.post(f"{url}/slack/events?token=query-secret-3", headers=headers):
                pass
    finally:
        await stop(process)
    log = process.output()
    assert '"GET /healthz HTTP/1.1" 200' in log
    assert '"POST /slack/events HTTP/1.1" 401' in log
    assert "query-secret" not in log and "token=" not in log
