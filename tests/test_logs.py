"""The logs an operator reads or ships: LOG_LEVEL and LOG_FORMAT=json on a real `serve`,
with no start-up noise at INFO and no secret in any line, whatever the level.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

import pytest

from bot.startup import logs
from tests.conftest import SECRET, TOKEN
from tests.processes import AppProcess, app_env, signed_command, start_serve, stop
from tests.slack_api import FakeSlackApi
from tests.test_cli import run as run_cli

ROOT = Path(__file__).parent.parent
TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR) \S+: ")
NOISE = ("Added job", "will be unused", "Running on", "Scheduler started")


async def _serve_one_command(
    tmp_path: Path, slack_api: FakeSlackApi, **env: str
) -> tuple[AppProcess, str]:
    """A serve process answering one signed `/strategic account list`, then stopped; it and
    everything it wrote."""
    served, url = await start_serve(
        app_env(f"{slack_api.url}/api", f"sqlite:///{tmp_path / 'bot.db'}", **env),
        tmp_path,
        "serve",
    )
    try:
        assert await signed_command(url, slack_api.response_url(), "account list") == 200
        await slack_api.wait_for("response_url")
    finally:
        assert await stop(served) == 0
    return served, served.output()


async def test_json_logs_hold_one_record_per_line_and_no_start_up_noise(
    tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    _, output = await _serve_one_command(tmp_path, slack_api, LOG_FORMAT="json")
    records = [json.loads(line) for line in output.splitlines()]  # every line is JSON
    assert records and all({"time", "level", "logger", "message"} <= set(r) for r in records)
    assert {r["level"] for r in records} <= {"INFO", "WARNING"}
    messages = [r["message"] for r in records]
    assert any(m.startswith("listening on http://127.0.0.1:") for m in messages)
    assert any(
        r["logger"] == "aiohttp.access" and "POST /slack/events" in r["message"] for r in records
    )
    assert not [m for m in messages if any(noise in m for noise in NOISE)]
    assert TOKEN not in output and SECRET not in output


async def test_debug_from_dotenv_is_plain_text_and_masks_every_secret(
    tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    """LOG_LEVEL in `.env` (as .env.example suggests) counts as in the environment. Under
    DEBUG the libraries describe their requests; no token or signing secret shows."""
    (tmp_path / ".env").write_text("LOG_LEVEL=debug\n")
    _, output = await _serve_one_command(tmp_path, slack_api)
    lines = output.splitlines()
    starts = [line for line in lines if TEXT_LINE.match(line)]
    assert len(starts) > 20 and any(" DEBUG slack_sdk." in line for line in starts)
    assert any(" DEBUG apscheduler." in line for line in starts)  # DEBUG shows it all
    assert not any(" DEBUG aiosqlite:" in line for line in starts)  # but two lines a query
    assert TOKEN not in output and SECRET not in output


def test_a_bad_log_setting_is_one_sentence(tmp_path: Path) -> None:
    level = run_cli(["jobs", "list"], tmp_path, LOG_LEVEL="verbose")
    assert level.returncode == 2
    assert level.stderr.strip() == (
        "The setting LOG_LEVEL is invalid: 'verbose' is not a level; write one of DEBUG, "
        "INFO, WARNING, ERROR, CRITICAL."
    )
    form = run_cli(["jobs", "list"], tmp_path, LOG_FORMAT="xml")
    assert form.returncode == 2 and "The setting LOG_FORMAT is invalid" in form.stderr


def test_the_environment_wins_over_dotenv_and_empty_is_unset(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("LOG_LEVEL=WARNING\nLOG_FORMAT=json\n")
    assert logs.from_environment({"LOG_LEVEL": "error"}, dotenv) == logs.LogSettings(
        "ERROR", "json"
    )
    assert logs.from_environment({"LOG_LEVEL": ""}, tmp_path / "none") == logs.LogSettings()


def test_env_example_logging_values_are_valid(tmp_path: Path) -> None:
    """.env.example documents both variables; each value, uncommented, is accepted."""
    example = (ROOT / ".env.example").read_text()
    found = dict(re.findall(r"^#?\s*(LOG_LEVEL|LOG_FORMAT)=(\S*)$", example, re.MULTILINE))
    assert set(found) == set(logs.VARIABLES)
    dotenv = tmp_path / ".env"
    dotenv.write_text("".join(f"{k}={v}\n" for k, v in found.items()))
    assert logs.from_environment({}, dotenv) == logs.LogSettings(
        found["LOG_LEVEL"], found["LOG_FORMAT"]
    )


@pytest.mark.parametrize("formatter", [logs.TextFormatter(logs.TEXT_FORMAT), logs.JsonFormatter()])
def test_a_token_in_a_message_or_a_traceback_is_masked(formatter: logging.Formatter) -> None:
    """The masking itself: no library here logs a token today, which the serve tests
    check; this is what catches one that starts to."""
    logs.keep_secret("registered-signing-secret")
    try:
        raise ValueError("bad token xapp-1-A0APP-123-abc")
    except ValueError:
        record = logging.LogRecord(
            "t",
            logging.ERROR,
            __file__,
            1,
            "with %s and %s",
            ("xoxb-1-2-abc", "registered-signing-secret"),
            sys.exc_info(),
        )
    line = formatter.format(record)
    assert "xoxb-…" in line and "xapp-…" in line
    for secret in ("xoxb-1-2-abc", "xapp-1-A0APP-123-abc", "registered-signing-secret"):
        assert secret not in line
