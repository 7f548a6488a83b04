"""`strategic-bot import okrs FILE.yaml`: all or nothing, errors that say where, and a second
import of the same file that changes nothing — not even an audit row, not a check-in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import func, select

from bot.deps import Deps
from bot.domain.okrs import CheckinDraft, OkrFile, Status
from bot.services.okrs import check_in, import_okrs, quarter_okrs
from bot.startup.okr_import import read_okr_file
from storage.models import AuditRow, OkrCheckinRow, OkrKeyResultRow
from tests.test_cli import run

DATA = Path(__file__).parent / "data"
GOOD, BAD = DATA / "okrs.yaml", DATA / "okrs-bad.yaml"


def _counts(database: Path) -> tuple[int, int, int]:
    """Key results, check-ins and audit rows in the CLI's SQLite file."""
    with sqlite3.connect(database) as connection:
        found = [
            int(connection.execute(f"select count(*) from {table}").fetchone()[0])
            for table in ("okr_key_results", "okr_checkins", "audit")
        ]
    return found[0], found[1], found[2]


def test_a_bad_file_imports_nothing_and_says_where_each_problem_is(tmp_path: Path) -> None:
    rejected = run(["import", "okrs", str(BAD)], tmp_path)
    assert rejected.returncode == 1
    assert "nothing imported" in rejected.stderr
    where = "teams[0].objectives"
    for problem in (
        f"{BAD}: {where}[0].key_results[1]: target is missing",
        f"{BAD}: {where}[1].key_results[0]: owner alice is not a Slack user ID (U0123ABCD)",
    ):
        assert problem in rejected.stderr, rejected.stderr
    # The first key result of the file was fine: it was not imported either, and a
    # failed command leaves no database behind.
    assert not (tmp_path / "strategic-bot.db").exists()


def test_a_quarter_that_does_not_exist_broken_yaml_and_no_file(tmp_path: Path) -> None:
    q5 = tmp_path / "q5.yaml"
    q5.write_text(GOOD.read_text().replace("FY22-Q2", "FY22-Q5"))
    refused = run(["import", "okrs", str(q5)], tmp_path)
    assert refused.returncode == 1
    assert f"{q5}: quarter: FY22-Q5 is not a quarter; write it like FY27-Q4" in refused.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("quarter: FY22-Q2\nteams:\n  - team: [Sales\n")
    unreadable = run(["import", "okrs", str(broken)], tmp_path)
    assert unreadable.returncode == 1 and "is not valid YAML" in unreadable.stderr
    assert f"{broken}: line " in unreadable.stderr
    missing = run(["import", "okrs", str(tmp_path / "none.yaml")], tmp_path)
    assert missing.returncode == 1 and "cannot be read" in missing.stderr
    assert not (tmp_path / "strategic-bot.db").exists()


def test_importing_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    first = run(["import", "okrs", str(GOOD)], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "FY22-Q2: 4 key result(s) added, 0 updated, 0 unchanged." in first.stderr
    database = tmp_path / "strategic-bot.db"
    after_first = _counts(database)
    assert after_first == (4, 0, 4)  # one audit entry per key result added
    again = run(["import", "okrs", str(GOOD)], tmp_path)
    assert again.returncode == 0, again.stderr
    assert "FY22-Q2: 0 key result(s) added, 0 updated, 4 unchanged." in again.stderr
    assert _counts(database) == after_first


def _good() -> OkrFile:
    found = read_okr_file(GOOD, 2)
    assert isinstance(found, OkrFile), found
    return found


async def _rows(deps: Deps) -> tuple[int, int, int]:
    async with deps.db.session() as session:
        return (
            int(await session.scalar(select(func.count()).select_from(OkrKeyResultRow)) or 0),
            int(await session.scalar(select(func.count()).select_from(OkrCheckinRow)) or 0),
            int(await session.scalar(select(func.count()).select_from(AuditRow)) or 0),
        )


async def test_a_reimport_keeps_check_ins_and_changes_only_what_the_file_changed(
    deps: Deps, tmp_path: Path
) -> None:
    """On each backend: the check-in survives the second import, and a changed target is
    the only change, audited."""
    report = await import_okrs(deps, _good(), "cli")
    assert (report.added, report.updated, report.unchanged) == (4, 0, 0)
    okrs = await quarter_okrs(deps, _good().quarter)
    ce = next(t for t in okrs.teams if t.team == "Customer Engineering")
    deliverables = ce.objectives[0].key_results[1]
    assert deliverables.title == "Produce 3 deliverables from CE project-work"
    assert deliverables.id is not None
    await check_in(deps, deliverables.id, CheckinDraft(2, Status.AT_RISK, "two shipped"), "U0LEAD")
    before = await _rows(deps)

    again = await import_okrs(deps, _good(), "cli")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    assert await _rows(deps) == before

    changed = tmp_path / "changed.yaml"
    changed.write_text(GOOD.read_text().replace("target: 3\n", "target: 5\n"))
    edited = read_okr_file(changed, 2)
    assert isinstance(edited, OkrFile)
    third = await import_okrs(deps, edited, "cli")
    assert (third.added, third.updated, third.unchanged) == (0, 1, 3)
    async with deps.db.session() as session:
        row = await session.get(OkrKeyResultRow, deliverables.id)
        assert row is not None and (row.target, row.current, row.status) == (5, 2, "at risk")
        last = (await session.execute(select(AuditRow).order_by(AuditRow.id.desc()))).scalar()
        assert last is not None and last.action == "okr.import"
        assert last.changes == {"target": [3.0, 5.0]}
