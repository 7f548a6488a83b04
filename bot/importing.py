"""The CLI side of imports: read the file, show progress, report rejected rows by line."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from bot.deps import Deps
from bot.domain.account_csv import parse_accounts_csv
from bot.domain.accounts import AccountDraft
from bot.domain.csv_rows import ParsedCsv
from bot.services.account_import import ImportRejected, ImportReport, import_accounts


def import_accounts_file(deps: Deps, path: Path, actor: str, out: Console) -> int:
    """Exit code 0 when imported, 1 when the file is unreadable or rejected (nothing written)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        out.print(f"Cannot read {path}: {exc}", style="red", markup=False)
        return 1
    try:
        report = asyncio.run(_write(deps, parse_accounts_csv(text), actor, out))
    except ImportRejected as exc:
        out.print(f"{path}: nothing imported; fix these rows and run again:", style="red")
        for error in exc.errors:
            out.print(f"  {path}:{error}", markup=False, highlight=False)
        return 1
    out.print(
        f"{path}: {report.created} added, {report.updated} updated, {report.unchanged} unchanged.",
        markup=False,
    )
    return 0


async def _write(
    deps: Deps, parsed: ParsedCsv[AccountDraft], actor: str, out: Console
) -> ImportReport:
    try:
        with Progress(console=out, transient=True, disable=not out.is_terminal) as progress:
            task = progress.add_task("Importing accounts", total=len(parsed.rows))
            return await import_accounts(deps, parsed, actor, lambda n: progress.advance(task, n))
    finally:
        await deps.db.dispose()
