"""The CLI side of every import: read the file, show progress, report rejected rows by line."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from rich.console import Console
from rich.progress import Progress

from bot.deps import Deps
from bot.domain.csv_rows import ParsedCsv
from bot.errors import RowsRejected
from bot.services.account_import import unknown_accounts

T = TypeVar("T")
Progressed = Callable[[int], None]
Write = Callable[[Deps, ParsedCsv[T], Progressed], Awaitable[str]]


def import_file(
    deps: Deps,
    path: Path,
    out: Console,
    parse: Callable[[str], ParsedCsv[T]],
    write: Write[T],
    what: str,
) -> int:
    """Exit code 0 when imported, 1 when the file is unreadable or rejected (nothing written)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        out.print(f"Cannot read {path}: {exc}", style="red", markup=False)
        return 1
    try:
        report = asyncio.run(_write(deps, parse(text), write, what, out))
    except RowsRejected as exc:
        out.print(f"{path}: nothing imported; fix these rows and run again:", style="red")
        for error in exc.errors:
            out.print(f"  {path}:{error}", markup=False, highlight=False)
        return 1
    out.print(f"{path}: {report}", markup=False)
    return 0


async def _write(deps: Deps, parsed: ParsedCsv[T], write: Write[T], what: str, out: Console) -> str:
    """Every problem of the file at once, the store's (accounts it does not know) beside
    the rows' own, and only then, if there is none, the rows written."""
    try:
        errors = parsed.sorted_errors(await unknown_accounts(deps, parsed.accounts_named))
        if errors:
            raise RowsRejected(errors)
        with Progress(console=out, transient=True, disable=not out.is_terminal) as progress:
            task = progress.add_task(f"Importing {what}", total=len(parsed.rows))
            return await write(deps, parsed, lambda n: progress.advance(task, n))
    finally:
        await deps.db.dispose()
