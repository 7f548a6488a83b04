"""A corpus of hostile requests, tried as an attacker would, against the real app over
HTTP: unsigned, malformed, oversized, replayed, from the wrong person, with tampered
metadata or button values, with hostile text, and at the metrics endpoint.

For each one: its status; that nothing was written (every table's row count before and
after); that no Web API or response_url call was made beyond the private answer due (a
refusal is told to the person who clicked, nobody else); and that nothing logged holds a
secret. The corpus is data: `CORPUS` lists every case by name.
"""

from __future__ import annotations

import itertools
import json
import logging
import urllib.parse
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pytest
from pydantic import SecretStr

from bot.blocks.accounts import ACCOUNT_FIELDS, account_modal
from bot.blocks.forms import FieldSpec
from bot.config import TeamPolicy
from bot.deps import Deps
from bot.domain.accounts import Account
from bot.domain.needs import NeedStatus, Step
from bot.ids import Action, Callback
from bot.metadata import (
    AccountForm,
    CheckinRef,
    HealthAck,
    IarrUndo,
    InitiativeChange,
    JourneyDone,
    NeedRef,
    NeedStatusChoice,
    NominationRef,
    PeopleRef,
    PersonRef,
    RenewalDecision,
    Snooze,
    StepDone,
    WeeklyPost,
    WriteUpdate,
)
from storage.models import Base
from tests.app_client import AppClient, fresh_trigger_id, payload
from tests.conftest import SECRET, TOKEN
from tests.e2e.test_listeners import PERSONAL
from tests.e2e.test_malformed import REFUSED_AT_THE_DOOR
from tests.factories import make_account
from tests.forms import state_values
from tests.modals import submissions
from tests.slack_api import FakeSlackApi

METRICS_TOKEN = "metrics-token-9c1e"
SECRETS = (SECRET, TOKEN, METRICS_TOKEN)
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
ADMIN, OWNER, MEMBER, STRANGER = "U0ADMIN", "U0TACE", "U0MEMBER", "U0STRANGER"
TEAM = TeamPolicy(admins=[ADMIN], members=[OWNER, "U0AE", "U0LEAD", "U0EXEC", MEMBER])
HOSTILE = "<!channel> Pwn & <@U0BOSS> <https://evil.example|click>"


@dataclass
class World:
    """The app, an account owned by OWNER (Acme) and one by MEMBER's colleagues (Globex)."""

    slack: AppClient
    api: FakeSlackApi
    acme: Account
    globex: Account
    sent: str = ""
    """A request a case's set-up sent, for the case to send again."""

    async def form(self, body: str, headers: dict[str, str] | None = None) -> int:
        sent = self.slack.signed(body) if headers is None else headers
        return (await self.slack.post_raw(body, FORM, sent)).status

    async def command(self, text: str, user: str) -> int:
        body = urllib.parse.urlencode(
            payload("slash_command")
            | {
                "text": text,
                "user_id": user,
                "response_url": self.api.response_url(),
                "trigger_id": fresh_trigger_id(),
            }
        )
        return await self.form(body)

    async def click(self, action: str, value: str, user: str) -> int:
        body = payload("block_actions")
        body["user"]["id"] = user
        body["trigger_id"] = fresh_trigger_id()
        body["response_url"] = self.api.response_url()
        body["actions"][0].update(action_id=action, block_id=action, value=value)
        return (await self.slack.interaction(body)).status

    async def submit(
        self, view: dict[str, Any], fields: tuple[FieldSpec, ...], filled: dict[str, Any], user: str
    ) -> int:
        return (await self.slack.submit_view(view, state_values(fields, filled), user=user)).status


Send = Callable[[World], Awaitable[int]]


@dataclass(frozen=True)
class Case:
    send: Send
    status: int
    answers: int = 0
    """Private answers due (response_url calls): a refusal told to the person who clicked."""
    writes: bool = False
    """A hostile-text case: it is stored (escaped where shown), the rest write nothing."""
    prepare: Send | None = None
    """Set-up before the row counts are taken (a replay's first, legitimate send)."""


# ---------------------------------------------------------------- unsigned and oversized


def _unsigned_bodies() -> dict[str, bytes]:
    click = payload("block_actions")
    click["actions"][0].update(action_id=Action.ACK_HEALTH, value='{"account_id":1}')
    return {
        "a command": urllib.parse.urlencode(payload("slash_command") | {"text": "iarr Acme 1 new"})
        .encode(),
        "a click": urllib.parse.urlencode({"payload": json.dumps(click)}).encode(),
        "a submission": urllib.parse.urlencode(
            {"payload": json.dumps(payload("view_submission"))}
        ).encode(),
        "an event": json.dumps(payload("app_home_opened")).encode(),
        "a JSON list": b"[1, 2]",
        "payload=\\xff": b"payload=\xff",
        "payload={bad": b"payload={bad",
        "payload=[1]": b"payload=[1]",
        "{bad": b"{bad",
        "an empty body": b"",
    }


