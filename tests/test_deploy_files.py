"""What an operator installs from the repository: the systemd unit, `.env.example`, and
`strategic-bot --version`. Each is checked against the code, so a renamed command or a
setting added, renamed or removed breaks this test instead of a deployment.
"""

from __future__ import annotations

import configparser
import re
import shlex
import tomllib
from pathlib import Path

import pytest
import typer
from pydantic import BaseModel
from typer.core import TyperGroup
from typer.testing import CliRunner

from bot.config import CONFIG_ENV, ENVIRONMENT_ONLY, POLICY_SECTIONS, Settings
from bot.startup import logs
from bot.startup.cli import cli

ROOT = Path(__file__).parent.parent
UNIT = ROOT / "deploy" / "strategic-bot.service"
ENV_EXAMPLE = ROOT / ".env.example"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
VARIABLE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$")


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    unit.read_string(UNIT.read_text())
    return unit


def _resolve(args: list[str]) -> str:
    """The command path `args` run, parsed as the CLI would (options, types and all),
    without running it; click's usage error if they name no command."""
    command = typer.main.get_command(cli)
    context = command.make_context("strategic-bot", list(args))
    while isinstance(command, TyperGroup):
        rest = [*context._protected_args, *context.args]
        name, found, rest = command.resolve_command(context, rest)
        assert name is not None and found is not None, args
        command = found
        context = command.make_context(name, rest, parent=context)
    return context.command_path


@pytest.mark.parametrize("key", ["ExecStartPre", "ExecStart"])
def test_the_unit_runs_real_cli_commands(key: str) -> None:
    program, *args = shlex.split(_unit()["Service"][key])
    assert Path(program).name in PYPROJECT["project"]["scripts"]  # the console script
    assert (
        _resolve(args)
        == {
            "ExecStart": "strategic-bot serve",
            "ExecStartPre": "strategic-bot db upgrade",
        }[key]
    )


def test_resolving_refuses_what_is_no_command() -> None:
    """The check above can fail: a misspelt command or option is a usage error."""
    with pytest.raises(Exception, match="No such command 'serv'"):
        _resolve(["serv"])
    with pytest.raises(Exception, match="No such option: --hots"):
        _resolve(["serve", "--hots", "0.0.0.0"])
    with pytest.raises(Exception, match="valid integer"):
        _resolve(["serve", "--port", "many"])


def test_the_unit_reads_its_secrets_from_an_environment_file() -> None:
    service = _unit()["Service"]
    assert service["EnvironmentFile"] == "/etc/strategic-bot/env"
    assert service["User"] != "root" and service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM"  # the signal serve stops cleanly on


def _example_variables() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        match = VARIABLE.match(line)
        if match:
            found[match[1]] = match[2]
    return found


def _read_by_the_app() -> set[str]:
    """Every variable the settings read: the environment-only ones, the config file's
    path, and each policy key as SECTION__KEY; and the logging's (LOG_LEVEL, LOG_FORMAT)."""
    names = {name.upper() for name in ENVIRONMENT_ONLY} | {CONFIG_ENV} | set(logs.VARIABLES)
    for section in POLICY_SECTIONS:
        policy = Settings.model_fields[section].annotation
        assert isinstance(policy, type) and issubclass(policy, BaseModel)
        names |= {f"{section.upper()}__{key.upper()}" for key in policy.model_fields}
    return names


def test_env_example_names_only_what_the_app_reads_and_all_it_must_be_told() -> None:
    named = set(_example_variables())
    assert named - _read_by_the_app() == set()
    assert {name.upper() for name in ENVIRONMENT_ONLY} | {CONFIG_ENV} <= named


def test_env_example_values_are_valid_settings(tmp_path: Path) -> None:
    """Every example value, uncommented, is accepted as written (the secrets are blank)."""
    examples = {k: v for k, v in _example_variables().items() if v and k != CONFIG_ENV}
    dotenv = tmp_path / ".env"
    dotenv.write_text("".join(f"{k}={v}\n" for k, v in examples.items()))
    settings = Settings(_env_file=dotenv)
    assert settings.team.timezone == examples["TEAM__TIMEZONE"]
    assert settings.database_url == "sqlite+aiosqlite:///strategic-bot.db"
    secrets = {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "METRICS_API_TOKEN"}
    assert {k: v for k, v in _example_variables().items() if k in secrets} == dict.fromkeys(
        secrets, ""
    )


def test_version_is_the_packages() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output == f"strategic-bot {PYPROJECT['project']['version']}\n"
