"""Reading the audit log: `/strategic history ACCOUNT` over signed HTTP, and
`strategic-bot audit` as an operator runs it, against the same store.

The log holds every field's old and new value (ARR too), so in Slack only the account's
owners and admins read it; anyone else is refused privately and sees none of it.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.config import TeamPolicy
from bot.deps import Deps
from bot.services.accounts import archive_account, edit_account
from tests.app_client import AppClient
from tests.conftest import Clock
from tests.factories import draft, make_account
from tests.processes import app_env, run
from tests.slack_api import FakeSlackApi

ADMINS = TeamPolicy(admins=["U0ADMIN"])


async def answer(slack: AppClient, text: str, user: str) -> dict[str, Any]:
    reply: dict[str, Any] = json.loads(await slack.ask(text, user=user))
    return reply


def sections(reply: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in reply.get("blocks", []) if b["type"] == "section"]


async def _acme_with_a_past(deps: Deps, clock: Clock) -> None:
    """Added by the admin, then its tier and ARR changed by its TA/CE an hour later."""
    account = await make_account(deps)
    clock.now += timedelta(hours=1)
    await edit_account(deps, account.id, draft(tier=2, arr=1_500_000), actor="U0TACE")


@pytest.mark.parametrize("team", [ADMINS])
async def test_owners_and_admins_read_who_changed_what_and_when(
    slack: AppClient, deps: Deps, clock: Clock
) -> None:
    await _acme_with_a_past(deps, clock)

    for reader in ("U0TACE", "U0AE", "U0ADMIN"):  # two owners and an admin
        reply = await answer(slack, "history acme corp", reader)
        assert reply["blocks"][0]["text"]["text"] == "Acme Corp: history"
        edited, added = sections(reply)  # newest first
        assert edited.startswith(f"<!date^{int(clock.now.timestamp())}^")
        assert " · <@U0TACE>\n" in edited
        assert "edited the account\ntier: 1 → 2\narr: 1200000 → 1500000" in edited
        assert " · <@U0ADMIN>\nadded the account\nname: — → Acme Corp\n" in added
        assert "2 changes, newest first." in json.dumps(reply)


@pytest.mark.parametrize("team", [ADMINS])
async def test_anyone_else_is_refused_privately_and_sees_nothing(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps, clock: Clock
) -> None:
    await _acme_with_a_past(deps, clock)

    reply = await answer(slack, "history Acme Corp", "U0STRANGER")

    assert reply["response_type"] == "ephemeral"
    assert "Only Acme Corp's owners or a team admin can see its history." in reply["text"]
    assert "1500000" not in json.dumps(reply) and "U0TACE" not in json.dumps(reply)
    assert slack_api.calls_to("chat.postMessage") == []  # nothing said in the channel


async def test_an_unknown_account_and_a_missing_name_say_what_to_type(
    slack: AppClient, deps: Deps
) -> None:
    await make_account(deps)
    unknown = await answer(slack, "history Acme", "U0ALICE")
    assert "No account is named *Acme*. Did you mean *Acme Corp*" in unknown["text"]
    missing = await answer(slack, "history", "U0ALICE")
    assert "Say which account:\n`/strategic history ACCOUNT`" in missing["text"]


async def test_a_long_history_shows_the_newest_and_points_to_the_whole_log(
    slack: AppClient, deps: Deps, clock: Clock
) -> None:
    account = await make_account(deps)
    for seats in range(1, 31):
        clock.now += timedelta(minutes=1)
        await edit_account(deps, account.id, draft(licensed_seats=seats), actor="U0TACE")

    reply = await answer(slack, "history Acme Corp", "U0TACE")  # the fake API checks limits

    assert "The 20 newest of 31 changes, newest first." in json.dumps(reply)
    shown = sections(reply)
    assert len(shown) == 20
    assert "licensed_seats: 29 → 30" in shown[0] and "licensed_seats: 10 → 11" in shown[-1]
    assert "strategic-bot audit --account NAME" in json.dumps(reply)


async def test_typed_values_in_the_log_cannot_ping_anyone(slack: AppClient, deps: Deps) -> None:
    account = await make_account(deps)
    await edit_account(
        deps, account.id, draft(industry="<!channel> & <@U0BOSS>"), actor="U0TACE"
    )
    text = json.dumps(await answer(slack, "history Acme Corp", "U0TACE"))
    assert "&lt;!channel&gt; &amp; &lt;@U0BOSS&gt;" in text
    assert "<!channel>" not in text and "<@U0BOSS>" not in text


# ---------------------------------------------------------------- strategic-bot audit


async def test_the_cli_lists_the_log_by_account_and_since_a_day(
    deps: Deps, clock: Clock, slack_api: FakeSlackApi, tmp_path: Path
) -> None:
    acme = await make_account(deps)
    await make_account(deps, name="Globex", channel=None)
    clock.now += timedelta(days=2)  # 2026-11-25
    await edit_account(deps, acme.id, draft(tier=3), actor="U0TACE")
    await archive_account(deps, "Globex", actor="U0SETUP")
    env = app_env(f"{slack_api.url}/api", deps.settings.database_url, COLUMNS="200")

    async def audit(*args: str) -> tuple[int, str]:
        return await run("audit", *args, env=env, cwd=tmp_path, log=tmp_path / "audit.log")

    code, everything = await audit()
    assert code == 0, everything
    lines = [line for line in everything.splitlines() if "│ 2026-" in line]
    assert [[cell.strip() for cell in line.split("│")[2:4]] for line in lines] == [
        ["U0SETUP", "Globex"],
        ["U0TACE", "Acme Corp"],
        ["U0SETUP", "Globex"],
        ["U0SETUP", "Acme Corp"],
    ]
    assert "archived the account" in lines[0] and "tier: 1 → 3" in everything

    code, acme_only = await audit("--account", "acme corp")
    assert code == 0 and "Globex" not in acme_only and "tier: 1 → 3" in acme_only

    code, recent = await audit("--since", "2026-11-25")
    assert code == 0 and recent.count("│ 2026-11-25") == 2 and "2026-11-23" not in recent

    code, unknown = await audit("--account", "Initech")
    assert code == 1 and "No account is named Initech." in unknown
    code, no_such_day = await audit("--since", "2026-02-30")
    assert code == 2 and "--since 2026-02-30: that day does not exist." in no_such_day
    code, bad_day = await audit("--since", "last week")
    assert code == 2 and "--since last week: write the day as YYYY-MM-DD." in bad_day
