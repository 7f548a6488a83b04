"""`strategic-bot demo` shows the strategy initiatives (issue 15) as `/strategic
initiatives` does, added once per demo database, and the owner's reminder in the jobs'
dry run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.test_cli import run


def test_the_demo_shows_the_initiatives_soonest_due_first_added_once(tmp_path: Path) -> None:
    first = run(["demo"], tmp_path)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "/strategic initiatives" in out and "STRATEGY INITIATIVES (4)" in out
    listed = out[out.index("STRATEGY INITIATIVES (4)") :]
    assert listed.index("✅ Understand the strategic") < listed.index("🔄 Plan and pilot")
    assert listed.index("🔄 Plan and pilot") < listed.index("A timeline of when each tier")
    assert "initiative-reminders (dry run" in out and "is due on" in out
    again = run(["demo"], tmp_path)
    assert again.returncode == 0, again.stderr
    with sqlite3.connect(tmp_path / "strategic-bot-demo.db") as db:
        assert db.execute("SELECT count(*) FROM initiatives").fetchone() == (4,)
