"""Settings: environment over TOML, plain-sentence errors, secrets that never print."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings

ROOT = Path(__file__).parent.parent


def test_example_config_loads_and_environment_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEAM__STRATEGIC_CHANNEL", "#elsewhere")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-secret-value")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@h/db")
    settings = load_settings(ROOT / "config.example.toml")
    assert settings.team.timezone == "America/New_York"
    assert settings.team.admins == ["U0123ADMIN"]
    assert settings.team.strategic_channel == "#elsewhere"
    assert settings.database_url == "postgresql+asyncpg://u@h/db"
    assert "xoxb-secret-value" not in repr(settings) + str(settings)


def test_defaults_need_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    settings = load_settings()
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.slack_api_url == "https://slack.com/api/"


def test_api_url_gets_its_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9999/api")
    assert load_settings().slack_api_url == "http://127.0.0.1:9999/api/"


@pytest.mark.parametrize(
    ("toml", "words"),
    [
        ('[team]\nadmins = ["alice"]\n', "The setting TEAM_ADMINS is invalid: alice are not Slack"),
        ("[team\n", "is not valid TOML"),
    ],
)
def test_bad_toml_is_one_sentence(tmp_path: Path, toml: str, words: str) -> None:
    path = tmp_path / "team.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert words in str(caught.value)


def test_require_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN is not set"):
        load_settings().require("slack_app_token")
