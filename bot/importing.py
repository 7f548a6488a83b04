"""The CLI side of imports: read the file, show progress, report rejected rows by line."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import Progress

from bot.deps import Deps
from bot.domain.account_csv import parse_accounts_csv
from bot.services.account_import import ImportRejected, import_accounts


async def run_account_import(deps: Deps, path: Path, actor: str, out: Console) -> int:
    """Exit code 0 when imported, 1 when rejected (nothing written)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, IsADirectoryError, UnicodeDecodeError) as exc:
        out.print(f"[red]Cannot read {path}: {exc}[/red]")
        return 1
    parsed = parse_accounts_csv(text)
    try:
        with Progress(console=out, transient=True, disable=not out.is_terminal) as progress:
            task = progress.add_task("Importing accounts", total=len(parsed.rows))
            report = await import_accounts(
                deps, parsed, actor, lambda n: progress.advance(task, n)
            )
    except ImportRejected as exc:
        out.print(f"[red]{path}: nothing imported; fix these rows and run again:[/red]")
        for error in exc.errors:
            out.print(f"  {path}:{error}", markup=False, highlight=False)
        return 1
    finally:
        await deps.db.dispose()
    out.print(
        f"{path}: {report.created} added, {report.updated} updated, {report.unchanged} unchanged."
    )
    return 0
