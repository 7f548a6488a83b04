"""Failures from outside the bot, as an operator meets them: a PostgreSQL that is down, a
SQLite file that cannot be opened, a port another process holds. Each is one sentence
and a non-zero exit (it was hundreds of lines of traceback); --debug or LOG_LEVEL=DEBUG
add the traceback for whoever wants it.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from tests.processes import app_env, free_port, run
from tests.slack_api import FakeSlackApi
from tests.test_cli import run as run_cli


def test_an_unreachable_postgresql_is_one_sentence_without_its_password(tmp_path: Path) -> None:
    port = free_port()  # free a moment ago, and nobody here binds it: nothing listens
    url = f"postgresql://bot:hunter2@127.0.0.1:{port}/strategic"
    said = (
        f"Cannot connect to the database postgresql://bot:***@127.0.0.1:{port}/strategic: "
        "the connection was refused"
    )
    result = run_cli(["outbox", "list"], tmp_path, DATABASE_URL=url)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]  # one line
    assert said in result.stderr and "hunter2" not in result.stderr

    for shown in (
        run_cli(["--debug", "outbox", "list"], tmp_path, DATABASE_URL=url),
        run_cli(["outbox", "list"], tmp_path, DATABASE_URL=url, LOG_LEVEL="DEBUG"),
    ):
        assert shown.returncode == 1
        assert "Traceback (most recent call last)" in shown.stderr
        assert "ConnectionRefusedError" in shown.stderr
        assert said in shown.stderr.strip().splitlines()[-1]  # the sentence still ends it
        assert "hunter2" not in shown.stderr


@pytest.mark.parametrize("command", [["db", "upgrade"], ["outbox", "list"], ["audit"]])
def test_a_sqlite_file_that_cannot_be_opened_is_one_sentence(
    tmp_path: Path, command: list[str]
) -> None:
    result = run_cli(command, tmp_path, DATABASE_URL="sqlite:////nonexistent/dir/bot.db")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Cannot open the SQLite database /nonexistent/dir/bot.db: unable to open database "
        "file; check that its folder exists and that this user may write there."
    )


def test_a_file_that_is_no_sqlite_database_is_one_sentence(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("not a database, some notes\n" * 100)
    result = run_cli(["outbox", "list"], tmp_path, DATABASE_URL=f"sqlite:///{notes}")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Cannot open the SQLite database {notes}: file is not a database; check "
        "DATABASE_URL: it names a file that is not a SQLite database."
    )
    assert notes.read_text().startswith("not a database")  # left as it was


async def test_a_port_in_use_stops_serve_with_one_sentence_before_anything_starts(
    tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    """Bound before the store and the scheduler: nothing is created or caught up on."""
    database = tmp_path / "bot.db"
    env = app_env(f"{slack_api.url}/api", f"sqlite:///{database}")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        args = ("serve", "--host", "127.0.0.1", "--port", str(port))
        code, output = await run(*args, env=env, cwd=tmp_path, log=tmp_path / "serve.log")
        assert code == 1
        assert output.strip() == (
            f"Port {port} on 127.0.0.1 is already in use: stop the process that listens "
            "there, or serve on another port with --port."
        )
        assert not database.exists()

        code, output = await run(
            "--debug", *args, env=env, cwd=tmp_path, log=tmp_path / "debug.log"
        )
        assert code == 1
        assert "Traceback (most recent call last)" in output and "OSError" in output
        assert output.strip().splitlines()[-1].startswith(f"Port {port} on 127.0.0.1 is")


def test_a_failure_in_a_json_log_is_one_json_record(tmp_path: Path) -> None:
    """With LOG_FORMAT=json, stderr holds records only: the sentence is one, at ERROR, and
    --debug puts the traceback in its exc_info."""
    env = {"DATABASE_URL": "sqlite:////nonexistent/dir/bot.db", "LOG_FORMAT": "json"}
    plain = run_cli(["outbox", "list"], tmp_path, **env)
    [record] = [json.loads(line) for line in plain.stderr.splitlines()]
    assert plain.returncode == 1
    assert record["level"] == "ERROR" and "exc_info" not in record
    assert record["message"].startswith("Cannot open the SQLite database /nonexistent/dir/bot.db")

    debug = run_cli(["--debug", "outbox", "list"], tmp_path, **env)
    *_debug_lines, record = [json.loads(line) for line in debug.stderr.splitlines()]
    assert record["level"] == "ERROR"
    assert record["message"].startswith("Cannot open the SQLite database")
    assert "Traceback (most recent call last)" in record["exc_info"]
    assert "unable to open database file" in record["exc_info"]
