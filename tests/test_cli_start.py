"""A command line that starts fast: what starting `strategic-bot` imports, and the job
catalog that lets `jobs list` show every job without importing the jobs' modules.

How fast is measured by benchmarks/cli_start.py, never asserted here: a test that times a
process fails on a busy machine and passes a slow change on an idle one. What is checked
is the cause of the slowness it measured: the store, Slack, the scheduler and the chart
libraries imported by commands that use none of them.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from bot.config import Settings
from bot.domain.updates import UpdatePolicy
from jobs.catalog import BUILTIN, PlannedIn
from jobs.job import Job

ROOT = Path(__file__).parent.parent
HEAVY = (
    "sqlalchemy",
    "alembic",
    "aiosqlite",
    "asyncpg",
    "slack_bolt",
    "slack_sdk",
    "aiohttp",
    "apscheduler",
    "matplotlib",
)


def _heavy_imported(script: str, cwd: Path, **env: str) -> set[str]:
    """Which of HEAVY a fresh interpreter holds after `script` (written to a file, so the
    command's own output cannot get in the way)."""
    found = cwd / "imported.json"
    report = (
        "\nimport json, sys\n"
        f"open({str(found)!r}, 'w').write(json.dumps("
        f"sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))\n"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", script + report],
        cwd=cwd,
        env=clean | {"PYTHONPATH": str(ROOT)} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(found.read_text()))


def _command(*args: str) -> str:
    """The console script's `main()` running `args`, as `strategic-bot ARGS` would."""
    return (
        "import sys\n"
        f"sys.argv = ['strategic-bot', *{list(args)!r}]\n"
        "from bot.startup.cli import main\n"
        "try:\n    main()\nexcept SystemExit as done:\n    assert not done.code, done.code\n"
    )


def test_importing_the_command_line_imports_no_heavy_library(tmp_path: Path) -> None:
    assert _heavy_imported("import bot.startup.cli", tmp_path) == set()


def test_help_and_jobs_list_leave_the_store_and_slack_alone(tmp_path: Path) -> None:
    """`jobs list` parses each job's cron with APScheduler's trigger, and nothing more: no
    store (nor a database file), no Slack, no job module."""
    assert _heavy_imported(_command("--help"), tmp_path) == set()
    assert _heavy_imported(_command("jobs", "list"), tmp_path) == {"apscheduler"}
    assert not (tmp_path / "strategic-bot.db").exists()


def test_jobs_list_needs_no_reachable_database(tmp_path: Path) -> None:
    """It shows schedules only, so a PostgreSQL that is down does not stop it."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "jobs", "list"],
        cwd=tmp_path,
        env=os.environ | {"PYTHONPATH": str(ROOT), "DATABASE_URL": "postgresql://x@127.0.0.1:1/db"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "weekly-update" in result.stdout and "health-alerts" in result.stdout


def test_the_shipped_example_config_lists_its_jobs(tmp_path: Path) -> None:
    """config.example.toml as shipped: every `[scheduler.jobs.NAME]` it names is a job."""
    example = ROOT / "config.example.toml"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--config", str(example), "jobs", "list"],
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TEAM__"))}
        | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    listed = [line.split("│")[1].strip() for line in result.stdout.splitlines() if "│" in line]
    assert sorted(listed) == sorted(job.name for job in BUILTIN)


SETTINGS = [
    Settings(slack_bot_token="xoxb-x"),
    Settings(
        slack_bot_token="xoxb-x",
        updates=UpdatePolicy(draft_weekday=0, draft_time=time(9, 30), autopost_time=None),
    ),
]


@pytest.mark.parametrize("job", BUILTIN, ids=lambda job: job.name)
def test_the_catalog_describes_each_job_as_its_module_defines_it(job: Job) -> None:
    """The catalog writes each built-in job's name, schedule and description itself, so
    that listing them imports no job module; here each is checked against its module's
    JOB, whose plan the catalog's runs."""
    assert isinstance(job.plan, PlannedIn)
    defined: Job = importlib.import_module(job.plan.module).JOB
    assert (job.name, job.cron, job.description, job.previewed) == (
        defined.name,
        defined.cron,
        defined.description,
        defined.previewed,
    )
    assert [job.default_cron(s) for s in SETTINGS] == [defined.default_cron(s) for s in SETTINGS]
