"""The process's logging: LOG_LEVEL (default INFO) and LOG_FORMAT (`text`, the default, or
`json`: one object per line for a log pipeline), read from the environment and then `.env`,
as the settings are, so an operator sets them in the same file as the rest.

Two promises hold whatever the level:
- no routine chatter at INFO: APScheduler announces each job it arms ("Added job …") and
  Alembic its migration context; both speak from WARNING on unless LOG_LEVEL=DEBUG;
- no token in any line: Slack tokens (`xoxb-…`, `xapp-…`) are masked wherever they appear
  (a message, an argument, a traceback), and so is every secret of the settings once they
  are loaded (`keep_secret`), since a library logging a request at DEBUG might show one.

This module is imported before any command runs, so it imports nothing heavy.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

LEVEL_VARIABLE = "LOG_LEVEL"
FORMAT_VARIABLE = "LOG_FORMAT"
VARIABLES = (LEVEL_VARIABLE, FORMAT_VARIABLE)
"""The environment variables read here (tests/test_deploy_files.py: `.env.example` names them)."""
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
CHATTY = ("apscheduler", "alembic")
"""Loggers that report routine at INFO; WARNING and up only, unless LOG_LEVEL=DEBUG."""
DROWNING = ("aiosqlite",)
"""Loggers kept at INFO even under DEBUG: aiosqlite logs two lines per statement (650 in
serve's first second), which buried every other line of a debug log."""
DOTENV = Path(".env")
"""Where the settings read `.env` from too: the working directory."""

_TOKEN = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+")
MASK = "…"
_secrets: set[str] = set()
MIN_SECRET = 8
"""A secret shorter than this is not searched for: masking every "a" would garble the logs,
and a real token or signing secret is far longer."""


class LogSettingError(ValueError):
    """LOG_LEVEL or LOG_FORMAT names no level or format; the message is one sentence."""


@dataclass(frozen=True)
class LogSettings:
    level: str = "INFO"
    format: str = "text"

    @property
    def debug(self) -> bool:
        """Tracebacks are shown for failures that otherwise print one sentence."""
        return self.level == "DEBUG"

    @property
    def json(self) -> bool:
        return self.format == "json"


def from_environment(
    environ: Mapping[str, str] | None = None, dotenv: Path = DOTENV
) -> LogSettings:
    """The environment's values, else `.env`'s, else the defaults; an empty value is unset."""
    env = os.environ if environ is None else environ
    wanted = {name: env.get(name, "").strip() for name in VARIABLES}
    if not all(wanted.values()) and dotenv.is_file():
        from dotenv import dotenv_values  # pydantic-settings' own reader of `.env`

        in_file = dotenv_values(dotenv)
        for name, value in wanted.items():
            wanted[name] = value or (in_file.get(name) or "").strip()
    level = wanted[LEVEL_VARIABLE].upper() or "INFO"
    form = wanted[FORMAT_VARIABLE].lower() or "text"
    if level not in LEVELS:
        raise LogSettingError(
            f"The setting {LEVEL_VARIABLE} is invalid: {wanted[LEVEL_VARIABLE]!r} is not a "
            f"level; write one of {', '.join(LEVELS)}."
        )
    if form not in FORMATS:
        raise LogSettingError(
            f"The setting {FORMAT_VARIABLE} is invalid: {wanted[FORMAT_VARIABLE]!r} is not a "
            f"format; write text (the default) or json."
        )
    return LogSettings(level, form)


def mask(text: str) -> str:
    """`text` without any Slack token or registered secret."""
    text = _TOKEN.sub(lambda found: f"{found[1]}-{MASK}", text)
    for secret in _secrets:
        text = text.replace(secret, MASK)
    return text


def keep_secret(*values: str | None) -> None:
    """Mask these values in every line from now on (the settings' secrets, once loaded)."""
    _secrets.update(v for v in values if v and len(v) >= MIN_SECRET)


class TextFormatter(logging.Formatter):
    """The plain line (`time LEVEL logger: message`), masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC, ISO 8601), level, logger, message, and
    exc_info (the formatted traceback) when the record carries one. A multi-line message
    or traceback stays on its line: json.dumps escapes the newlines."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
        }
        if record.exc_info:
            entry["exc_info"] = mask(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack_info"] = mask(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


_installed: logging.Handler | None = None


def configure(settings: LogSettings) -> None:
    """Send every log record to stderr at `settings.level`, in `settings.format`.

    Replaces the handler a previous call installed (--debug lowers the level after the
    environment was read), and routes Python's warnings through logging, so that a JSON
    log holds nothing but JSON.
    """
    global _installed
    root = logging.getLogger()
    if _installed is not None:
        root.removeHandler(_installed)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if settings.json else TextFormatter(TEXT_FORMAT))
    root.addHandler(handler)
    root.setLevel(settings.level)
    _installed = handler
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.NOTSET if settings.debug else logging.WARNING)
    for name in DROWNING:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
    logging.captureWarnings(True)
