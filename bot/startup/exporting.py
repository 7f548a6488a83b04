"""`strategic-bot export accounts FILE.csv`: the spreadsheet `import accounts` reads.

Exactly the import's columns (bot/domain/account_csv.py), in its order, each cell written
as the import reads it back: blank for nothing, dates as YYYY-MM-DD, numbers without
separators, the partner status by its value. So export, edit, import is a round trip:
importing an untouched export changes nothing, and exporting again gives the same bytes.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from bot.deps import Deps
from bot.domain.account_csv import COLUMNS
from bot.domain.accounts import Account
from bot.services.accounts import list_accounts


def accounts_csv(accounts: list[Account]) -> str:
    """The header and one row per account, in the order given."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for account in accounts:
        writer.writerow(_cell(getattr(account, column)) for column in COLUMNS)
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_accounts(deps: Deps, path: Path) -> int:
    """Write every active account to `path` (by tier, then name); how many were written.

    UTF-8 with a byte-order mark, which spreadsheet programs need to show accents and the
    import skips. Written beside `path` first and renamed, so a failure leaves no half file.
    """
    accounts = asyncio.run(_active(deps))
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(accounts_csv(accounts), encoding="utf-8-sig", newline="")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return len(accounts)


async def _active(deps: Deps) -> list[Account]:
    try:
        return await list_accounts(deps)
    finally:
        await deps.db.dispose()
