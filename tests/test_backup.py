"""`strategic-bot db backup FILE`, as an operator runs it beside a working bot.

The copy must be the database as of one commit while writes go on (each account and its
audit row are one transaction: a copy with one and not the other is torn), and it must
be a database a bot starts on: restored, `serve` lists its accounts. PostgreSQL is
refused with the way to back it up instead.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from bot.config import Settings
from bot.deps import Deps
from bot.services.accounts import create_account
from bot.startup.cli import cli
from storage.db import Database
from storage.migrate import upgrade
from tests.factories import draft
from tests.processes import app_env, run, signed_command, start_serve, stop
from tests.slack_api import FakeSlackApi


async def _write_accounts(deps: Deps, stop_writing: asyncio.Event, written: list[str]) -> None:
    """Accounts Writer 0, 1, 2… one transaction each, until told to stop."""
    while not stop_writing.is_set():
        await _write_account(deps, written)
        await asyncio.sleep(0.01)


async def _write_account(deps: Deps, written: list[str]) -> None:
    name = f"Writer {len(written)}"
    await create_account(deps, draft(name=name, channel=None), actor="U0WRITER")
    written.append(name)


def _snapshot(path: Path) -> tuple[list[str], int, str]:
    """The accounts' names, the audit rows about them, and SQLite's integrity verdict."""
    with sqlite3.connect(path) as copy:
        names = [n for (n,) in copy.execute("SELECT name FROM accounts ORDER BY id")]
        audited = copy.execute("SELECT count(*) FROM audit WHERE entity = 'account'").fetchone()
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
    return names, int(audited[0]), str(verdict)


async def test_a_backup_taken_during_writes_is_one_commit_and_restores(
    tmp_path: Path, slack_api: FakeSlackApi
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'live.db'}"
    await asyncio.to_thread(upgrade, url)
    database = Database(url)
    deps = Deps(settings=Settings(database_url=url), db=database)
    env = app_env(f"{slack_api.url}/api", url)
    stop_writing = asyncio.Event()
    written: list[str] = []
    for _ in range(5):  # the bot has a history before the backup starts
        await _write_account(deps, written)
    writer = asyncio.create_task(_write_accounts(deps, stop_writing, written))
    try:
        before = len(written)
        code, output = await run(
            "db", "backup", "backup.db", env=env, cwd=tmp_path, log=tmp_path / "backup.log"
        )
        after = len(written)
    finally:
        stop_writing.set()
        await writer
        await database.dispose()
    assert code == 0, output
    assert f"to {tmp_path / 'backup.db'}" in output
    assert after > before, "no write happened while the backup ran"

    names, audited, verdict = _snapshot(tmp_path / "backup.db")
    assert verdict == "ok"
    assert before <= len(names) <= after
    assert names == [f"Writer {i}" for i in range(len(names))]  # a prefix: no gap, no torn row
    assert audited == len(names)  # each account with its audit row, never one without
    assert not (tmp_path / "backup.db-wal").exists()  # one self-contained file

    # Restore: the copy where the bot's database was, and a bot that starts on it.
    shutil.copy(tmp_path / "backup.db", tmp_path / "restored.db")
    restored = app_env(f"{slack_api.url}/api", f"sqlite:///{tmp_path / 'restored.db'}")
    served, served_url = await start_serve(restored, tmp_path, "restored")
    try:
        assert await signed_command(served_url, slack_api.response_url(), "account list") == 200
        [answer] = await slack_api.wait_for("response_url", timeout=10)
    finally:
        await stop(served)
    assert f"Strategic accounts ({len(names)})" in str(answer.params["blocks"])
    assert "Writer 0" in str(answer.params["blocks"])


def test_postgresql_is_refused_with_the_way_to_back_it_up(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["db", "backup", str(tmp_path / "copy.db")],
        env={"DATABASE_URL": "postgresql+asyncpg://bot@db.internal/strategic"},
    )
    assert result.exit_code == 1
    assert "for PostgreSQL use pg_dump" in result.output
    assert not (tmp_path / "copy.db").exists()


def test_no_database_to_back_up_creates_none(tmp_path: Path) -> None:
    """A typo in DATABASE_URL must not create an empty database and call it a backup."""
    missing = tmp_path / "typo.db"
    result = CliRunner().invoke(
        cli,
        ["db", "backup", str(tmp_path / "copy.db")],
        env={"DATABASE_URL": f"sqlite+aiosqlite:///{missing}"},
    )
    assert result.exit_code == 1
    assert f"There is no database at {missing}" in result.output
    assert not missing.exists() and not (tmp_path / "copy.db").exists()


def test_a_target_that_cannot_be_written_is_one_sentence(tmp_path: Path) -> None:
    """A folder where the file should go: refused in a sentence, no traceback, no debris."""
    database = tmp_path / "bot.db"
    sqlite3.connect(database).close()
    (tmp_path / "taken").mkdir()
    result = CliRunner().invoke(
        cli,
        ["db", "backup", str(tmp_path / "taken")],
        env={"DATABASE_URL": f"sqlite:///{database}"},
    )
    assert result.exit_code == 1
    assert f"Could not back up {database} to {tmp_path / 'taken'}:" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.db", "taken"]
