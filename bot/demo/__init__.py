"""`strategic-bot demo`: a fictional portfolio in the embedded database, shown as Slack would.

Each feature adds its part here, so a newcomer sees the whole product without a workspace.
"""

from __future__ import annotations

from importlib.resources import files

from rich.console import Console
from rich.panel import Panel

from bot.blocks.accounts import account_card, account_list
from bot.blocks.common import Message
from bot.blocks.text import to_text
from bot.deps import Deps
from bot.domain.account_csv import parse_accounts_csv
from bot.services import accounts
from bot.services.account_import import import_accounts

DEMO_ACTOR = "demo"
PEOPLE = {
    "U0DEMOLEAD1": "dana (lead engineer)",
    "U0DEMOLEAD2": "lee (lead engineer)",
    "U0DEMOLEAD3": "sam (lead engineer)",
    "U0DEMOTACE1": "ravi (TA/CE)",
    "U0DEMOTACE2": "ana (TA/CE)",
    "U0DEMOAE01": "jo (AE)",
    "U0DEMOAE02": "kim (AE)",
    "U0DEMOEXEC1": "pat (exec)",
    "U0DEMOEXEC2": "max (exec)",
    "C0DEMONW01": "acct-northwind",
    "C0DEMOCB01": "acct-contoso",
    "C0DEMOFM01": "acct-fabrikam",
    "C0DEMOWW01": "acct-wideworld",
}


def _show(console: Console, title: str, message: Message) -> None:
    body = to_text(message.blocks, PEOPLE).strip()
    console.print(Panel(body, title=title, title_align="left"), markup=False, highlight=False)


async def run_demo(deps: Deps, console: Console) -> None:
    parsed = parse_accounts_csv(files("bot.demo").joinpath("accounts.csv").read_text())
    try:
        report = await import_accounts(deps, parsed, DEMO_ACTOR)
        console.print(
            f"Sample portfolio in {deps.settings.database_url}: "
            f"{report.created} added, {report.updated} updated, {report.unchanged} unchanged."
        )
        portfolio = await accounts.list_accounts(deps)
        _show(console, "/strategic account list", account_list(portfolio))
        first = portfolio[0]
        _show(
            console,
            f"/strategic account show {first.name}",
            account_card(first, show_sensitive=True),
        )
    finally:
        await deps.db.dispose()
