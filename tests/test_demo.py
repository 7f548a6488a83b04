"""`strategic-bot demo` as a newcomer runs it: its own database, and text that reads right.

The demo prints the real builders' blocks, so what reads wrong here reads wrong in Slack.
One run serves every test: a team config with its own currency, and a `DATABASE_URL`
the demo must leave alone.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.test_cli import run


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    workdir = tmp_path_factory.mktemp("demo")
    config = workdir / "team.toml"
    config.write_text('[team]\ncurrency = "EUR"\n')
    configured = workdir / "configured.db"
    result = run(
        ["--config", str(config), "demo"],
        workdir,
        DATABASE_URL=f"sqlite:///{configured}",
        COLUMNS="200",  # one line per line: the assertions read whole sentences
    )
    assert result.returncode == 0, result.stderr
    return workdir, result


def test_the_demo_writes_its_own_file_and_never_database_url(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    """A later `jobs run` on the configured database must not find the demo's fake channels."""
    workdir, result = demo
    assert not (workdir / "configured.db").exists()
    assert not (workdir / "strategic-bot.db").exists()
    own = (workdir / "strategic-bot-demo.db").resolve()
    assert own.exists()
    assert f"Sample portfolio in {own} (the demo's own database, not DATABASE_URL)" in (
        result.stdout
    )


def test_the_demo_shows_help_and_the_app_home(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out = demo[1].stdout
    assert "/strategic help" in out and "`/strategic account show NAME`  an account's card" in out
    assert "App Home, as @jo sees it" in out
    assert "STRATEGIC PORTFOLIO" in out and "HEALTH OF 5 ACCOUNTS" in out
    assert "RED ACCOUNTS WITHOUT A GET-WELL PLAN" in out


def test_roles_are_said_once(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """The list says "Lead @dana"; the demo's names once added "(lead engineer)" again."""
    out = demo[1].stdout
    assert "Lead @dana · TA/CE @ravi · AE @jo" in out
    assert "(lead engineer)" not in out and "(TA/CE)" not in out and "(AE)" not in out


def test_the_health_summary_counts_every_account(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    """Five accounts, two without figures: the summary once added up to three."""
    out = demo[1].stdout
    assert "🔴 1 red · 🟡 1 yellow · 🟢 1 green · ⚪ 2 no data" in out
    assert "⚪ no data yet Tailspin Airlines · new" in out and "· · new" not in out


def test_sparklines_have_no_backticks(demo: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out = demo[1].stdout
    assert "(target 80%) ▃▃▃▃▃▃▃▃▃▃▃▃" in out  # Contoso Bank's utilization, 12 red weeks
    assert not re.search(r"`[▁▃▆█]+`", out)


def test_a_name_ending_in_s_takes_an_apostrophe_only(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out = demo[1].stdout
    assert "Northwind Traders' contract ends on 2027-01-31" in out
    assert "Traders's" not in out


def test_amounts_carry_the_teams_currency(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out = demo[1].stdout
    assert "ARR: EUR 1,600,000" in out  # the card
    assert "(in 60 days) · ARR EUR 2,400,000" in out  # /strategic renewals
    assert "USD" not in out


def test_dry_runs_name_people_and_channels(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out = demo[1].stdout
    assert "health-alerts (dry run, " in out and " UTC) → #acct-contoso" in out
    assert re.search(r"journey-reminders \(dry run, [^)]*\) → @kim", out)
    assert "🔴 Contoso Bank is now red. @ravi, over to you." in out
    assert not re.search(r"\b[UC]0DEMO[A-Z0-9]*", out), "a raw Slack ID in the demo's output"
