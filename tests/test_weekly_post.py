"""The weekly update's post on plain data: what it holds and in what order, what fits in a
message, and when its draft and automatic post fall due."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest

from bot.blocks.chart import dau_chart
from bot.blocks.common import MESSAGE_BLOCKS, SECTION_LIMIT, pieces
from bot.blocks.weekly import weekly_draft, weekly_post
from bot.config import Settings
from bot.domain.accounts import Account
from bot.domain.health import Status
from bot.domain.renewals import Renewal
from bot.domain.updates import UpdateEntry, UpdatePolicy, week_of
from bot.domain.weekly import Digest, autopost_due, draft_due, post_ref, reply_ref, weekly_dau
from jobs.weekly_update import cron_for
from tests.modals import nomination_of

AT = datetime(2026, 11, 23, 9, tzinfo=UTC)
WEEK = week_of(AT.date())


def _account(id: int, name: str, **fields: object) -> Account:
    base = {"id": id, "name": name, "tier": 1, "created_at": AT, "updated_at": AT}
    return Account.model_validate(base | fields)


def _entry(id: int, account: Account | None, **texts: object) -> UpdateEntry:
    return UpdateEntry(
        id=id,
        week=WEEK,
        author="U0LEAD",
        account_id=account.id if account else None,
        account_name=account.name if account else None,
        created_at=AT,
        updated_at=AT,
        **texts,
    )


ACME = _account(1, "Acme Corp", arr=900_000, contract_end=date(2027, 1, 10))
GLOBEX = _account(2, "Globex")


def _digest(**changes: object) -> Digest:
    entries = [
        _entry(1, None, upcoming="QBR season"),
        _entry(2, ACME, progress="SSO live", blockers="Legal review", upcoming="Rollout"),
    ]
    values: dict[str, object] = {
        "week": WEEK,
        "entries": entries,
        "weeks_open": {2: 3},
        "accounts": [ACME, GLOBEX],
        "health": {1: Status.RED, 2: Status.GREEN},
        "renewals": [Renewal(ACME, 48, Status.RED, None, show_arr=False)],
    }
    return Digest(**(values | changes))  # type: ignore[arg-type]


def _shown(digest: Digest) -> str:
    return json.dumps(weekly_post(digest).main.blocks)


def test_the_post_has_the_week_then_team_wide_then_each_account_badge_first() -> None:
    blocks = weekly_post(_digest()).main.blocks
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Weekly update 2026-W48"},
    }
    shown = json.dumps(blocks)
    assert shown.index("Team-wide") < shown.index(":red_circle: *Acme Corp*")
    acme = shown[shown.index(":red_circle: *Acme Corp*") :]
    assert acme.index("SSO live") < acme.index("Legal review") < acme.index("Rollout")


def test_blockers_are_set_apart_with_how_long_they_have_stood() -> None:
    assert ":construction: *Blockers (open for 3 weeks)*\\n>Legal review" in _shown(_digest())


def test_accounts_without_an_entry_are_named() -> None:
    assert "*No entry this week* (1):\\n*Globex*" in _shown(_digest())
    everyone = _digest(accounts=[ACME])
    assert "No entry this week" not in _shown(everyone)


def test_renewals_due_show_arr_only_when_allowed() -> None:
    shown = _shown(_digest())
    assert "Renewals in the next 90 days" in shown and "(in 48 days)" in shown
    assert "900,000" not in shown
    allowed = _digest(renewals=[Renewal(ACME, 48, Status.RED, None, show_arr=True)])
    assert "ARR USD 900,000" in _shown(allowed)  # an amount says what it counts in
    assert "ARR EUR 900,000" in json.dumps(
        weekly_post(replace(allowed, currency="EUR")).main.blocks
    )
    assert "No renewal is due in the next 90 days." in _shown(_digest(renewals=[]))


def test_an_entry_changed_after_the_post_is_marked_edited() -> None:
    assert "_(edited)_" not in _shown(_digest())
    assert _shown(_digest(edited={2})).count("_(edited)_") == 1


def _sections_of(blocks: list[dict[str, object]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]  # type: ignore[index]


def test_a_week_past_50_blocks_puts_each_account_in_its_own_named_reply() -> None:
    accounts = [_account(i, f"Account {i:03}") for i in range(1, 80)]
    entries = [_entry(i, a, progress=f"moved {i}") for i, a in enumerate(accounts, 1)]
    digest = _digest(accounts=accounts, entries=entries, health={}, weeks_open={})
    layout = weekly_post(digest)
    draft = weekly_draft(digest, "C0STRAT").blocks

    assert layout.threaded and len(layout.replies) == 79
    assert [name for name, _ in layout.replies] == [reply_ref(WEEK, a.id) for a in accounts]
    main = json.dumps(layout.main.blocks)
    assert len(layout.main.blocks) <= MESSAGE_BLOCKS and len(draft) <= MESSAGE_BLOCKS
    assert "cut to fit" not in main and "Account 079" in main  # the index names every one
    assert "moved 5" not in main  # the entries are in the thread
    _, reply = layout.replies[4]
    assert "moved 5" in json.dumps(reply.blocks) and "Account 005" in reply.text
    assert draft[-1]["type"] == "actions"


def test_a_post_that_fits_is_one_message_without_replies() -> None:
    layout = weekly_post(_digest())
    assert not layout.threaded and layout.replies == []


def test_an_entry_too_long_for_a_section_threads_the_post_and_loses_nothing() -> None:
    long = "Q&A <@U0SPOOF> " * 200  # 3,000 characters typed; more once escaped
    entry = _entry(2, ACME, progress=long.strip(), blockers=long.strip())
    layout = weekly_post(_digest(entries=[entry]))

    assert layout.threaded
    ((_, reply),) = layout.replies
    texts = _sections_of(reply.blocks)
    assert all(len(t) <= SECTION_LIMIT for t in texts)
    shown = " ".join(texts)
    assert shown.count("Q&amp;A &lt;@U0SPOOF&gt;") == 400 and "<@U0SPOOF>" not in shown


def test_pieces_break_at_lines_or_spaces_never_inside_an_entity_or_a_mention() -> None:
    text = "x" * 2997 + "&amp;" + "y" * 10
    assert pieces(text) == ["x" * 2997, "&amp;" + "y" * 10]
    text = "x" * 2995 + "<@U0LEAD>" + "y" * 10
    assert pieces(text) == ["x" * 2995, "<@U0LEAD>" + "y" * 10]
    assert pieces("x" * 2995 + "&amp;" + "y") == ["x" * 2995 + "&amp;", "y"]  # whole: kept
    lines = "\n".join(["a" * 1000] * 5)
    assert pieces(lines) == ["\n".join(["a" * 1000] * 2)] * 2 + ["a" * 1000]
    assert "".join(pieces("z" * 7000)) == "z" * 7000


def test_the_chart_averages_each_week_over_the_days_with_figures() -> None:
    by_day = {WEEK.monday: 100, WEEK.monday + timedelta(days=1): 300}
    by_day[WEEK.monday - timedelta(weeks=2)] = 50
    series = weekly_dau(by_day, WEEK)
    assert len(series) == 12 and series[-1].week == WEEK
    assert [p.dau for p in series[-3:]] == [50, None, 200]
    assert all(p.dau is None for p in series[:-3])


def test_the_chart_is_a_png_described_in_its_alt_text_and_skipped_without_data() -> None:
    series = weekly_dau({WEEK.monday - timedelta(weeks=11): 80, WEEK.monday: 120}, WEEK)
    chart = dau_chart(WEEK, series)
    assert chart is not None
    assert chart.content.startswith(b"\x89PNG\r\n\x1a\n") and chart.filename.endswith("W48.png")
    assert "80 in 2026-W37" in chart.alt_text and "120 in 2026-W48, +50%" in chart.alt_text
    assert "10 of the weeks have no figures" in chart.alt_text
    assert dau_chart(WEEK, weekly_dau({}, WEEK)) is None
    assert "no chart this week" in _shown(_digest())
    assert "chart of weekly assistant DAU" in _shown(_digest(dau=series))


def test_pending_nominations_are_listed_or_said_to_be_none() -> None:
    waiting = nomination_of(ACME)
    shown = _shown(_digest(nominations=[waiting], today=date(2026, 11, 27)))
    assert "*Pending nominations* (1)" in shown and "pending 4 days" in shown
    assert "*Acme Corp*, nominated by <@U0AE>" in shown
    assert "*Pending nominations*: none." in _shown(_digest())


def test_the_draft_has_post_and_edit() -> None:
    (buttons,) = [b for b in weekly_draft(_digest(), "C0STRAT").blocks if b["type"] == "actions"]
    assert [e["action_id"] for e in buttons["elements"]] == [
        "weekly_update_post",
        "weekly_update_edit",
    ]


def test_draft_and_autopost_fall_due_on_the_draft_day_and_stay_due_after() -> None:
    policy = UpdatePolicy()  # Friday 14:00, autopost 16:00
    assert not draft_due(policy, WEEK, datetime(2026, 11, 27, 13, 59))
    assert draft_due(policy, WEEK, datetime(2026, 11, 27, 14, 0))
    assert draft_due(policy, WEEK, datetime(2026, 11, 29, 8, 0))  # after downtime
    assert not autopost_due(policy, WEEK, datetime(2026, 11, 27, 15, 59))
    assert autopost_due(policy, WEEK, datetime(2026, 11, 27, 16, 0))
    off = UpdatePolicy(autopost_time="")
    assert not autopost_due(off, WEEK, datetime(2026, 11, 29, 23, 0))
    assert post_ref(WEEK) == "weekly-update:2026-W48"


@pytest.mark.parametrize(
    ("changes", "cron"),
    [
        ({}, "0 14,16 * * 5"),
        ({"autopost_time": ""}, "0 14 * * 5"),
        ({"draft_weekday": 6, "draft_time": time(9, 30)}, "0,30 9,16 * * 0"),
    ],
)
def test_the_schedule_follows_the_settings(changes: dict[str, object], cron: str) -> None:
    settings = Settings(slack_bot_token="xoxb-x", updates=UpdatePolicy.model_validate(changes))
    assert cron_for(settings) == cron


def test_the_draft_names_a_channel_by_id_or_as_written() -> None:
    by_id = json.dumps(weekly_draft(_digest(), "C0STRAT").blocks)
    assert "<#C0STRAT>" in by_id and "Post to the channel" in by_id
    by_name = json.dumps(weekly_draft(_digest(), "#cp-strategic").blocks)
    assert "for #cp-strategic." in by_name and "Post to #cp-strategic" in by_name