def _forged_headers(slack: AppClient, body: bytes) -> dict[str, dict[str, str]]:
    good = slack.signed(body)
    stamp = good["X-Slack-Request-Timestamp"]
    return {
        "no headers": {},
        "a signature only": {"X-Slack-Signature": good["X-Slack-Signature"]},
        "a timestamp only": {"X-Slack-Request-Timestamp": stamp},
        "a forged signature": {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=00"},
        "timestamp x": {"X-Slack-Request-Timestamp": "x", **_sig(good)},
        "timestamp 1e3": {"X-Slack-Request-Timestamp": "1e3", **_sig(good)},
        "a signature ten minutes old": slack.signed(body, seconds_off=-600),
        "a signature ten minutes ahead": slack.signed(body, seconds_off=600),
        "the signature of another body": slack.signed(body + b" "),
    }


def _sig(headers: dict[str, str]) -> dict[str, str]:
    return {"X-Slack-Signature": headers["X-Slack-Signature"]}


def _unsigned(body_name: str, header_name: str) -> Send:
    async def send(world: World) -> int:
        body = _unsigned_bodies()[body_name]
        headers = _forged_headers(world.slack, body)[header_name]
        content = JSON if body[:1] in (b"[", b"{") else FORM
        return (await world.slack.post_raw(body, content, headers)).status

    return send


def _oversized(signed: bool) -> Send:
    async def send(world: World) -> int:
        body = b"payload=" + b"x" * (2 * 1024**2)
        headers = world.slack.signed(body) if signed else {}
        return (await world.slack.post_raw(body, FORM, headers)).status

    return send


# ---------------------------------------------------------------- signed but not well formed


def _malformed(name: str) -> Send:
    async def send(world: World) -> int:
        body, content = REFUSED_AT_THE_DOOR[name]
        return (await world.slack.post_signed(body, content)).status

    return send


# ---------------------------------------------------------------- the wrong person


def _values(world: World, account: Account) -> dict[Action, str]:
    end = account.contract_end or date.min
    return {
        Action.ACK_HEALTH: HealthAck(account_id=account.id, status="red").model_dump_json(),
        Action.JOURNEY_DONE: JourneyDone(
            account_id=account.id, contract_end=end, activity="kickoff"
        ).model_dump_json(),
        Action.RENEWED: RenewalDecision(account_id=account.id, contract_end=end).model_dump_json(),
        Action.CHURNED: RenewalDecision(account_id=account.id, contract_end=end).model_dump_json(),
        Action.IARR_UNDO: IarrUndo(event_id=987654).model_dump_json(),
        Action.UPDATE_WRITE: WriteUpdate().model_dump_json(),
        Action.UPDATE_SNOOZE: Snooze().model_dump_json(),
        **dict.fromkeys(
            (Action.NOMINATION_APPROVE, Action.NOMINATION_REJECT, Action.NOMINATION_WITHDRAW),
            NominationRef(nomination_id=987654).model_dump_json(),
        ),
        Action.WEEKLY_POST: WeeklyPost(week=date(2026, 11, 23)).model_dump_json(),
        Action.WEEKLY_EDIT: WeeklyPost(week=date(2026, 11, 23)).model_dump_json(),
        Action.PEOPLE_ADD: PeopleRef(account_id=account.id).model_dump_json(),
        Action.PERSON_REMOVE: PersonRef(person_id=987654).model_dump_json(),
        Action.INITIATIVE_STATUS: InitiativeChange(
            initiative_id=987654, status="done"
        ).model_dump_json(),
        Action.OKR_CHECKIN: CheckinRef(key_result_id=987654).model_dump_json(),
        Action.NEED_STATUS: NeedStatusChoice(
            account_id=account.id, need_id=987654, status=NeedStatus.SHIPPED
        ).model_dump_json(),
        Action.ROLLOUT_OPEN: NeedRef(account_id=account.id, need_id=987654).model_dump_json(),
        Action.STEP_DONE: StepDone(
            account_id=account.id, need_id=987654, step=Step.PILOT
        ).model_dump_json(),
    }


def _click_as(action: Action, user: str, of: str = "acme") -> Send:
    async def send(world: World) -> int:
        account = getattr(world, of)
        return await world.click(action, _values(world, account)[action], user)

    return send


def _junk_click(action: Action, value: str) -> Send:
    async def send(world: World) -> int:
        return await world.click(action, value, OWNER)

    return send


def _submit_as(callback: Callback, user: str, metadata: str | None = None) -> Send:
    async def send(world: World) -> int:
        build, fields, filled = submissions(MEMBER, blockers=HOSTILE)[callback]
        view = build(world.acme)
        if metadata is not None:
            view["private_metadata"] = metadata
        return await world.submit(view, fields, filled, user)

    return send


def _command_as(text: str, user: str) -> Send:
    async def send(world: World) -> int:
        return await world.command(text, user)

    return send


async def _first_iarr(world: World) -> int:
    """The set-up of a replay: the command as first sent, which records the deal."""
    world.sent = urllib.parse.urlencode(
        payload("slash_command")
        | {
            "text": "iarr Acme Corp 5000 new",
            "user_id": OWNER,
            "response_url": world.api.response_url(),
            "trigger_id": fresh_trigger_id(),
        }
    )
    status = await world.form(world.sent)
    await world.api.wait_for("response_url")
    return status


def _replayed(times: int) -> Send:
    """The same signed command again, freshly stamped: it records nothing more."""

    async def send(world: World) -> int:
        statuses = [await world.form(world.sent) for _ in range(times)]
        return max(statuses)

    return send


# ---------------------------------------------------------------- the metrics endpoint


def _metrics(body: Any, token: str | None = METRICS_TOKEN, raw: str | None = None) -> Send:
    async def send(world: World) -> int:
        text = raw if raw is not None else json.dumps(body)
        status, _answer = await world.slack.post_json_text("/api/metrics", text, token)
        return status

    return send


def _row(**fields: Any) -> dict[str, Any]:
    return {"account": "Acme Corp", "day": "2026-11-20", "dau": 10, "mau": 20, "seats": 30} | fields


# ---------------------------------------------------------------- hostile text


def _hostile_add(field: str) -> Send:
    async def send(world: World) -> int:
        filled = {"name": "Plain Co", "tier": "1", "partner_status": "prospect", field: HOSTILE}
        view = account_modal(AccountForm(response_url=world.api.response_url())).to_dict()
        return await world.submit(view, ACCOUNT_FIELDS, filled, ADMIN)

    return send


def _corpus() -> dict[str, Case]:
    corpus: dict[str, Case] = {}
    for body, headers in itertools.product(
        _unsigned_bodies(), ["no headers", *list(_FORGERIES)]
    ):
        corpus[f"unsigned: {body} with {headers}"] = Case(_unsigned(body, headers), 401)
    corpus["unsigned and 2 MiB"] = Case(_oversized(signed=False), 413)
    corpus["signed and 2 MiB"] = Case(_oversized(signed=True), 413)
    for name in REFUSED_AT_THE_DOOR:
        corpus[f"signed but malformed: {name}"] = Case(_malformed(name), 400)
    for action in Action:
        corpus[f"a stranger clicks {action}"] = Case(_click_as(action, STRANGER), 200, answers=1)
        corpus[f"the owner of Acme clicks {action} with junk"] = Case(
            _junk_click(action, "{junk"), 200, answers=1
        )
        if action in PERSONAL:  # acts for the member who clicks, on nothing of another's
            continue
        corpus[f"a member who owns nothing clicks {action}"] = Case(
            _click_as(action, MEMBER), 200, answers=1
        )
        corpus[f"the owner of Acme clicks {action} naming Globex"] = Case(
            _click_as(action, OWNER, of="globex"), 200, answers=1
        )
    for callback in Callback:
        corpus[f"a stranger submits {callback}"] = Case(_submit_as(callback, STRANGER), 200)
        corpus[f"the owner submits {callback} with metadata that is not JSON"] = Case(
            _submit_as(callback, OWNER, metadata="{not json"), 200
        )
        corpus[f"the owner submits {callback} with an unknown field in its metadata"] = Case(
            _submit_as(callback, OWNER, metadata=json.dumps({"account_id": 1, "admin": True})),
            200,
        )
    for callback in (
        Callback.ACCOUNT_EDIT,
        Callback.PLAN,
        Callback.RENEW,
        Callback.NEED,
        Callback.ROLLOUT,
    ):
        corpus[f"a member who owns nothing submits {callback}"] = Case(
            _submit_as(callback, MEMBER), 200
        )
    corpus["a member who is no admin submits account_add"] = Case(
        _submit_as(Callback.ACCOUNT_ADD, MEMBER), 200
    )
    for text in ["help", "account list", "account show Acme Corp", "iarr Acme Corp 5 new"]:
        corpus[f"a stranger types {text}"] = Case(_command_as(text, STRANGER), 200)
    for text in [
        "account archive Acme Corp",
        "account edit Acme Corp",
        "plan Acme Corp",
        "need Acme Corp",
    ]:
        corpus[f"a member who owns nothing types {text}"] = Case(
            _command_as(text, MEMBER), 200, answers=1
        )
    for times in (1, 2, 3):
        corpus[f"an iARR command replayed {times} time(s)"] = Case(
            _replayed(times), 200, answers=times, prepare=_first_iarr
        )
    corpus["metrics without a token"] = Case(_metrics({"snapshots": [_row()]}, token=None), 401)
    corpus["metrics with a wrong token"] = Case(_metrics({"snapshots": [_row()]}, "x"), 401)
    corpus["metrics that are not JSON"] = Case(_metrics(None, raw="{snapshots"), 422)
    corpus["metrics nested 100,000 deep"] = Case(
        _metrics(None, raw="[" * 100_000 + "]" * 100_000), 422
    )
    corpus["metrics with true as a count"] = Case(_metrics({"snapshots": [_row(dau=True)]}), 422)
    corpus["metrics past the column range"] = Case(
        _metrics({"snapshots": [_row(seats=10**20, mau=1, dau=1)]}), 422
    )
    corpus["metrics with the same day twice"] = Case(
        _metrics({"snapshots": [_row(), _row(dau=11)]}), 422
    )
    corpus["metrics for an unknown account"] = Case(
        _metrics({"snapshots": [_row(account="Nobody Inc")]}), 422
    )
    for field in ("name", "industry"):
        corpus[f"an admin adds an account with a hostile {field}"] = Case(
            _hostile_add(field), 200, answers=1, writes=True
        )
    return corpus


_FORGERIES = (
    "a signature only",
    "a timestamp only",
    "a forged signature",
    "timestamp x",
    "timestamp 1e3",
    "a signature ten minutes old",
    "a signature ten minutes ahead",
    "the signature of another body",
)
CORPUS = _corpus()


def test_the_corpus_has_at_least_a_hundred_requests() -> None:
    assert len(CORPUS) >= 100, len(CORPUS)


@pytest.fixture
async def world(deps: Deps, slack_api: FakeSlackApi) -> AsyncIterator[World]:
    settings = deps.settings.model_copy(
        update={"team": TEAM, "metrics_api_token": SecretStr(METRICS_TOKEN)}
    )
    hostile = replace(deps, settings=settings)
    slack = AppClient(hostile, slack_api, SECRET)
    await slack.start()
    acme = await make_account(hostile)
    globex = await make_account(
        hostile, name="Globex", lead_engineer="U0OTHER", ta_ce="U0OTHER", ae="U0OTHER",
        exec_sponsor="U0OTHER", channel="C0GLOBEX",
    )
    try:
        yield World(slack, slack_api, acme, globex)
    finally:
        await slack.stop()


def _parsed_texts(node: Any, top: bool = True) -> list[str]:
    """What Slack reads for mentions and links: mrkdwn objects and a message's fallback
    text. plain_text (headers, buttons) shows as typed and pings nobody."""
    if isinstance(node, list):
        return [t for item in node for t in _parsed_texts(item, top=False)]
    if not isinstance(node, dict):
        return []
    found = [node["text"]] if node.get("type") == "mrkdwn" or (top and "text" in node) else []
    return found + [t for v in node.values() for t in _parsed_texts(v, top=False)]


async def _rows(deps: Deps) -> dict[str, int]:
    async with deps.db.session() as session:
        return {
            t.name: len((await session.execute(t.select())).all())
            for t in Base.metadata.sorted_tables
            if t.name != "seen_requests"
        }


@pytest.mark.parametrize("name", list(CORPUS))
async def test_a_hostile_request(
    name: str,
    world: World,
    deps: Deps,
    slack_api: FakeSlackApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    case = CORPUS[name]
    if case.prepare is not None:
        await case.prepare(world)
    before = await _rows(deps)
    slack_api.reset()
    with caplog.at_level(logging.DEBUG):
        status = await case.send(world)
        due = case.answers
        answers = await slack_api.wait_for("response_url", count=due) if due else []
    assert status == case.status, name
    made = sorted(c.method for c in slack_api.calls if c.method != "auth.test")
    assert made == ["response_url"] * case.answers, made
    if case.writes:
        parsed = [t for c in slack_api.calls for t in _parsed_texts(c.params)]
        assert parsed and not [t for t in parsed if "<!channel>" in t or "<@U0BOSS>" in t]
    else:
        assert await _rows(deps) == before, name
    if case.answers:
        assert {a.params.get("response_type") for a in answers} <= {"ephemeral", None}
    for secret in SECRETS:
        assert secret not in caplog.text, f"{name}: a secret in the log"
