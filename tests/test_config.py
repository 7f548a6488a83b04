"""Settings: environment over TOML, plain-sentence errors, secrets that never print."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.domain.updates import UpdatePolicy

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
        ('[team]\nadmins = ["alice"]\n', "The setting `[team] admins` in "),
        ('[team]\nadmins = ["alice"]\n', "is invalid: alice are not Slack user IDs"),
        ('[team]\nmembers = ["bob"]\n', "`[team] members` in "),
        ('[team]\nmembers_usergroup = "U0TEAM"\n', "U0TEAM is not a Slack user group ID"),
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


def _refusal(tmp_path: Path, toml: str) -> str:
    path = tmp_path / "team.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    return str(caught.value)


def test_the_example_names_every_team_setting() -> None:
    """The shipped example loads and lists the team's members, so nobody misspells them."""
    text = (ROOT / "config.example.toml").read_text()
    assert "members = []" in text
    assert "members_usergroup" in text
    assert '# em = "U0123EM"' in text


def test_the_example_sets_every_update_setting_to_its_default() -> None:
    """Written out as shipped, each `[updates]` key is its default (the channel, commented
    out, defaults to the team's), so the example documents them and cannot drift."""
    text = (ROOT / "config.example.toml").read_text()
    updates = text[text.index("[updates]") : text.index("[scheduler]")]
    for key in UpdatePolicy.model_fields:
        assert f"\n{key} = " in updates or f"\n# {key} = " in updates, key
    settings = load_settings(ROOT / "config.example.toml")
    assert settings.updates == UpdatePolicy()
    assert settings.updates_channel() == settings.team.strategic_channel == "#cp-strategic"


