"""The `strategic-bot` command as an operator runs it: a real process, a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # The shell's Slack, database and log settings stay out: each test sets what it means,
    # and reads the plain sentences on stderr (LOG_FORMAT=json would make them records).
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_URL", "LOG_LEVEL", "LOG_FORMAT"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=clean | {"PYTHONPATH": str(ROOT)} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


def test_import_accounts_reports_bad_rows_by_line_and_writes_nothing(workdir: Path) -> None:
    bad = workdir / "accounts.csv"
    bad.write_text(
        "name,tier,licensed_seats,contract_start\n"
        "Acme,1,100,2026-01-01\n"
        "Globex,2,lots,2026-01-01\n"
        "Initech,1,5,01/02/2026\n"
        "acme,3,1,\n"
    )
    result = run(["import", "accounts", str(bad)], workdir)
    assert result.returncode == 1
    assert "nothing imported" in result.stderr
    for line in (
        f"{bad}:line 3: licensed_seats: must be a whole number",
        f"{bad}:line 4: contract_start: must be a date written YYYY-MM-DD",
        f"{bad}:line 5: name: acme is already on line 2",
    ):
        assert line in result.stderr

    good = workdir / "good.csv"
    good.write_text("name,tier\nAcme,1\n")
    first = run(["import", "accounts", str(good)], workdir)
    assert first.returncode == 0, first.stderr
    assert "1 added, 0 updated, 0 unchanged" in first.stderr  # the bad file wrote nothing
    again = run(["import", "accounts", str(good)], workdir)
    assert "0 added, 0 updated, 1 unchanged" in again.stderr


def test_import_missing_column_and_missing_file(workdir: Path) -> None:
    csv = workdir / "a.csv"
    csv.write_text("name\nAcme\n")
    result = run(["import", "accounts", str(csv)], workdir)
    assert result.returncode == 1 and f"{csv}:line 1: missing column 'tier'" in result.stderr
    result = run(["import", "accounts", str(workdir / "nope.csv")], workdir)
    assert result.returncode == 1 and "Cannot read" in result.stderr


def test_demo_shows_the_account_list_and_a_card(workdir: Path) -> None:
    result = run(["demo"], workdir)
    assert result.returncode == 0, result.stderr
    assert "STRATEGIC ACCOUNTS (5)" in result.stdout and "Northwind Traders" in result.stdout
    assert "Licensed seats" in result.stdout
    assert "PORTFOLIO HEALTH" in result.stdout and "🔴 red Contoso Bank" in result.stdout
    assert "health-alerts (dry run" in result.stdout and "Contoso Bank is now red" in result.stdout
    assert "weekly-update: the EM's draft of" in result.stdout
    assert "NO ENTRY THIS WEEK" in result.stdout.upper() and "Contoso Bank" in result.stdout
    [chart] = workdir.glob("assistant-dau-*.png")
    assert chart.read_bytes().startswith(b"\x89PNG") and f"wrote {chart}" in result.stdout
    # Its own file, said where: never the bot's strategic-bot.db (DATABASE_URL's default).
    assert (workdir / "strategic-bot-demo.db").exists()
    assert not (workdir / "strategic-bot.db").exists()
    assert f"Sample portfolio in {(workdir / 'strategic-bot-demo.db').resolve()}" in result.stdout
    assert "ARR: USD 1,600,000" in result.stdout  # [team] currency, default USD
    again = run(["demo"], workdir)
    assert "5 unchanged" in again.stdout and not (workdir / "strategic-bot.db").exists()


@pytest.mark.parametrize(
    ("env", "words"),
    [
        ({"DATABASE_URL": "mysql://x"}, "The setting DATABASE_URL is invalid"),
        ({"SLACK_API_URL": "slack.example"}, "The setting SLACK_API_URL is invalid"),
        ({"TEAM__TIMEZONE": "Mars/Base"}, "The setting TEAM__TIMEZONE is invalid"),
        ({"STRATEGIC_BOT_CONFIG": "/nonexistent.toml"}, "does not exist"),
    ],
)
def test_bad_settings_stop_with_one_sentence(
    workdir: Path, env: dict[str, str], words: str
) -> None:
    result = run(["demo"], workdir, **env)
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def test_serve_without_a_token_names_the_variable(workdir: Path) -> None:
    result = run(["serve", "--port", "0"], workdir)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr and "Traceback" not in result.stderr


JOBS_ENV = {
    "SCHEDULER__EXTRA_JOB_MODULES": '["tests.sample_jobs"]',
    "TEAM__TIMEZONE": "Europe/Berlin",
}


def test_jobs_list_previews_the_coming_week(workdir: Path) -> None:
    result = run(["jobs", "list", "--next", "7d"], workdir, **JOBS_ENV)
    assert result.returncode == 0, result.stderr
    assert "hello" in result.stdout and "0 9 * * *" in result.stdout
    previews = [line for line in result.stdout.splitlines() if line.endswith("  hello")]
    assert len(previews) == 7 and all("T09:00:00+01:00" in line for line in previews)


def test_jobs_run_dry_run_prints_and_writes_nothing(workdir: Path) -> None:
    at = "2026-11-23T10:00:00+01:00"
    text = run(["jobs", "run", "hello", "--at", at, "--dry-run"], workdir, **JOBS_ENV)
    assert text.returncode == 0, text.stderr
    assert "dry run, nothing sent" in text.stdout
    assert "→ C0SAMPLE" in text.stdout and "hello for 2026-11-23T08:00:00+00:00" in text.stdout
    as_json = run(["jobs", "run", "hello", "--at", at, "--dry-run", "--json"], workdir, **JOBS_ENV)
    payload = json.loads(as_json.stdout)
    assert payload["messages"][0]["channel"] == "C0SAMPLE"
    assert payload["messages"][0]["blocks"][0]["type"] == "section"
    listing = run(["outbox", "list"], workdir, **JOBS_ENV)
    assert "hello:" not in listing.stdout  # the dry runs queued nothing


def test_jobs_and_outbox_refuse_bad_input(workdir: Path) -> None:
    unknown = run(["jobs", "run", "nope"], workdir, **JOBS_ENV)
    assert unknown.returncode == 2 and "There is no job named nope" in unknown.stderr
    bad_at = run(["jobs", "run", "hello", "--at", "friday"], workdir, **JOBS_ENV)
    assert bad_at.returncode == 2 and "ISO date-time" in bad_at.stderr
    bad_status = run(["outbox", "list", "--status", "lost"], workdir)
    assert bad_status.returncode == 2 and "pending, sending, sent, failed" in bad_status.stderr
    missing = run(["outbox", "retry", "42"], workdir)
    assert missing.returncode == 1 and "No failed message has id 42" in missing.stderr
    bad_cron = run(
        ["jobs", "list"], workdir, **JOBS_ENV, SCHEDULER__JOBS='{"hello": {"cron": "x"}}'
    )
    assert bad_cron.returncode == 2 and "The schedule of job hello is invalid" in bad_cron.stderr


def test_import_metrics_all_or_nothing_with_line_numbers(workdir: Path) -> None:
    accounts = workdir / "accounts.csv"
    accounts.write_text("name,tier\nAcme,1\n")
    assert run(["import", "accounts", str(accounts)], workdir).returncode == 0
    metrics = workdir / "metrics.csv"
    metrics.write_text(
        "account,day,dau,mau,seats\n"
        "Acme,2026-11-01,5,10,10\n"
        "Globex,2026-11-01,5,10,10\n"
        "Acme,2026-11-02,-5,10,10\n"
    )
    rejected = run(["import", "metrics", str(metrics)], workdir)
    assert rejected.returncode == 1
    assert f"{metrics}:line 4: dau: must not be negative" in rejected.stderr
    metrics.write_text(
        "account,day,dau,mau,seats\nAcme,2026-11-01,5,10,10\nGlobex,2026-11-01,5,10,10\n"
    )
    unknown = run(["import", "metrics", str(metrics)], workdir)
    assert unknown.returncode == 1
    assert f"{metrics}:line 3: account: no active account is named Globex" in unknown.stderr
    metrics.write_text("account,day,dau,mau,seats\nAcme,2026-11-01,5,10,10\n")
    done = run(["import", "metrics", str(metrics)], workdir)
    assert done.returncode == 0 and "1 snapshot(s) recorded." in done.stderr


def test_db_upgrade_creates_the_schema_and_is_repeatable(workdir: Path) -> None:
    for _ in range(2):
        result = run(["db", "upgrade"], workdir)
        assert result.returncode == 0 and "Database is up to date." in result.stderr
    listing = run(["outbox", "list"], workdir)  # reads a table the migrations created
    assert listing.returncode == 0, listing.stderr


def test_jobs_run_checks_what_it_needs_before_writing_anything(workdir: Path) -> None:
    """Without a token a real run would claim the occurrence and leave its posts queued
    for the next `serve`; --json without --dry-run would run for real. Both are refused
    before the database is even created."""
    no_token = run(["jobs", "run", "health-alerts"], workdir)
    assert no_token.returncode == 2 and "SLACK_BOT_TOKEN is not set" in no_token.stderr
    json_for_real = run(["jobs", "run", "health-alerts", "--json"], workdir)
    assert json_for_real.returncode == 2 and "add --dry-run" in json_for_real.stderr
    assert not (workdir / "strategic-bot.db").exists()
    dry = run(["jobs", "run", "health-alerts", "--dry-run", "--json"], workdir)
    assert dry.returncode == 0, dry.stderr


def test_a_config_error_prints_every_word_of_its_sentence(workdir: Path) -> None:
    """rich markup once swallowed `[team]` (and ` names unknown job(s)`) from sentences."""
    config = workdir / "team.toml"
    config.write_text('[team]\nadmins = "U0123ADMIN"\n[scheduler.jobs.nope]\ncron = "0 9 * * 1"\n')
    result = run(["--config", str(config), "jobs", "list"], workdir)
    assert result.returncode == 2
    assert f"`[team] admins` in {config} is invalid" in " ".join(result.stderr.split())


def test_a_failed_command_leaves_no_new_database_behind(workdir: Path) -> None:
    """A bad CSV (or YAML) given before any database exists creates none; a database that
    was there before the failure stays, with what it had."""
    bad = workdir / "bad.csv"
    bad.write_text("name,tier\nAcme,x\n")
    okrs = workdir / "okrs.yaml"
    okrs.write_text("quarter: FY27-Q9\nteams: []\n")
    for command in (["import", "accounts", str(bad)], ["import", "okrs", str(okrs)]):
        failed = run(command, workdir)
        assert failed.returncode != 0, failed.stdout
        assert sorted(p.name for p in workdir.iterdir()) == ["bad.csv", "okrs.yaml"]

    good = workdir / "good.csv"
    good.write_text("name,tier\nAcme,1\n")
    assert run(["import", "accounts", str(good)], workdir).returncode == 0
    assert run(["import", "accounts", str(bad)], workdir).returncode == 1
    assert (workdir / "strategic-bot.db").exists()
    assert "Acme" in run(["export", "accounts", str(workdir / "out.csv")], workdir).stderr + (
        workdir / "out.csv"
    ).read_text()
