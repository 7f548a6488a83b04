"""`strategic-bot demo` shows a pending nomination with its gate (issue 12), stored once and
never queued to be posted from the demo's database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.test_cli import run


def test_the_demo_shows_a_pending_nomination_with_its_gate(tmp_path: Path) -> None:
    first = run(["demo"], tmp_path)
    assert first.returncode == 0, first.stderr
    out = first.stdout
    assert "partner nomination → #cp-strategic" in out
    assert "PARTNER NOMINATION: TAILSPIN AIRLINES" in out
    assert "nominated by @dana 20" in out and "opens a new" in out
    assert "Contoso Bank: ❌ completion acceptance 12% (target 25%)" in out
    assert "The gate is not met: 3 of 3 partners fall short" in out
    assert "[Approve] [Reject]" in out
    again = run(["demo"], tmp_path)
    assert "5 unchanged" in again.stdout and "PARTNER NOMINATION" in again.stdout
    with sqlite3.connect(tmp_path / "strategic-bot-demo.db") as db:  # the demo's own file
        assert db.execute("SELECT count(*), min(state) FROM nominations").fetchone() == (
            1,
            "pending",
        )
        assert db.execute("SELECT count(*) FROM outbox WHERE job = 'partners'").fetchone() == (0,)
