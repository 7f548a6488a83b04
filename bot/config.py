"""Settings: secrets and wiring from the environment (and `.env`), team policy from TOML.

Secrets never come from the TOML file a team keeps in a repository: the environment
outranks the file, and tokens are `SecretStr` so they never print or log.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.domain.health import HealthPolicy
from bot.domain.journey import JourneyPolicy
from bot.domain.renewals import RenewalPolicy
from bot.domain.slack_ids import SLACK_USER_PATTERN

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///strategic-bot.db"
SLACK_API_DEFAULT = "https://slack.com/api/"
CONFIG_ENV = "STRATEGIC_BOT_CONFIG"


class ConfigError(Exception):
    """A setting is missing or malformed; its message is one plain sentence for the operator."""


class TeamPolicy(BaseModel):
    """What a team decides for itself; lives in the TOML file under `[team]`."""

    timezone: str = "UTC"
    admins: list[str] = Field(default_factory=list)
    strategic_channel: str = "#cp-strategic"
    fiscal_year_start_month: int = Field(default=2, ge=1, le=12)
    alerts_channel: str | None = None
    """Health alerts of accounts without a channel of their own; default: strategic_channel."""
    show_sensitive_in_channels: bool = False

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

    @field_validator("admins")
    @classmethod
    def _slack_user_ids(cls, value: list[str]) -> list[str]:
        import re

        bad = [v for v in value if not re.match(SLACK_USER_PATTERN, v)]
        if bad:
            raise ValueError(f"{', '.join(bad)} are not Slack user IDs (U0123ABCD)")
        return value


class JobSetting(BaseModel):
    """One job's schedule, overriding its default: `[scheduler.jobs.NAME]`."""

    cron: str
    enabled: bool = True


class SchedulerPolicy(BaseModel):
    """How scheduled posts are timed and delivered: `[scheduler]`."""

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
    """Every setting of the app; the environment variable of each is its upper-case name."""

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

    def require(self, *names: str) -> None:
        """Refuse to start a command that needs a secret nobody set, naming the variable."""
        for name in names:
            if getattr(self, name) is None:
                raise ConfigError(f"{name.upper()} is not set: {_WHY_NEEDED[name]}")


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


def _plain_sentence(error: ValidationError) -> str:
    first = error.errors()[0]
    name = "_".join(str(part) for part in first["loc"]).upper() or "configuration"
    message = first["msg"].removeprefix("Value error, ")
    return f"The setting {name} is invalid: {message}."


def load_settings(config_file: Path | None = None) -> Settings:
    """Build settings from the environment, `.env` and the optional team TOML file."""
    path = config_file or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    file_values = _read_toml(path) if path else {}
    try:
        return Settings(**file_values)
    except ValidationError as exc:
        raise ConfigError(_plain_sentence(exc)) from None
