"""Strategic partner selection (issue 12) end to end, through signed HTTP against the
loopback Slack API: nominate, the approvals post with its live gate, who may decide, the
reason modal, quorum and veto, the first decisive decision winning in the database (on
SQLite and PostgreSQL), withdrawal, the list and the App Home."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from bot.blocks.partners import NOMINATION_FIELDS, REASON_FIELDS
from bot.deps import Deps
from bot.domain.iarr import IarrInput, IarrKind
from bot.domain.metrics import SnapshotInput
from bot.domain.partners import PartnerPolicy, State
from bot.errors import NotFound
from bot.services.accounts import archive_account, get_account
from bot.services.metrics import record_snapshots
from bot.services.north_star import record_iarr
from bot.services.partners import nominations
from jobs.delivery import Delivery
from storage import partners as partner_store
from storage.accounts import audit_trail
from storage.models import AuditRow, NominationRow, NominationVoteRow
from tests.app_client import AppClient, payload
from tests.conftest import SECRET
from tests.factories import make_account
from tests.forms import state_values
from tests.slack_api import ApiCall, FakeSlackApi

CHANNEL = "C0PARTNERS"
NOMINATOR, EXEC1, EXEC2, EXEC3, STRANGER = "U0NOMINATOR", "U0EXEC1", "U0EXEC2", "U0EXEC3", "U0BOB"
APPROVERS = [EXEC1, EXEC2, EXEC3]
TAILSPIN = {
    "company": "Tailspin Airlines",
    "strategic_segment": "yes",
    "co_market": "high",
    "new_industry": "yes",
    "related_market": "Aviation",
    "vision": "medium",
    "rationale": "Largest carrier in the region; wants to co-present at the summit.",
}


@pytest.fixture
def policy() -> PartnerPolicy:
    return PartnerPolicy(channel=CHANNEL, approvers=APPROVERS)


@pytest.fixture
def partnered(deps: Deps, policy: PartnerPolicy) -> Deps:
    """The test's deps with its `[partners]` settings (the same store, clock and doorbell)."""
    return replace(deps, settings=deps.settings.model_copy(update={"partners": policy}))


@pytest.fixture
async def app(partnered: Deps, slack_api: FakeSlackApi) -> AsyncIterator[AppClient]:
    client = AppClient(partnered, slack_api, SECRET)
    await client.start()
    yield client
    await client.stop()


async def _partner(deps: Deps, name: str, accepted_share: float, iarr: int = 0) -> None:
    """A current partner with a week of usage: 20 % of its 6,000 developers use the
    assistant unless `accepted_share` is high, then 40 %."""
    account = await make_account(deps, name=name, channel=None)
    assistant = 2400 if accepted_share >= 0.25 else 1200
    rows = [
        (
            n + 1,
            SnapshotInput(
                account=name,
                day=deps.today() - timedelta(days=n),
                dau=3000,
                mau=4000,
                seats=5000,
                assistant_dau=assistant,
                shown=10_000,
                accepted=int(10_000 * accepted_share),
            ),
        )
        for n in range(7)
    ]
    await record_snapshots(deps, rows)
    if iarr:
        deal = IarrInput(account=name, kind=IarrKind.EXPANSION, amount=iarr, day=deps.today())
        await record_iarr(deps, deal, "U0AE")
    assert account.partner_status.value == "partner"


async def gate_met(deps: Deps) -> None:
    await _partner(deps, "Acme Corp", 0.31, iarr=250_000)


async def gate_not_met(deps: Deps) -> None:
    await _partner(deps, "Acme Corp", 0.31, iarr=250_000)
    await _partner(deps, "Globex", 0.12)


async def nominate(
    app: AppClient,
    filled: dict[str, Any],
    user: str = NOMINATOR,
    forged: dict[str, str] | None = None,
) -> Any:
    """`/strategic nominate`, the modal filled in and submitted: the ack's JSON (None).
    `forged`: option values no option of the modal has, as a forged submission sends."""
    earlier = len(app.api.calls_to("views.open"))
    response = await app.command("nominate", user=user)
    assert response.status == 200
    opened = (await app.api.wait_for("views.open", count=earlier + 1))[-1]
    view = opened.params["view"]
    values = state_values(NOMINATION_FIELDS, filled)
    for block_id, value in (forged or {}).items():
        values[block_id]["value"]["selected_option"]["value"] = value
    sent = await app.submit_view(view, values, user=user)
    assert sent.status == 200
    return await app.json_of(sent)


