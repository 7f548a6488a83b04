"""`strategic-bot import accounts|metrics` with files that are wrong in many ways at once.

The importer once reported in passes: the fields first, then (once those were fixed) an
end before a start, a name twice or an account the store does not know. A person fixing
a spreadsheet wants every problem of every row in one run, each with its line, and
nothing written while any remains.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.test_cli import run


def _count(workdir: Path, table: str) -> int:
    with sqlite3.connect(workdir / "strategic-bot.db") as db:
        return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _reported(stderr: str, path: Path) -> list[str]:
    """The file:line report lines, in the order printed."""
    return [
        line.strip() for line in stderr.splitlines() if line.strip().startswith(f"{path}:line ")
    ]


def test_every_problem_of_every_account_row_is_reported_at_once(tmp_path: Path) -> None:
    csv = tmp_path / "accounts.csv"
    csv.write_text(
        "name,tier,licensed_seats,contract_start,contract_end\n"
        "Acme,1,100,2026-01-01,2026-12-31\n"
        "Globex,x,lots,2026-06-01,2026-01-01\n"
        "Initech,2,5,2026-02-30,\n"
        "acme,y,1,,\n"
        "Hooli,1,1,2026-13-01,2027-01-01\n"
        "Umbrella,1,1,,,extra\n"
        "Stark,3,1,2024-02-29,2024-02-28\n"
    )
    result = run(["import", "accounts", str(csv)], tmp_path, COLUMNS="300")
    assert result.returncode == 1
    assert f"{csv}: nothing imported; fix these rows and run again:" in result.stderr
    assert _reported(result.stderr, csv) == [
        f"{csv}:line 3: tier: must be a whole number",
        f"{csv}:line 3: licensed_seats: must be a whole number",
        f"{csv}:line 3: contract_end: the contract must end after it starts",
        f"{csv}:line 4: contract_start: 2026-02-30: February 2026 has no day 30",
        f"{csv}:line 5: tier: must be a whole number",
        f"{csv}:line 5: name: acme is already on line 2",
        f"{csv}:line 6: contract_start: 2026-13-01: there is no month 13; months run 01 to 12",
        f"{csv}:line 7: has more cells than the 5 columns",
        f"{csv}:line 8: contract_end: the contract must end after it starts",
    ]
    assert not (tmp_path / "strategic-bot.db").exists()  # nothing written, not even a schema


def test_every_problem_of_every_metrics_row_is_reported_at_once(tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,tier\nAcme,1\n")
    assert run(["import", "accounts", str(accounts)], tmp_path).returncode == 0
    csv = tmp_path / "metrics.csv"
    csv.write_text(
        "account,day,dau,mau,seats,shown,accepted\n"
        "Acme,2026-11-01,5,10,10,,\n"
        "Globex,2026-11-01,-5,10,10,,\n"
        "Acme,2026-11-02,50,10,10,3,9\n"
        "Acme,2026-02-30,5,10,10,,\n"
        "acme,2026-11-01,x,10,10,,\n"
        "Acme,2999-01-01,5,10,x,,\n"
        "Initech,2026-11-03,5,10,10,,\n"
    )
    result = run(["import", "metrics", str(csv)], tmp_path, COLUMNS="300")
    assert result.returncode == 1
    assert _reported(result.stderr, csv) == [
        f"{csv}:line 3: dau: must not be negative",
        f"{csv}:line 3: account: no active account is named Globex",
        f"{csv}:line 4: dau: 50 daily users cannot exceed 10 monthly users",
        f"{csv}:line 4: accepted: more completions accepted than shown",
        f"{csv}:line 5: day: 2026-02-30: February 2026 has no day 30",
        f"{csv}:line 6: dau: must be a whole number",
        f"{csv}:line 6: account: acme on 2026-11-01 is already on line 2",
        f"{csv}:line 7: seats: must be a whole number",
        f"{csv}:line 7: day: 2999-01-01 is in the future",
        f"{csv}:line 8: account: no active account is named Initech",
    ]
    assert _count(tmp_path, "metric_snapshots") == 0

    csv.write_text("account,day,dau,mau,seats\nAcme,2026-11-01,5,10,10\n")
    done = run(["import", "metrics", str(csv)], tmp_path)
    assert done.returncode == 0 and "1 snapshot(s) recorded." in done.stderr
