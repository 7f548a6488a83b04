"""Settings: secrets and wiring from the environment (and `.env`), team policy from TOML.

Secrets never come from the TOML file a team keeps in a repository: the environment
outranks the file, and tokens are `SecretStr` so they never print or log.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args, get_origin
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from bot.domain.health import HealthPolicy
from bot.domain.journey import JourneyPolicy
from bot.domain.partners import PartnerPolicy
from bot.domain.renewals import RenewalPolicy
from bot.domain.slack_ids import UserId, UserIds
from bot.domain.team import SLACK_USERGROUP_PATTERN
from bot.domain.updates import UpdatePolicy

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///strategic-bot.db"
SLACK_API_DEFAULT = "https://slack.com/api/"
CONFIG_ENV = "STRATEGIC_BOT_CONFIG"


class ConfigError(Exception):
    """A setting is missing or malformed; its message is one plain sentence for the operator."""


class TeamPolicy(BaseModel):
    """What a team decides for itself; lives in the TOML file under `[team]`."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = "UTC"
    admins: UserIds = Field(default_factory=list)
    members: UserIds = Field(default_factory=list)
    """Who uses the bot besides the admins; with neither this nor members_usergroup set,
    everyone in the workspace does."""
    members_usergroup: str | None = None
    """A Slack user group (S0123…) whose members are on the team, read from Slack."""
    em: UserId | None = None
    """The engineering manager, who reviews and posts the weekly update."""
    product_owner: UserId | None = None
    """Changes any account's needs' status and rollouts, as their owners do (issue 15)."""
    strategic_channel: str = "#cp-strategic"
    fiscal_year_start_month: int = Field(default=2, ge=1, le=12)
    alerts_channel: str | None = None
    """Health alerts of accounts without a channel of their own; default: strategic_channel."""
    show_sensitive_in_channels: bool = False
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    """The ISO 4217 code ARR and iARR amounts are shown with (`USD 1,200,000`)."""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Berlin") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @field_validator("members_usergroup")
    @classmethod
    def _usergroup_id(cls, value: str | None) -> str | None:
        if value is not None and not re.match(SLACK_USERGROUP_PATTERN, value):
            raise ValueError(f"{value} is not a Slack user group ID (S0123ABCD)")
        return value


class JobSetting(BaseModel):
    """One job's schedule, overriding its default: `[scheduler.jobs.NAME]`."""

    model_config = ConfigDict(extra="forbid")

    cron: str
    enabled: bool = True