async def posted(app: AppClient, count: int = 1) -> dict[str, Any]:
    """The newest approvals post, once the sender delivered it (the fake records a call
    before it stores the message: wait for the message itself)."""
    await app.api.wait_for("chat.postMessage", lambda c: c.params["channel"] == CHANNEL, count)
    for _ in range(100):
        if len(app.api.messages_in(CHANNEL)) >= count:
            return app.api.messages_in(CHANNEL)[-1]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no approvals post in {CHANNEL}")


def click_body(app: AppClient, message: dict[str, Any], action: str, user: str) -> dict[str, Any]:
    """The block_actions payload Slack sends for a click on `message`, to send as is (twice,
    as Slack's retry does)."""
    button = next(
        e for b in message["blocks"] for e in b.get("elements", []) if e["action_id"] == action
    )
    body = payload("block_actions")
    body["user"]["id"] = user
    body["container"].update(message_ts=message["ts"], channel_id=CHANNEL)
    body["channel"]["id"] = CHANNEL
    body["message"].update(ts=message["ts"], text=message["text"], blocks=message["blocks"])
    body["response_url"] = app.api.response_url()
    body["actions"][0].update(action_id=action, value=button["value"], action_ts="1.5")
    return body


async def click_answer(
    app: AppClient, message: dict[str, Any], action: str, user: str, channel: str = CHANNEL
) -> ApiCall:
    """Click, and the private answer (or the redraw) it gets by its response_url."""
    earlier = len(app.api.calls_to("response_url"))
    await app.click(channel, message, action, user=user)
    return (await app.api.wait_for("response_url", count=earlier + 1))[-1]


def shown(call: ApiCall) -> str:
    return json.dumps(call.params.get("blocks", []), ensure_ascii=False)


async def reason_modal(app: AppClient, message: dict[str, Any], action: str, user: str) -> Any:
    earlier = len(app.api.calls_to("views.open"))
    await app.click(CHANNEL, message, action, user=user)
    return (await app.api.wait_for("views.open", count=earlier + 1))[-1].params["view"]


async def submit_reason(app: AppClient, view: dict[str, Any], reason: str, user: str) -> Any:
    values = state_values(REASON_FIELDS, {"reason": reason})
    return await app.json_of(await app.submit_view(view, values, user=user))


async def rows(deps: Deps) -> dict[str, int]:
    async with deps.db.session() as session:
        return {
            table.__tablename__: len((await session.execute(table.__table__.select())).all())
            for table in (NominationRow, NominationVoteRow, AuditRow)
        }


async def settle() -> None:
    """Long enough for anything else queued to have landed (the sender is rung at once)."""
    await asyncio.sleep(0.4)


