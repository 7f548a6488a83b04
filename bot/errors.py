"""The errors a person can cause. `app.error` turns each into an ephemeral message."""

from __future__ import annotations

from bot.domain.csv_rows import RowError


class UserError(Exception):
    """Something the person asked for cannot be done; the message says what to do instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(UserError):
    """The command was typed wrong; the message carries the exact usage."""


class NotFound(UserError):
    """What was named does not exist; the message suggests close names."""


class NotAllowed(UserError):
    """The person may not do this; the message says who may."""


class FieldErrors(UserError):
    """Input with errors by field, shown next to each field in a modal or per CSV cell."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


class RowsRejected(UserError):
    """Rows of an import or a batch with problems, each with its line; nothing was written."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


class UnknownMessage(UserError):
    """An edit or a reply named a message of ours that no post was ever queued for."""

    def __init__(self, ref: str) -> None:
        super().__init__(f"No message named {ref!r} was ever posted; nothing was changed.")
        self.ref = ref


class Replayed(UserError):
    """The same request (a replay, or Slack's retry) was handled before; nothing changed."""
