"""Weekly update entries, end to end: `/strategic update`'s modal, `update show [WEEK]`, and
the input refused with nothing written, through signed HTTP against the loopback Slack API."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from bot.blocks.updates import UPDATE_FIELDS
from bot.deps import Deps
from bot.domain.updates import TEAM_WIDE, UpdateEntry, week_of
from bot.services.updates import week_entries
from storage.models import UpdateEntryRow
from tests.app_client import AppClient
from tests.conftest import Clock
from tests.factories import make_account
from tests.forms import state_values
from tests.slack_api import FakeSlackApi

HOSTILE = "<!channel> ping & <@U0BOSS> <https://evil.example|click>"


async def open_entry(slack: AppClient, user: str = "U0ALICE") -> dict[str, Any]:
    earlier = len(slack.api.calls_to("views.open"))
    assert (await slack.command("update", user=user)).status == 200
    view: dict[str, Any] = (await slack.api.wait_for("views.open", count=earlier + 1))[-1].params[
        "view"
    ]
    return view


async def write(
    slack: AppClient, filled: dict[str, Any], user: str = "U0ALICE"
) -> dict[str, Any] | None:
    """Open the modal, fill it in, submit it: None when it closed (saved), else the errors."""
    view = await open_entry(slack, user)
    response = await slack.submit_view(view, state_values(UPDATE_FIELDS, filled), user=user)
    assert response.status == 200
    answer: dict[str, Any] | None = await slack.json_of(response)
    return answer


async def confirmation(api: FakeSlackApi, count: int) -> str:
    return json.dumps((await api.wait_for("response_url", count=count))[-1].params)


async def this_week(deps: Deps) -> list[UpdateEntry]:
    entries, _ = await week_entries(deps, week_of(deps.today()))
    return entries


def _element(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return dict(block)


async def test_the_modal_offers_team_wide_and_the_active_accounts_by_name(
    slack: AppClient, deps: Deps
) -> None:
    await make_account(deps, name="Zeta Bank", tier=1)
    await make_account(deps, name="acme corp", tier=3)
    await make_account(deps, name="Gone Co")
    await slack.ask("account archive Gone Co")

    view = await open_entry(slack)

    assert view["callback_id"] == "update_entry" and view["title"]["text"] == "Weekly update"
    assert "*2026-W48* (2026-11-23 to 2026-11-29)" in json.dumps(view["blocks"])
    account = _element(view, "account")
    options = [o["text"]["text"] for o in account["element"]["options"]]
    assert options == ["Team-wide", "acme corp", "Zeta Bank"]
    assert "hint" not in account
    for field in ("progress", "blockers", "upcoming"):
        block = _element(view, field)
        assert "Up to 3,000 characters." in block["hint"]["text"]
        assert block["element"]["max_length"] == 3000 and block["optional"]
    still_open = _element(view, "still_open")["element"]
    assert still_open["type"] == "checkboxes"
    assert [o["text"]["text"] for o in still_open["options"]] == ["Still open"]


async def test_past_99_accounts_the_list_keeps_slacks_limit_and_says_so(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    for n in range(101):
        await make_account(deps, name=f"Account {n:03d}", channel=None)
    view = await open_entry(slack)  # the loopback API refuses a select past 100 options
    account = _element(view, "account")
    options = account["element"]["options"]
    assert len(options) == 100 and options[-1]["text"]["text"] == "Account 098"
    assert "Only the first 99 of 101 accounts by name" in account["hint"]["text"]


async def test_an_entry_is_written_and_written_again_is_changed(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    acme = await make_account(deps)
    filled = {"account": str(acme.id), "progress": "SSO live", "blockers": "Legal review"}
    assert await write(slack, filled) is None
    said = await confirmation(slack_api, 1)
    assert "Saved your entry of 2026-W48 about Acme Corp." in said
    assert "*Progress*\\nSSO live" in said and "*Blockers*\\nLegal review" in said

    again = {"account": str(acme.id), "upcoming": "QBR on Tuesday"}
    assert await write(slack, again) is None
    assert "Changed your entry of 2026-W48 about Acme Corp." in await confirmation(slack_api, 2)

    [entry] = await this_week(deps)
    assert (entry.author, entry.account_id, entry.account_name) == ("U0ALICE", acme.id, "Acme Corp")
    assert (entry.progress, entry.blockers, entry.upcoming) == (None, None, "QBR on Tuesday")
    assert entry.created_at <= entry.updated_at


async def test_one_team_wide_entry_per_person_and_week(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """Team-wide has no account: its uniqueness cannot rest on a NULL account_id."""
    acme = await make_account(deps)
    assert await write(slack, {"account": TEAM_WIDE, "progress": "Hiring"}) is None
    assert await write(slack, {"account": TEAM_WIDE, "progress": "Hired two"}) is None
    assert await write(slack, {"account": str(acme.id), "progress": "SSO"}) is None
    assert await write(slack, {"account": TEAM_WIDE, "progress": "Onboarding"}, "U0BOB") is None
    entries = await this_week(deps)
    assert [(e.author, e.account_name, e.progress) for e in entries] == [
        ("U0ALICE", None, "Hired two"),
        ("U0BOB", None, "Onboarding"),
        ("U0ALICE", "Acme Corp", "SSO"),
    ]


async def test_the_store_itself_refuses_a_second_team_wide_entry(deps: Deps) -> None:
    """Below the upsert: the constraint, on each backend, and the scope kept in step."""
    at = datetime(2026, 11, 23, 9, tzinfo=UTC)
    row = {
        "week": week_of(at.date()).monday,
        "author": "U0ALICE",
        "account_id": None,
        "scope": 0,
        "still_open": False,
        "progress": "x",
        "created_at": at,
        "updated_at": at,
    }
    async with deps.db.session() as session:
        await session.execute(insert(UpdateEntryRow).values(**row))
    for twin in (row, row | {"scope": 7}):  # the same again; a scope that is no account's
        with pytest.raises(IntegrityError):
            async with deps.db.session() as session:
                await session.execute(insert(UpdateEntryRow).values(**twin))
    assert len(await this_week(deps)) == 1


async def test_update_show_lists_the_week_by_account_escaped(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps, clock: Clock
) -> None:
    acme = await make_account(deps)
    pwn = await make_account(deps, name=f"Zeta {HOSTILE}", channel=None)
    clock.now -= timedelta(weeks=2)  # 2026-W46
    await write(slack, {"account": str(acme.id), "blockers": "Legal  review"})
    clock.now += timedelta(weeks=1)  # 2026-W47
    await write(slack, {"account": str(acme.id), "blockers": "legal review"})
    clock.now += timedelta(weeks=1)  # 2026-W48, this week
    await write(slack, {"account": str(acme.id), "blockers": "Legal sign-off", "still_open": "yes"})
    await write(slack, {"account": str(pwn.id), "progress": HOSTILE}, user="U0BOB")
    await write(slack, {"account": TEAM_WIDE, "upcoming": "Offsite"}, user="U0BOB")
    await confirmation(slack_api, 5)  # each entry's confirmation, before the list is asked

    shown = await slack.ask("update show")

    assert "Weekly update 2026-W48" in shown and "2026-11-23 to 2026-11-29 · 3 entries" in shown
    assert shown.index("Team-wide") < shown.index("Acme Corp") < shown.index("*Zeta &lt;!channel")
    assert "*Blockers (open for 3 weeks)*\\nLegal sign-off" in shown
    assert "<@U0BOB>" in shown and "<!channel>" not in shown and "<@U0BOSS>" not in shown
    assert "&lt;!channel&gt; ping &amp; &lt;@U0BOSS&gt;" in shown
    earlier = await slack.ask("update show 2026-w47")
    assert "Weekly update 2026-W47" in earlier and "1 entry" in earlier
    assert "*Blockers (open for 2 weeks)*\\nlegal review" in earlier
    empty = await slack.ask("update show 2027-W01")
    assert "No entries for 2027-W01 (2027-01-04 to 2027-01-10)" in empty


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("update show 2026-W60", "`2026-W60` is not a week: 2026 has weeks W01 to W53."),
        ("update show soon", "`soon` is not a week: write a week as year, W and week number"),
        ("update show <!channel>", "`&lt;!channel&gt;` is not a week"),
        ("update now", "`/strategic update` takes nothing after it."),
    ],
)
async def test_update_show_refuses_what_is_no_week(slack: AppClient, text: str, words: str) -> None:
    answer = await slack.ask(text)
    assert words in answer and "/strategic update show [WEEK]" in answer


@pytest.mark.parametrize(
    ("filled", "block", "words"),
    [
        ({}, "progress", "write the progress, the blockers or what is upcoming"),
        ({"progress": "  ", "blockers": "\n"}, "progress", "write the progress"),
        ({"upcoming": "x" * 3001}, "upcoming", "keep it to 3,000 characters"),
        ({"progress": "x" * 3001, "blockers": "ok"}, "progress", "keep it to 3,000 characters"),
        ({"progress": "x", "still_open": "yes"}, "blockers", "the blocker that is still open"),
    ],
)
async def test_bad_entries_show_on_their_field_and_write_nothing(
    slack: AppClient, deps: Deps, filled: dict[str, Any], block: str, words: str
) -> None:
    answer = await write(slack, {"account": TEAM_WIDE} | filled)
    assert answer is not None and answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block] and words in answer["errors"][block]
    assert await this_week(deps) == []


async def test_an_entry_about_an_archived_or_vanished_account_writes_nothing(
    slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    acme = await make_account(deps, name="AT&T Labs")
    view = await open_entry(slack)  # opened while the account was active
    await slack.ask("account archive AT&T Labs")
    filled = {"account": str(acme.id), "progress": "x"}
    answer = await slack.json_of(
        await slack.submit_view(view, state_values(UPDATE_FIELDS, filled))
    )
    assert answer["errors"] == {
        "account": "AT&T Labs is archived; write about an active account, or Team-wide."
    }
    vanished = await write(slack, {"account": "987654", "progress": "x"})
    assert vanished is not None
    assert vanished["errors"] == {"account": "That account no longer exists."}
    forged = await write(slack, {"account": "Acme", "progress": "x"})
    assert forged is not None
    assert forged["errors"] == {"account": "choose an account, or Team-wide"}
    assert await this_week(deps) == []