async def test_nominate_then_refused_then_rejected_with_a_reason(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    """The issue's first flow: the approvals post shows the framework and the live gate,
    a non-approver's click is refused privately, an approver rejects with a reason, and
    the message is edited in place, the nominator DMed, the audit written."""
    await gate_met(partnered)
    assert await nominate(app, TAILSPIN) is None
    [confirmation] = await slack_api.wait_for("response_url")
    assert "Nominated *Tailspin Airlines*" in shown(confirmation)
    account = await get_account(partnered, "Tailspin Airlines")
    assert (account.partner_status.value, account.tier) == ("nominated", 3)

    message = await posted(app)
    post = json.dumps(message["blocks"])
    assert "Partner nomination: Tailspin Airlines" in post
    assert "opens a new industry (Aviation)" in post and "high willingness to co-market" in post
    assert "*Opens a new industry*\\nYes: Aviation" in post
    assert "Largest carrier in the region" in post
    assert "*Acme Corp*: :white_check_mark: completion acceptance 31% (target 25%)" in post
    assert "iARR realized some (target any)" in post  # no amounts in a channel by default
    assert "assistant DAU / available developers 40% (target 30%)" in post
    assert "*The gate is met*" in post and "once existing ones meet these" in post
    assert "partner_nomination_approve" in post and "partner_nomination_reject" in post

    refused = await click_answer(app, message, "partner_nomination_approve", STRANGER)
    assert refused.params["response_type"] == "ephemeral"
    assert (
        "Only the partner approvers can decide a nomination: <@U0EXEC1>, <@U0EXEC2>"
        in (refused.params["text"])
    )
    [before] = await nominations(partnered)
    assert before.state is State.PENDING and before.ballots == ()

    view = await reason_modal(app, message, "partner_nomination_reject", EXEC1)
    assert view["callback_id"] == "partner_nomination_reason"
    empty = await submit_reason(app, view, "", EXEC1)
    assert empty["errors"] == {"reason": "say why"}
    assert await submit_reason(app, view, "No budget for <!here> this year", EXEC1) is None

    [update] = await slack_api.wait_for("chat.update")
    assert update.params["channel"] == CHANNEL and update.params["ts"] == message["ts"]
    edited = shown(update)
    assert ":x: *Rejected* by <@U0EXEC1> <!date^" in edited
    assert "No budget for &lt;!here&gt; this year" in edited and "<!here>" not in edited
    assert "<@U0EXEC1> rejects: No budget" in edited  # the vote, beside the decision
    assert "partner_nomination_approve" not in edited and '"actions"' not in edited
    [dm] = await slack_api.wait_for("chat.postMessage", lambda c: c.params["channel"] == NOMINATOR)
    assert "Your nomination of *Tailspin Airlines* was not approved" in shown(dm)
    assert (await get_account(partnered, "Tailspin Airlines")).partner_status.value == "declined"

    async with partnered.db.session() as session:
        trail = await partner_store.audit_trail(session, before.id)
        on_account = await audit_trail(session, account.id)
    assert [(e.action, e.actor) for e in trail] == [
        ("nomination.create", NOMINATOR),
        ("nomination.vote", EXEC1),
        ("nomination.reject", EXEC1),
    ]
    assert trail[1].changes == {"vote": [None, "reject"]}
    assert trail[2].note == "No budget for <!here> this year"
    assert [e.action for e in on_account] == ["nomination.create", "nomination.reject"]
    assert on_account[-1].changes == {"partner_status": ["nominated", "declined"]}

    late = await click_answer(app, message, "partner_nomination_approve", EXEC2)  # too late
    assert (
        "Tailspin Airlines's nomination was already rejected by <@U0EXEC1>" in (late.params["text"])
    )
    await settle()
    assert len(slack_api.calls_to("chat.update")) == 1


@pytest.mark.parametrize("policy", [PartnerPolicy(channel=CHANNEL, approvers=APPROVERS)])
async def test_two_approvals_at_once_make_one_decision_and_one_update(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    """Two execs click Approve at the same moment, and Slack re-sends one of the clicks:
    one decision, one chat.update, one DM; the others are told who decided (or, for the
    re-sent click that lost, that it was handled)."""
    await gate_met(partnered)
    await nominate(app, TAILSPIN)
    message = await posted(app)
    before = await rows(partnered)
    earlier = len(slack_api.calls_to("response_url"))

    first = click_body(app, message, "partner_nomination_approve", EXEC1)
    await asyncio.gather(
        app.interaction(first),
        app.interaction(first),  # Slack re-sends the same action
        app.click(CHANNEL, message, "partner_nomination_approve", user=EXEC2),
    )
    [update] = await slack_api.wait_for("chat.update")
    told = (await slack_api.wait_for("response_url", count=earlier + 2))[earlier:]
    said = sorted(c.params["text"] for c in told)
    assert all(
        "nomination was already approved by <@U0EXEC" in t or "already handled" in t for t in said
    ), said
    await settle()
    assert len(slack_api.calls_to("chat.update")) == 1
    assert ":white_check_mark: *Approved* by <@U0EXEC" in shown(update)
    dms = [c for c in slack_api.calls_to("chat.postMessage") if c.params["channel"] == NOMINATOR]
    assert len(dms) == 1 and "is now a strategic partner" in shown(dms[0])
    [decided] = await nominations(partnered, pending_only=False)
    assert decided.state is State.APPROVED and not decided.overridden
    assert len(decided.ballots) == 1 and decided.decided_by == decided.ballots[0].approver
    after = await rows(partnered)
    assert after["nomination_votes"] == before["nomination_votes"] + 1
    assert after["audit"] == before["audit"] + 3  # the vote, the decision, the account
    assert (await get_account(partnered, "Tailspin Airlines")).partner_status.value == "partner"


async def test_two_override_submits_at_once_make_one_decision(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    """With Globex short of its targets, Approve asks for an override reason; two such
    modals submitted at once decide once, and the other modal says who decided."""
    await gate_not_met(partnered)
    await nominate(app, TAILSPIN)
    message = await posted(app)
    post = json.dumps(message["blocks"])
    assert "*The gate is not met*: 1 of 2 partners fall short" in post
    assert ":warning: *Globex*: :x: completion acceptance 12% (target 25%)" in post
    assert ":x: iARR realized none (target any)" in post

    first = await reason_modal(app, message, "partner_nomination_approve", EXEC1)
    second = await reason_modal(app, message, "partner_nomination_approve", EXEC2)
    assert "overrides the gate" in json.dumps(first["blocks"])
    assert slack_api.calls_to("chat.update") == []  # nothing decided by the clicks
    assert (await nominations(partnered))[0].ballots == ()

    answers = await asyncio.gather(
        submit_reason(app, first, "Board priority", EXEC1),
        submit_reason(app, second, "Strategic bet", EXEC2),
    )
    refused = [a for a in answers if a is not None]
    assert (
        len(refused) == 1 and "was already approved by <@U0EXEC" in refused[0]["errors"]["reason"]
    )
    [update] = await slack_api.wait_for("chat.update")
    await settle()
    assert len(slack_api.calls_to("chat.update")) == 1
    assert "overriding the gate: " in shown(update)
    [decided] = await nominations(partnered, pending_only=False)
    assert decided.state is State.APPROVED and decided.overridden
    assert decided.reason in ("Board priority", "Strategic bet")


@pytest.mark.parametrize(
    "policy", [PartnerPolicy(channel=CHANNEL, approvers=APPROVERS, quorum=2, veto=True)]
)
async def test_a_quorum_of_two_with_veto(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    """Each vote shows on the message as it comes in; one approval is not yet a decision,
    an approver may change their vote, and with veto one rejection decides."""
    await gate_met(partnered)
    await nominate(app, TAILSPIN)
    message = await posted(app)
    assert "*Votes* (0 of 2 approvals; one rejection rejects): none yet" in json.dumps(
        message["blocks"]
    )

    await app.click(CHANNEL, message, "partner_nomination_approve", user=EXEC1)
    [first] = await slack_api.wait_for("chat.update")
    assert "*Votes* (1 of 2 approvals; one rejection rejects): <@U0EXEC1> approves" in shown(first)
    assert "partner_nomination_approve" in shown(first)  # still open
    assert (await get_account(partnered, "Tailspin Airlines")).partner_status.value == "nominated"
    refused = await click_answer(app, message, "partner_nomination_approve", NOMINATOR)
    assert "Only the partner approvers" in refused.params["text"]

    view = await reason_modal(app, message, "partner_nomination_reject", EXEC2)
    assert await submit_reason(app, view, "Too early", EXEC2) is None
    [_, second] = await slack_api.wait_for("chat.update", count=2)
    assert ":x: *Rejected* by <@U0EXEC2>" in shown(second)
    assert "<@U0EXEC1> approves · <@U0EXEC2> rejects: Too early" in shown(second)
    [decided] = await nominations(partnered, pending_only=False)
    assert decided.state is State.REJECTED
    async with partnered.db.session() as session:
        trail = [e.action for e in await partner_store.audit_trail(session, decided.id)]
    assert trail == [
        "nomination.create",
        "nomination.vote",
        "nomination.vote",
        "nomination.reject",
    ]


@pytest.mark.parametrize("policy", [PartnerPolicy(channel=CHANNEL, approvers=APPROVERS, quorum=2)])
async def test_votes_change_until_the_quorum_approves(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    """Without veto one rejection decides nothing; the approver changes it back to an
    approval, and the second approval decides."""
    await gate_met(partnered)
    await nominate(app, TAILSPIN)
    message = await posted(app)
    view = await reason_modal(app, message, "partner_nomination_reject", EXEC1)
    assert await submit_reason(app, view, "Not convinced", EXEC1) is None
    [first] = await slack_api.wait_for("chat.update")
    assert "<@U0EXEC1> rejects: Not convinced" in shown(first)
    await app.click(CHANNEL, message, "partner_nomination_approve", user=EXEC1)
    [_, changed] = await slack_api.wait_for("chat.update", count=2)
    assert "(1 of 2 approvals): <@U0EXEC1> approves" in shown(changed)
    assert "rejects" not in shown(changed)
    await app.click(CHANNEL, message, "partner_nomination_approve", user=EXEC3)
    [*_, third] = await slack_api.wait_for("chat.update", count=3)
    assert ":white_check_mark: *Approved* by <@U0EXEC3>" in shown(third)
    [decided] = await nominations(partnered, pending_only=False)
    assert decided.state is State.APPROVED
    assert {(b.approver, b.vote.value) for b in decided.ballots} == {
        (EXEC1, "approve"),
        (EXEC3, "approve"),
    }


@pytest.mark.parametrize(
    "policy", [PartnerPolicy(channel=CHANNEL, approvers=[EXEC1], approver_usergroup="S0EXECS")]
)
async def test_the_approver_group_decides_and_a_nominator_never_decides_their_own(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    slack_api.usergroups["S0EXECS"] = [EXEC2]
    await gate_met(partnered)
    await nominate(app, TAILSPIN, user=EXEC1)  # a nominator who is an approver
    message = await posted(app)
    own = await click_answer(app, message, "partner_nomination_approve", EXEC1)
    assert "You nominated Tailspin Airlines, so another approver decides it" in own.params["text"]
    again = await click_answer(app, message, "partner_nomination_reject", EXEC1)
    assert "You nominated" in again.params["text"]
    assert slack_api.calls_to("views.open")[-1].params["view"]["callback_id"] == "partner_nominate"
    assert (await nominations(partnered))[0].ballots == ()

    refused = (await click_answer(app, message, "partner_nomination_approve", STRANGER)).params[
        "text"
    ]
    assert "<@U0EXEC1>, the members of <!subteam^S0EXECS>" in refused
    await app.click(CHANNEL, message, "partner_nomination_approve", user=EXEC2)
    [update] = await slack_api.wait_for("chat.update")
    assert ":white_check_mark: *Approved* by <@U0EXEC2>" in shown(update)


async def test_withdrawn_then_clicked_and_the_list(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    """The nominator withdraws from `/strategic nominations`; a later Approve is told."""
    await gate_met(partnered)
    await nominate(app, TAILSPIN)
    message = await posted(app)

    listed = await app.ask("nominations", user=EXEC1)
    assert "Pending nominations (1)" in listed and "Tailspin Airlines* · pending" in listed
    assert "partner_nomination_withdraw" not in listed  # only the nominator's own
    assert "Say `pending` or `all`" in await app.ask("nominations soon", user=NOMINATOR)
    mine = json.loads(await app.ask("nominations", user=NOMINATOR))
    assert "partner_nomination_withdraw" in json.dumps(mine["blocks"])
    mine["ts"] = "1.0"
    stranger = await click_answer(app, mine, "partner_nomination_withdraw", EXEC1, "C0GENERAL")
    assert (
        "Only <@U0NOMINATOR>, who nominated Tailspin Airlines, can withdraw it"
        in (stranger.params["text"])
    )
    redrawn = await click_answer(app, mine, "partner_nomination_withdraw", NOMINATOR, "C0GENERAL")
    assert redrawn.params["replace_original"] is True
    assert "Withdrawn* by <@U0NOMINATOR>" in shown(redrawn)
    assert "partner_nomination_withdraw" not in shown(redrawn)
    [update] = await slack_api.wait_for("chat.update")
    assert ":leftwards_arrow_with_hook: *Withdrawn* by <@U0NOMINATOR>" in shown(update)
    assert (await get_account(partnered, "Tailspin Airlines")).partner_status.value == "prospect"

    before = await rows(partnered)
    late = await click_answer(app, message, "partner_nomination_approve", EXEC2)
    assert "nomination was already withdrawn by <@U0NOMINATOR>" in late.params["text"]
    assert await rows(partnered) == before
    assert "No nomination is pending" in await app.ask("nominations", user=EXEC1)
    assert "Tailspin Airlines* · withdrawn" in await app.ask("nominations all", user=EXEC1)

    assert await nominate(app, TAILSPIN) is None  # a prospect again: nominated anew
    assert len(await nominations(partnered)) == 1


async def test_a_partner_and_a_pending_company_cannot_be_nominated(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi
) -> None:
    await make_account(partnered, name="Acme Corp")
    before = await rows(partnered)
    refused = await nominate(app, TAILSPIN | {"company": "ACME corp"})
    assert refused["errors"] == {
        "company": "Acme Corp is already a strategic partner; nothing to nominate."
    }
    assert await rows(partnered) == before
    assert slack_api.calls_to("chat.postMessage") == []

    assert await nominate(app, TAILSPIN) is None
    again = await nominate(app, TAILSPIN, user=EXEC1)
    assert "Tailspin Airlines already has a pending nomination" in again["errors"]["company"]
    assert len(await nominations(partnered)) == 1


async def test_missing_fields_are_errors_in_the_modal(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi
) -> None:
    """Slack checks required inputs, but a submission can be forged: each is named."""
    before = await rows(partnered)
    empty = await nominate(app, {})
    assert empty["response_action"] == "errors"
    assert empty["errors"] == {
        "company": "is required",
        "strategic_segment": "is required",
        "co_market": "is required",
        "new_industry": "is required",
        "vision": "is required",
        "rationale": "is required",
    }
    no_market = await nominate(app, TAILSPIN | {"related_market": " "})
    assert no_market["errors"] == {"related_market": "name the market it opens"}
    forged = await nominate(app, TAILSPIN, forged={"co_market": "extreme", "vision": "x"})
    assert forged["errors"] == {
        "co_market": "choose low, medium or high",
        "vision": "choose low, medium or high",
    }
    assert await rows(partnered) == before
    assert slack_api.calls_to("chat.postMessage") == []
    with pytest.raises(NotFound):
        await get_account(partnered, "Tailspin Airlines")


async def test_a_forged_click_is_refused_with_nothing_sent(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi, delivering: Delivery
) -> None:
    await gate_met(partnered)
    await nominate(app, TAILSPIN)
    message = await posted(app)
    body = payload("block_actions")
    body["user"]["id"] = EXEC1
    body["actions"][0].update(
        action_id="partner_nomination_approve",
        value=message["blocks"][-1]["elements"][0]["value"],
    )
    form = "payload=" + json.dumps(body)
    headers = app.signed("a different body")
    slack_api.reset()
    response = await app.post_raw(form, "application/x-www-form-urlencoded", headers)
    assert response.status == 401
    await settle()
    assert [c.method for c in slack_api.calls] == []
    assert (await nominations(partnered))[0].state is State.PENDING


async def test_the_app_home_shows_pending_nominations_to_approvers(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi
) -> None:
    assert await nominate(app, TAILSPIN) is None
    for count, (viewer, sees) in enumerate(((EXEC1, True), (STRANGER, False)), start=1):
        event = payload("app_home_opened")
        event["event"]["user"] = viewer
        await app.event(event)
        call = (await slack_api.wait_for("views.publish", count=count))[-1]
        assert call.params["user_id"] == viewer
        view = json.dumps(call.params["view"])
        assert ("Pending nominations" in view) is sees, viewer
        assert ("Tailspin Airlines*, nominated by <@U0NOMINATOR>, since " in view) is sees


async def test_an_imported_nominee_gets_its_nomination_and_an_archived_one_is_refused(
    app: AppClient, partnered: Deps, slack_api: FakeSlackApi
) -> None:
    """An account imported as nominated has no nomination yet: one is recorded, its
    status kept (no status change audited); an archived account is refused."""
    imported = await make_account(partnered, name="Tailspin Airlines", partner_status="nominated")
    assert await nominate(app, TAILSPIN) is None
    [pending] = await nominations(partnered)
    assert pending.account_id == imported.id and pending.company == "Tailspin Airlines"
    async with partnered.db.session() as session:
        assert [e.action for e in await audit_trail(session, imported.id)] == ["account.create"]

    await make_account(partnered, name="Old Co", partner_status="prospect")
    await archive_account(partnered, "Old Co", "U0SETUP")
    before = await rows(partnered)
    refused = await nominate(app, TAILSPIN | {"company": "old co"})
    assert refused["errors"] == {
        "company": "Old Co is an archived account; an admin restores it before a nomination."
    }
    assert await rows(partnered) == before


@pytest.mark.parametrize("existing", [True, False], ids=["a prospect", "a new company"])
async def test_one_company_nominated_twice_at_once_is_nominated_once(
    existing: bool, app: AppClient, partnered: Deps, slack_api: FakeSlackApi
) -> None:
    """Two people submit the same company at the same moment: one nomination; the other
    modal says it is pending (the account's row, or its unique name, decides)."""
    if existing:
        await make_account(partnered, name="Tailspin Airlines", partner_status="prospect")
    answers = await asyncio.gather(
        nominate(app, TAILSPIN, user=NOMINATOR), nominate(app, TAILSPIN, user=EXEC1)
    )
    refused = [a for a in answers if a is not None]
    assert len(refused) == 1, answers
    assert "Tailspin Airlines already has a pending nomination" in refused[0]["errors"]["company"]
    assert len(await nominations(partnered)) == 1
    assert (await get_account(partnered, "Tailspin Airlines")).partner_status.value == "nominated"