class SchedulerPolicy(BaseModel):
    """How scheduled posts are timed and delivered: `[scheduler]`."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    grace_minutes: int = Field(default=360, ge=0)
    admin_channel: str | None = None
    lease_seconds: int = Field(default=60, ge=1)
    channel_pace_seconds: float = Field(default=1.0, ge=0)
    max_attempts: int = Field(default=12, ge=1)
    backoff_base_seconds: float = Field(default=1.0, gt=0)
    extra_job_modules: list[str] = Field(default_factory=list)
    jobs: dict[str, JobSetting] = Field(default_factory=dict)


class Settings(BaseSettings):
    """Every setting of the app; the environment variable of each is its upper-case name.

    Unknown environment variables are ignored (the environment holds PATH, HOME…), but not
    inside a section: the policy models forbid extra keys, so `TEAM__ADMIN` stops start-up.
    """

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_nested_delimiter="__")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = SLACK_API_DEFAULT
    metrics_api_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    team: TeamPolicy = Field(default_factory=TeamPolicy)
    scheduler: SchedulerPolicy = Field(default_factory=SchedulerPolicy)
    health: HealthPolicy = Field(default_factory=HealthPolicy)
    journey: JourneyPolicy = Field(default_factory=JourneyPolicy)
    renewals: RenewalPolicy = Field(default_factory=RenewalPolicy)
    updates: UpdatePolicy = Field(default_factory=UpdatePolicy)
    partners: PartnerPolicy = Field(default_factory=PartnerPolicy)

    @field_validator(
        "slack_bot_token",
        "slack_signing_secret",
        "slack_app_token",
        "metrics_api_token",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        """`SLACK_SIGNING_SECRET=` (a template's blank line) sets nothing: an empty key
        would let `serve` start and refuse every request."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("slack_bot_token", "slack_app_token")
    @classmethod
    def _token_kind(cls, value: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        """A token pasted into the wrong variable is said at once, not as Slack's
        invalid_auth on the first call. The message never holds the token."""
        prefix, what = TOKEN_KINDS[info.field_name or ""]
        if value is not None and not value.get_secret_value().startswith(prefix):
            raise ValueError(f"must start with {prefix}: {what}")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        # slack_sdk joins method names onto the base URL, so it must end with a slash.
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if value.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The TOML file arrives as init values: put it last so the environment wins.
        return (env_settings, dotenv_settings, init_settings)

    def updates_channel(self) -> str:
        """Where the weekly update is posted: `[updates] channel`, else the team's channel,
        read here rather than copied at start-up so the two can never disagree."""
        return self.updates.channel or self.team.strategic_channel

    def partners_channel(self) -> str:
        """Where nominations are posted: `[partners] channel`, else the team's channel."""
        return self.partners.channel or self.team.strategic_channel

    def require(self, *names: str) -> None:
        """Refuse to start a command that needs a secret nobody set, naming the variable."""
        for name in names:
            if getattr(self, name) is None:
                raise ConfigError(f"{name.upper()} is not set: {_WHY_NEEDED[name]}")


TOKEN_KINDS = {
    "slack_bot_token": ("xoxb-", "the Bot User OAuth Token, from OAuth & Permissions"),
    "slack_app_token": (
        "xapp-",
        "an app-level token with connections:write, from Basic Information",
    ),
}
_WHY_NEEDED = {
    "slack_bot_token": "set it to the xoxb- bot token from the app's OAuth & Permissions page.",
    "slack_signing_secret": "set it to the signing secret from the app's Basic Information page.",
    "slack_app_token": "Socket Mode needs an xapp- app-level token with connections:write.",
}


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError as exc:
        raise ConfigError(f"The config file {path} does not exist.") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The config file {path} is not valid TOML: {exc}.") from exc


POLICY_SECTIONS = ("team", "scheduler", "health", "journey", "renewals", "updates", "partners")
"""The TOML file's sections; every other setting is a secret or wiring, environment only."""
ENVIRONMENT_ONLY = frozenset(Settings.model_fields) - frozenset(POLICY_SECTIONS)

Loc = tuple[str | int, ...]


def load_settings(config_file: Path | None = None) -> Settings:
    """Build settings from the environment, `.env` and the optional team TOML file."""
    path = config_file or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    file_values = _read_toml(path) if path else {}
    if path:
        _only_policy_sections(file_values, path)
    try:
        return Settings(**file_values)
    except ValidationError as exc:
        raise ConfigError(_plain_sentence(exc, file_values, path)) from None
    except SettingsError:
        # The environment's nested lists and tables are JSON, read before validation.
        raise ConfigError(_unreadable_variable()) from None


def _unreadable_variable() -> str:
    """Which environment variable holds a list or table that is not JSON, and how to write it."""
    for name, value in os.environ.items():
        section, _, key = name.lower().partition("__")
        if section in POLICY_SECTIONS and _complex(section, key) and not _json(value):
            return (
                f"The setting {name} is invalid: a list or table in the environment is "
                f"written as JSON, like {name}='[\"U0123ABCD\"]'."
            )
    return "An environment variable of a settings section is not valid JSON."


def _complex(section: str, key: str) -> bool:
    """Whether `[section] key` is a list or a table: what the environment writes as JSON."""
    model: Any = Settings.model_fields[section].annotation
    field = model.model_fields.get(key.partition("__")[0]) if _is_model(model) else None
    if field is None:
        return False
    annotation = field.annotation
    return get_origin(annotation) in (list, dict) or _is_model(annotation)


def _json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _only_policy_sections(file_values: dict[str, Any], path: Path) -> None:
    """Settings ignores what it does not know (the environment holds PATH, HOME…), so the
    file's own top level is checked here: only the policy sections belong in it."""
    for key, value in file_values.items():
        if key in ENVIRONMENT_ONLY:
            raise ConfigError(_secret_in_file(f"`{key}`", key, path))
        if key not in POLICY_SECTIONS:
            written = f"`[{key}]`" if isinstance(value, dict) else f"`{key}`"
            sections = [f"`[{name}]`" for name in POLICY_SECTIONS]
            raise ConfigError(
                f"{written} in {path} is not a section; {_advice(key, POLICY_SECTIONS, sections)}"
            )


def _plain_sentence(error: ValidationError, file_values: dict[str, Any], path: Path | None) -> str:
    """The first problem, naming the setting as the person wrote it, in the file or the
    environment. An unknown key comes first: a misspelt key also leaves its own missing."""
    first = min(error.errors(), key=lambda e: e["type"] != "extra_forbidden")
    loc = first["loc"]
    file = path if _from_file(first, file_values) else None
    if first["type"] == "extra_forbidden":
        return _unknown(loc, file)
    message = PHRASES.get(first["type"]) or first["msg"].removeprefix("Value error, ")
    return f"The setting {_where(loc, file)} is invalid: {message}."


PHRASES = {
    "missing": "it is required",
    "list_type": 'it must be a list, written in brackets: ["U0123ABCD", "U0456EFGH"]',
    "dict_type": "it must be a table of settings",
    "model_type": "it must be a table of settings",
    "string_type": 'it must be text, written in quotes: "like this"',
    "int_parsing": "it must be a whole number, like 3",
    "int_type": "it must be a whole number, like 3",
    "int_from_float": "it must be a whole number, like 3",
    "float_parsing": "it must be a number, like 0.25",
    "float_type": "it must be a number, like 0.25",
    "bool_parsing": "it must be true or false",
    "bool_type": "it must be true or false",
    "time_parsing": 'it must be a time of day written "HH:MM", like "15:00"',
    "time_type": 'it must be a time of day written "HH:MM", like "15:00"',
    "date_parsing": 'it must be a date written "YYYY-MM-DD"',
    "date_from_datetime_parsing": 'it must be a date written "YYYY-MM-DD"',
    "date_type": 'it must be a date written "YYYY-MM-DD"',
}
"""Pydantic's phrases ("Input should be a valid list") as sentences for the person
editing the file or the environment; a rule of ours keeps its own words."""


def _from_file(error: ErrorDetails, file_values: dict[str, Any]) -> bool:
    """The environment wins over the file, so a setting the environment has came from it."""
    loc = error["loc"][:-1] if error["type"] == "missing" else error["loc"]
    environment = {name.upper() for name in os.environ}
    return _in_environment(loc) not in environment and _present(file_values, loc)


def _present(values: Any, loc: Loc) -> bool:
    for part in loc:
        try:
            values = values[part]
        except (KeyError, IndexError, TypeError):
            return False
    return True


def _unknown(loc: Loc, file: Path | None) -> str:
    """A key inside a section that no setting has, with the closest one that exists."""
    key, table = str(loc[-1]), loc[:-1]
    if file and key in ENVIRONMENT_ONLY:
        return _secret_in_file(_in_file(loc), key, file)
    known = _known_keys(table)
    # In the file, a key beside the misspelt one, in its table; in the environment, a variable.
    written = [f"`{k}`" if file else _in_environment((*table, k)) for k in known]
    advice = _advice(key, known, written)
    where = f"{_in_file(loc)} in {file}" if file else f"{_in_environment(loc)} in the environment"
    return f"{where} is not a setting; {advice}"


def _advice(key: str, known: Sequence[str], written: list[str]) -> str:
    """Suggest the closest known key, or list them all when none is close."""
    # A misspelling is close by difflib; a shortened key (`grace`) starts the real one.
    close = difflib.get_close_matches(key, known, n=1) or [k for k in known if k.startswith(key)]
    if close:
        return f"did you mean {written[known.index(close[0])]}?"
    return f"the known ones are {', '.join(written)}."


def _secret_in_file(written: str, key: str, file: Path) -> str:
    return (
        f"{written} does not belong in {file}: secrets and wiring come only from the "
        f"environment, so set {key.upper()} there or in `.env` and remove it from the file."
    )


def _known_keys(loc: Loc) -> list[str]:
    """The keys of the settings table at `loc`, for "did you mean"."""
    annotation: Any = Settings
    for part in loc:
        if isinstance(part, str) and _is_model(annotation):
            annotation = annotation.model_fields[part].annotation
        else:  # an entry of a list or of a table of tables: the type of its items
            annotation = get_args(annotation)[-1]
    return list(annotation.model_fields) if _is_model(annotation) else []


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _where(loc: Loc, file: Path | None) -> str:
    return f"{_in_file(loc)} in {file}" if file else _in_environment(loc)


def _in_file(loc: Loc) -> str:
    """A setting as written in the TOML file: `[team] admins`, `[journey] activities[2].key`."""
    section, *rest = loc
    key = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest).removeprefix(".")
    return f"`[{section}] {key}`" if key else f"`[{section}]`"


def _in_environment(loc: Loc) -> str:
    """A setting as its environment variable: TEAM__ADMINS."""
    return "__".join(str(part).upper() for part in loc if isinstance(part, str))