def test_the_update_channel_and_the_em(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text('[team]\nem = "U0EM"\n[updates]\nchannel = "C0UPDATES"\n')
    settings = load_settings(path)
    assert (settings.team.em, settings.updates_channel()) == ("U0EM", "C0UPDATES")
    monkeypatch.setenv("UPDATES__AUTOPOST_TIME", "")
    monkeypatch.setenv("UPDATES__DRAFT_TIME", "13:30")
    updates = load_settings(path).updates
    assert (updates.autopost_time, updates.draft_time) == (None, time(13, 30))


@pytest.mark.parametrize(
    ("toml", "sentence"),
    [
        (
            '[team]\nem = "bob"\n',
            "The setting `[team] em` in {file} is invalid: bob is not a Slack user ID (U0123ABCD).",
        ),
        (
            '[updates]\nreminder_time = "3pm"\n',
            "The setting `[updates] reminder_time` in {file} is invalid: "
            'must be a time of day written "HH:MM", such as "15:00".',
        ),
        (
            "[updates]\ndraft_weekday = 7\n",
            "The setting `[updates] draft_weekday` in {file} is invalid: "
            "must be a weekday from 0 (Monday) to 6 (Sunday).",
        ),
        (
            '[updates]\nmembers = ["carol"]\n',
            "The setting `[updates] members` in {file} is invalid: "
            "carol are not Slack user IDs (U0123ABCD).",
        ),
        (
            '[updates]\nremind_time = "15:00"\n',
            "`[updates] remind_time` in {file} is not a setting; did you mean `reminder_time`?",
        ),
    ],
)
def test_bad_update_settings_are_one_sentence(tmp_path: Path, toml: str, sentence: str) -> None:
    assert _refusal(tmp_path, toml) == sentence.format(file=tmp_path / "team.toml")


@pytest.mark.parametrize(
    ("toml", "sentence"),
    [
        (
            '[team]\nadmin = ["U0123ADMIN"]\n',
            "`[team] admin` in {file} is not a setting; did you mean `admins`?",
        ),
        (
            "[team]\nmember_usergroup = 'S0123TEAM'\n",
            "`[team] member_usergroup` in {file} is not a setting; "
            "did you mean `members_usergroup`?",
        ),
        (
            "[health]\nutilization = { green = 0.8, yelow = 0.5 }\n",
            "`[health] utilization.yelow` in {file} is not a setting; did you mean `yellow`?",
        ),
        (
            '[scheduler.jobs.weekly-update]\ncorn = "0 16 * * FRI"\n',
            "`[scheduler] jobs.weekly-update.corn` in {file} is not a setting; "
            "did you mean `cron`?",
        ),
        (
            '[[journey.activities]]\nkey = "qbr"\ntitle = "QBR"\nwhen = "quarter"\n'
            'owner = ["ae"]\n',
            "`[journey] activities[0].owner` in {file} is not a setting; did you mean `owners`?",
        ),
        ("[renewals]\nwindow = [30]\n", "did you mean `windows`?"),
        ("[scheduler]\ngrace = 10\n", "did you mean `grace_minutes`?"),
        ("[team]\nzzz = 1\n", "the known ones are `timezone`, `admins`, `members`"),
    ],
)
def test_an_unknown_key_stops_start_up_naming_the_closest(
    tmp_path: Path, toml: str, sentence: str
) -> None:
    """A typo used to load as the default: `admin = [...]` left the whole team trusted."""
    assert sentence.format(file=tmp_path / "team.toml") in _refusal(tmp_path, toml)


@pytest.mark.parametrize(
    ("toml", "sentence"),
    [
        (
            '[teams]\nadmins = ["U0123ADMIN"]\n',
            "`[teams]` in {file} is not a section; did you mean `[team]`?",
        ),
        (
            'admins = ["U0123ADMIN"]\n',
            "`admins` in {file} is not a section; the known ones "
            "are `[team]`, `[scheduler]`, `[health]`, `[journey]`, `[renewals]`, `[updates]`, "
            "`[partners]`.",
        ),
    ],
)
def test_an_unknown_section_stops_start_up(tmp_path: Path, toml: str, sentence: str) -> None:
    assert _refusal(tmp_path, toml) == sentence.format(file=tmp_path / "team.toml")


@pytest.mark.parametrize(
    "key",
    [
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "metrics_api_token",
        "database_url",
        "slack_api_url",
    ],
)
def test_a_secret_in_the_file_is_refused_saying_where_it_goes(tmp_path: Path, key: str) -> None:
    """The README says secrets and wiring come from the environment only; the file used to
    supply them silently."""
    sentence = _refusal(tmp_path, f'{key} = "xoxb-in-a-repository"\n')
    assert sentence == (
        f"`{key}` does not belong in {tmp_path / 'team.toml'}: secrets and wiring come only "
        f"from the environment, so set {key.upper()} there or in `.env` and remove it from "
        "the file."
    )
    assert "xoxb-in-a-repository" not in sentence


def test_a_secret_inside_a_section_is_refused_too(tmp_path: Path) -> None:
    sentence = _refusal(tmp_path, '[team]\nslack_bot_token = "xoxb-1"\n')
    assert sentence.startswith("`[team] slack_bot_token` does not belong in ")
    assert "set SLACK_BOT_TOKEN there or in `.env`" in sentence


@pytest.mark.parametrize(
    ("variable", "sentence"),
    [
        (
            "TEAM__ADMIN",
            "TEAM__ADMIN in the environment is not a setting; did you mean TEAM__ADMINS?",
        ),
        (
            "HEALTH__STALE_DAYS",
            "HEALTH__STALE_DAYS in the environment is not a setting; "
            "did you mean HEALTH__STALE_AFTER_DAYS?",
        ),
    ],
)
def test_an_unknown_nested_variable_stops_start_up(
    monkeypatch: pytest.MonkeyPatch, variable: str, sentence: str
) -> None:
    monkeypatch.setenv(variable, "3" if variable.startswith("HEALTH") else '["U0123ADMIN"]')
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == sentence


def test_a_bad_variable_is_named_as_the_environment_has_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The environment wins over the file, so its value is the one refused, by its name."""
    monkeypatch.setenv("TEAM__ADMINS", '["alice"]')
    path = tmp_path / "team.toml"
    path.write_text('[team]\nadmins = ["U0123ADMIN"]\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).startswith("The setting TEAM__ADMINS is invalid")


def test_unrelated_environment_variables_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/someone")
    monkeypatch.setenv("SLACK_SOMETHING_ELSE", "x")
    assert load_settings(ROOT / "config.example.toml").team.timezone == "America/New_York"


def test_members_and_usergroup_load(tmp_path: Path) -> None:
    path = tmp_path / "team.toml"
    path.write_text('[team]\nmembers = ["U0BOB", "W0CAROL"]\nmembers_usergroup = "S0TEAM"\n')
    team = load_settings(path).team
    assert (team.members, team.members_usergroup) == (["U0BOB", "W0CAROL"], "S0TEAM")


def test_an_empty_secret_counts_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    """`SLACK_SIGNING_SECRET=` from a copied template must not start `serve` on an empty key."""
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "")
    monkeypatch.setenv("METRICS_API_TOKEN", "  ")
    settings = load_settings()
    assert settings.slack_signing_secret is None and settings.metrics_api_token is None
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET is not set"):
        settings.require("slack_signing_secret")


@pytest.mark.parametrize(
    ("variable", "value", "words"),
    [
        (
            "SLACK_BOT_TOKEN",
            "xapp-1-A0-2-secret",
            "SLACK_BOT_TOKEN is invalid: must start with xoxb-",
        ),
        ("SLACK_APP_TOKEN", "xoxb-1-secret", "SLACK_APP_TOKEN is invalid: must start with xapp-"),
    ],
)
def test_a_token_of_the_wrong_kind_is_named_and_never_shown(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, words: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert words in str(caught.value) and "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("toml", "sentence"),
    [
        (
            '[team]\nadmins = "U0123ADMIN"\n',
            'is invalid: it must be a list, written in brackets: ["U0123ABCD", "U0456EFGH"].',
        ),
        ('[updates]\ndraft_weekday = "friday"\n', "is invalid: it must be a whole number, like 3."),
        ('[team]\nshow_sensitive_in_channels = "maybe"\n', "is invalid: it must be true or false."),
    ],
)
def test_pydantic_phrases_become_sentences(tmp_path: Path, toml: str, sentence: str) -> None:
    path = tmp_path / "team.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).endswith(sentence) and "Input should" not in str(caught.value)


def test_a_list_in_the_environment_that_is_not_json_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TEAM__TIMEZONE", "UTC")  # text: fine as it is
    monkeypatch.setenv("UPDATES__MEMBERS", "U0123ABCD")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value).startswith("The setting UPDATES__MEMBERS is invalid")
    assert "UPDATES__MEMBERS='[\"U0123ABCD\"]'" in str(caught.value)
