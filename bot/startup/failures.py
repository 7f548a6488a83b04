"""What stops a command from outside the bot, said in one sentence: a database it cannot
reach or open, a port another process holds.

Such a failure is a setting or a server to fix, not a bug to report, and its traceback
(hundreds of lines through SQLAlchemy, asyncpg or asyncio) hid the one line that said so.
The few spots that open the store or the port wrap it here (`opening_store`,
`listening_sockets`), naming what they opened; the CLI's `main()` prints the sentence and
exits non-zero (`report`), with the traceback only under --debug or LOG_LEVEL=DEBUG.
Anything else keeps its traceback.

Nothing here imports a driver: the kinds are told apart by what the chain of causes holds.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from bot.startup.logs import LogSettingError

EXIT_UNAVAILABLE = 1
EXIT_CONFIG = 2
CONNECTING = ("OperationalError", "InterfaceError")
"""SQLAlchemy's errors of a connection that failed (not of a statement that was wrong)."""


class CannotStart(Exception):
    """The sentence for the operator; the driver's or the system's error is its cause."""


def causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, then what it wraps: SQLAlchemy's `orig`, then each `__cause__`/`__context__`."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        wrapped = getattr(current, "orig", None)
        if isinstance(wrapped, BaseException) and id(wrapped) not in seen:
            yield from causes(wrapped)
            return
        current = current.__cause__ or current.__context__


def shown_url(url: str) -> str:
    """The URL as the operator wrote it in DATABASE_URL, its password hidden."""
    scheme, _, rest = url.partition("://")
    plain = f"{scheme.split('+')[0]}://{rest}"
    password = urlsplit(plain).password
    if password:
        plain = plain.replace(f":{password}@", ":***@", 1)
    return plain


def sqlite_path(url: str) -> str | None:
    scheme, _, rest = url.partition("://")
    return rest.partition("?")[0].removeprefix("/") if scheme.startswith("sqlite") else None


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return "its host name is not known"
    if isinstance(exc, TimeoutError):
        return "it did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused"
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def store_failure(url: str, exc: BaseException) -> str | None:
    """The sentence for a database that could not be opened, or None if `exc` is not that."""
    chain = list(causes(exc))
    path = sqlite_path(url)
    if path is not None:
        import sqlite3  # loaded already by then: aiosqlite is its driver

        for cause in chain:
            if isinstance(cause, sqlite3.Error):
                reason = str(cause) or type(cause).__name__
                advice = (
                    "check that its folder exists and that this user may write there"
                    if isinstance(cause, sqlite3.OperationalError)
                    else "check DATABASE_URL: it names a file that is not a SQLite database"
                )
                return f"Cannot open the SQLite database {path}: {reason}; {advice}."
        return None
    where = f"Cannot connect to the database {shown_url(url)}"
    advice = "check DATABASE_URL, and that PostgreSQL runs there and accepts this user"
    for cause in chain:
        if isinstance(cause, OSError):
            return f"{where}: {_os_reason(cause)}; {advice}."
    for cause in chain:
        if type(cause).__module__.startswith("asyncpg"):  # the server's own refusal
            return f"{where}: {cause}; {advice}."
    for cause in chain:  # SQLAlchemy's own words, without its "Background on this error" line
        kind = type(cause)
        if kind.__module__ == "sqlalchemy.exc" and kind.__name__ in CONNECTING:
            return f"{where}: {str(cause).splitlines()[0]}; {advice}."
    return None


def _open_sqlite(url: str) -> None:
    """Open a SQLite file with the standard library first, and read its header.

    Through aiosqlite, a file that cannot be opened also left aiosqlite's worker thread
    answering a loop that had closed (its failed connect stops the thread without waiting
    for it): a second traceback, printed by the thread, after the sentence.
    """
    path = sqlite_path(url)
    if not path or path.startswith(":memory:") or "uri=true" in url.lower():
        return  # nothing to open, or a URI only SQLite's URI mode reads (left to aiosqlite)
    import sqlite3

    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA schema_version")  # "file is not a database" shows here


@contextmanager
def opening_store(url: str) -> Iterator[None]:
    """Around the first connection of a command: a database that cannot be reached or opened
    becomes CannotStart with its sentence."""
    try:
        _open_sqlite(url)
        yield
    except Exception as exc:
        sentence = store_failure(url, exc)
        if sentence is None:
            raise
        raise CannotStart(sentence) from exc


def port_failure(host: str, port: int, exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return f"Cannot listen on {host}: its host name is not known; choose another with --host."
    if exc.errno == errno.EADDRINUSE:
        return (
            f"Port {port} on {host} is already in use: stop the process that listens there, "
            "or serve on another port with --port."
        )
    if exc.errno == errno.EACCES:
        return (
            f"This user may not listen on port {port} (ports below 1024 need privileges): "
            "choose another with --port."
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"Cannot listen on {host}: no interface of this machine has that address."
    return f"Cannot listen on {host} port {port}: {_os_reason(exc)}."


def listening_sockets(host: str, port: int) -> list[socket.socket]:
    """Sockets bound and listening on every address `host` names, as aiohttp would bind them.

    Bound before the app starts: a port that is taken stops `serve` here, before its
    scheduler has caught up on (claimed and queued) any job it would then never send.
    """
    bound: list[socket.socket] = []
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, proto, _name, address in dict.fromkeys(found):
            listener = socket.socket(family, kind, proto)
            bound.append(listener)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            listener.bind(address)
            listener.listen(128)
    except OSError as exc:
        for listener in bound:
            listener.close()
        raise CannotStart(port_failure(host, port, exc)) from exc
    return bound


def known_failure(exc: BaseException) -> tuple[str, int] | None:
    """The sentence and exit code of a failure the operator fixes; None for anything else.

    A ConfigError can only have come from a loaded `bot.config`: it is recognised without
    importing the settings (and pydantic) into a command that never read them.
    """
    if isinstance(exc, CannotStart):
        return str(exc), EXIT_UNAVAILABLE
    config = sys.modules.get("bot.config")
    if isinstance(exc, LogSettingError) or (config and isinstance(exc, config.ConfigError)):
        return str(exc), EXIT_CONFIG
    return None


def formatted_traceback(exc: BaseException) -> str:
    """The plain traceback (no locals, which could hold a token), for --debug."""
    return "".join(traceback.format_exception(exc)).rstrip()
