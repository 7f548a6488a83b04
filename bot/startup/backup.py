"""`strategic-bot db backup FILE`: a consistent copy of the SQLite database, bot running.

SQLite's online backup API (`sqlite3.Connection.backup`) copies every page under one
read transaction: in WAL mode (storage/db.py turns it on) writers go on meanwhile, and
the copy is the database as of one commit, never half of one. Copying the file with `cp`
is not that: the latest commits may still sit in the `-wal` file beside it.

The copy is written next to FILE under a temporary name and renamed over it once
checked, so FILE is always either the previous backup or a complete new one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class BackupRefused(Exception):
    """Nothing was written; the message says why, in one sentence for the operator."""


@dataclass(frozen=True)
class Backup:
    source: Path
    target: Path
    size: int


def sqlite_path(database_url: str) -> Path:
    """The file of a SQLite DATABASE_URL; BackupRefused for anything else."""
    try:
        url = make_url(database_url)
    except ArgumentError:
        raise BackupRefused(f"DATABASE_URL is not a database URL: {database_url!r}.") from None
    if url.get_backend_name() == "postgresql":
        raise BackupRefused(
            "db backup copies a SQLite database; for PostgreSQL use pg_dump, e.g. "
            "`pg_dump --format=custom --file=strategic-bot.dump DATABASE` "
            "(see the README's Backups section)."
        )
    if url.get_backend_name() != "sqlite":
        raise BackupRefused(f"db backup copies a SQLite database, not {url.get_backend_name()}.")
    if not url.database or url.database == ":memory:":
        raise BackupRefused("DATABASE_URL names an in-memory SQLite database: nothing to back up.")
    return Path(url.database)


def backup(database_url: str, target: Path) -> Backup:
    """Copy the database of `database_url` to `target`, checked, or raise BackupRefused."""
    source = sqlite_path(database_url).resolve()
    if not source.is_file():
        raise BackupRefused(f"There is no database at {source} (DATABASE_URL) to back up.")
    target = target.resolve()
    if target == source:
        raise BackupRefused(f"{target} is the database itself; name another file.")
    if not target.parent.is_dir():
        raise BackupRefused(f"The folder {target.parent} does not exist.")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        # mode=rw: a typo'd path must not create an empty database to "back up".
        with (
            contextlib.closing(
                sqlite3.connect(f"{source.as_uri()}?mode=rw", uri=True, timeout=30)
            ) as db,
            contextlib.closing(sqlite3.connect(partial)) as copy,
        ):
            db.backup(copy)  # every page in one step: one read transaction, one snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
            checked = copy.execute("PRAGMA integrity_check").fetchone()[0]
            if checked != "ok":
                raise BackupRefused(f"The copy failed SQLite's integrity check: {checked}.")
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        raise BackupRefused(f"Could not back up {source} to {target}: {exc}.") from None
    finally:
        partial.unlink(missing_ok=True)
    return Backup(source, target, target.stat().st_size)
