"""`strategic-bot export accounts FILE.csv`: the team's spreadsheet round-trips.

Driven as an operator would, one process per command on a real SQLite file: what export
writes, import reads back to the same accounts (nothing changes, not even an audit row),
and exporting again gives the same bytes. Cells that break naive CSV writers are in the
data: commas, quotes, accents, blanks, a big ARR, every partner status.
"""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.domain.account_csv import COLUMNS

ROOT = Path(__file__).parent.parent

SPREADSHEET = (
    "name,tier,industry,lead_engineer,ta_ce,ae,exec_sponsor,channel,contract_start,"
    "contract_end,production_start,licensed_seats,available_developers,arr,partner_status,"
    "success_plan_url\n"
    'Acme Corp,1,"Manufacturing, heavy",U0LEAD,U0TACE,U0AE,U0EXEC,C0ACME,2026-02-01,'
    "2027-01-31,2026-03-01,5000,6000,1000000000000,partner,"
    "https://example.com/plan?a=1&b=2\n"
    'Société "Générale",2,Banking,,,,,,,,,,,,prospect,\n'
    "Initech,3,,U0LEAD,,,,,2025-01-01,2026-12-31,,0,,0,churned,\n"
)


def run(args: list[str], cwd: Path, database: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env = clean | {"PYTHONPATH": str(ROOT), "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def stored(database: Path) -> tuple[list[tuple[Any, ...]], int]:
    """Every account row as stored, timestamps included, and the audit log's length."""
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT * FROM accounts ORDER BY id").fetchall()
        audit = db.execute("SELECT count(*) FROM audit").fetchone()[0]
    return rows, int(audit)


def test_export_then_import_changes_nothing_and_exports_the_same_bytes(tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    (tmp_path / "team.csv").write_text(SPREADSHEET, encoding="utf-8")
    imported = run(["import", "accounts", "team.csv"], tmp_path, database)
    assert "3 added" in imported.stderr, imported.stderr

    first = run(["export", "accounts", "export.csv"], tmp_path, database)
    assert first.returncode == 0, first.stderr
    assert "export.csv: 3 account(s) exported." in first.stderr
    exported = (tmp_path / "export.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS  # exactly the columns the import reads
    assert [r["name"] for r in rows] == ["Acme Corp", 'Société "Générale"', "Initech"]
    assert rows[0]["industry"] == "Manufacturing, heavy"
    assert rows[0]["arr"] == "1000000000000"
    assert rows[1]["contract_start"] == "" and rows[1]["partner_status"] == "prospect"
    assert rows[2]["licensed_seats"] == "0"  # zero is a value, not a blank

    before = stored(database)
    again = run(["import", "accounts", "export.csv"], tmp_path, database)
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 updated, 3 unchanged" in again.stderr
    assert stored(database) == before  # not a field, a timestamp or an audit row changed

    second = run(["export", "accounts", "again.csv"], tmp_path, database)
    assert second.returncode == 0, second.stderr
    assert (tmp_path / "again.csv").read_bytes() == exported


def test_an_edited_export_updates_just_that_account(tmp_path: Path) -> None:
    """The spreadsheet is the team's to edit: a changed cell comes back as that change."""
    database = tmp_path / "bot.db"
    (tmp_path / "team.csv").write_text(SPREADSHEET, encoding="utf-8")
    run(["import", "accounts", "team.csv"], tmp_path, database)
    run(["export", "accounts", "export.csv"], tmp_path, database)
    text = (tmp_path / "export.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "edited.csv").write_text(text.replace(",5000,6000,", ",5500,6000,"))

    edited = run(["import", "accounts", "edited.csv"], tmp_path, database)

    assert "0 added, 1 updated, 2 unchanged" in edited.stderr, edited.stderr
    run(["export", "accounts", "after.csv"], tmp_path, database)
    assert (tmp_path / "after.csv").read_text(encoding="utf-8-sig") == text.replace(
        ",5000,", ",5500,"
    )


def test_the_export_moves_the_portfolio_to_a_new_bot(tmp_path: Path) -> None:
    """Imported into an empty database, the export gives back the same spreadsheet."""
    (tmp_path / "team.csv").write_text(SPREADSHEET, encoding="utf-8")
    run(["import", "accounts", "team.csv"], tmp_path, tmp_path / "old.db")
    run(["export", "accounts", "old.csv"], tmp_path, tmp_path / "old.db")

    moved = run(["import", "accounts", "old.csv"], tmp_path, tmp_path / "new.db")
    assert "3 added" in moved.stderr, moved.stderr
    run(["export", "accounts", "new.csv"], tmp_path, tmp_path / "new.db")

    assert (tmp_path / "new.csv").read_bytes() == (tmp_path / "old.csv").read_bytes()


def test_an_unwritable_file_is_one_sentence(tmp_path: Path) -> None:
    result = run(["export", "accounts", "no/such/folder/out.csv"], tmp_path, tmp_path / "bot.db")
    assert result.returncode == 1
    assert "Cannot write no/such/folder/out.csv" in result.stderr
    assert "Traceback" not in result.stderr
