"""`strategic-bot import okrs FILE.yaml`: read the file, parse its YAML, have the domain
check it, and import the quarter — all of it or, with any problem, nothing.

YAML is parsed here, at the edge (`yaml.safe_load`: no tags, no objects), and the plain
data it gives is what the domain validates, so the rules never see a YAML library.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import yaml
from rich.console import Console

from bot.deps import Deps
from bot.domain.okrs import OkrFile, validate_okr_file
from bot.services.okrs import import_okrs


def read_okr_file(path: Path, start_month: int) -> OkrFile | list[str]:
    """The file's quarter, or every problem: unreadable, not YAML (with its line), or what
    the domain found, each saying where."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [f"cannot be read: {exc}"]
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        return [f"{where}is not valid YAML: {problem}"]
    return validate_okr_file(data, start_month)


def import_okr_file(deps: Deps, path: Path, out: Console, actor: str) -> int:
    """Exit code 0 when imported, 1 when the file is unreadable or rejected (nothing written)."""
    found = read_okr_file(path, deps.settings.team.fiscal_year_start_month)
    if isinstance(found, list):
        out.print(f"{path}: nothing imported; fix these and run again:", style="red", markup=False)
        for problem in found:
            out.print(f"  {path}: {problem}", markup=False, highlight=False)
        return 1

    async def write() -> str:
        try:
            report = await import_okrs(deps, found, actor)
        finally:
            await deps.db.dispose()
        return (
            f"{found.quarter.label}: {report.added} key result(s) added, {report.updated} "
            f"updated, {report.unchanged} unchanged."
        )

    out.print(f"{path}: {asyncio.run(write())}", markup=False)
    return 0
