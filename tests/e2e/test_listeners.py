"""Every button and modal the bot builds has a listener, every listener is for something
the bot builds, and every one of them refuses a person who may not act.

The IDs live in `bot.ids` as enums; the builders below are all the places that emit
them. A new button or modal adds its builder here and its refusal case, or these fail.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from bot.blocks.accounts import account_modal
from bot.blocks.alerts import health_alert
from bot.blocks.initiatives import initiative_modal, initiative_reminder, initiatives_message
from bot.blocks.journey import journey_message
from bot.blocks.needs import need_modal, needs_message, rollout_modal
from bot.blocks.north_star import iarr_recorded
from bot.blocks.okrs import add_modal, checkin_dm, checkin_modal
from bot.blocks.partners import (
    approvals_post,
    nomination_modal,
    nominations_message,
    reason_modal,
)
from bot.blocks.people import people_message, person_modal
from bot.blocks.plans import plan_modal
from bot.blocks.renewals import renew_modal, renewal_decision
from bot.blocks.update_reminders import update_reminder
from bot.blocks.updates import update_modal
from bot.blocks.weekly import weekly_draft
from bot.config import TeamPolicy
from bot.deps import Deps
from bot.domain.accounts import Account
from bot.domain.fiscal import fiscal_quarter
from bot.domain.health import AccountHealth, Health, Status, UsageFigures
from bot.domain.iarr import IarrEvent, IarrInput, IarrKind
from bot.domain.initiatives import Reminder
from bot.domain.journey import AccountJourney, Activity, JourneyItem, State
from bot.domain.needs import NeedStatus, Step
from bot.domain.partners import Gate, NominationDraft, PartnerPolicy
from bot.domain.updates import week_of
from bot.domain.weekly import Digest
from bot.ids import Action, Callback
from bot.metadata import (
    AccountForm,
    CheckinForm,
    CheckinRef,
    HealthAck,
    IarrUndo,
    InitiativeChange,
    InitiativeForm,
    JourneyDone,
    NeedForm,
    NeedRef,
    NeedStatusChoice,
    NominationForm,
    NominationReason,
    NominationRef,
    OkrForm,
    PeopleRef,
    PersonForm,
    PersonRef,
    PlanForm,
    RenewalDecision,
    RenewForm,
    RolloutForm,
    Snooze,
    StepDone,
    UpdateForm,
    WeeklyPost,
    WriteUpdate,
)
from bot.services.north_star import record_iarr
from bot.services.partners import nominate
from bot.services.updates import week_entries
from storage.accounts import audit_trail
from tests.app_client import AppClient, payload
from tests.factories import make_account
from tests.forms import state_values
from tests.modals import (
    KEY_RESULT_ID,
    NEED_ID,
    NOMINEE,
    initiative_of,
    key_result_of,
    need_of,
    nomination_of,
    person_of,
    store_initiative,
    store_key_result,
    store_person,
    submissions,
)
from tests.slack_api import FakeSlackApi

OUTSIDER = "U0STRANGER"
ADMINS = [TeamPolicy(admins=["U0ADMIN"])]
AT_THE_DOOR = TeamPolicy(admins=["U0ADMIN"], members=["U0ALICE"])
DOOR_REFUSAL = "Strategic bot is for the strategic accounts team only"
PERSONAL = {Action.UPDATE_WRITE, Action.UPDATE_SNOOZE}
NOMINATION_REFUSAL = {
    Action.NOMINATION_APPROVE: "Only the partner approvers can decide a nomination",
    Action.NOMINATION_REJECT: "Only the partner approvers can decide a nomination",
    Action.NOMINATION_WITHDRAW: "Only <@U0AE>, who nominated Nominee Co, can withdraw it",
}
"""A nomination is decided by the approvers, who are no account's owners, and withdrawn
only by whoever nominated it."""
OKR_REFUSAL = {Action.OKR_CHECKIN: "Only <@U0AE>, who owns this key result, or a team admin"}
"""A key result is checked in on by its owner and the admins, not by an account's owners."""
INITIATIVE_REFUSAL = {
    Action.INITIATIVE_STATUS: "Only <@U0AE>, who owns this initiative, or a team admin"
}
"""An initiative belongs to no account: its owner and the admins move it."""
YES_NO = {"strategic_segment": True, "new_industry": False}
"""A reminder's Write update and Snooze act for whoever clicks, on nothing of anyone else's:
their outsider is a person outside a team that names its members, turned away at the door."""


def _account(**fields: Any) -> Account:
    base = {
        "id": 7,
        "name": "Acme Corp",
        "tier": 1,
        "ae": "U0AE",
        "ta_ce": "U0TACE",
        "contract_start": date(2026, 1, 1),
        "contract_end": date(2026, 12, 31),
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }
    return Account.model_validate(base | fields)


def _built() -> list[dict[str, Any]]:
    """Every message and view the bot builds that carries an action or a callback id."""
    account = _account()
    health = AccountHealth(account, Health(Status.RED), "worse", UsageFigures(None))
    activity = Activity("kickoff", "Kickoff", date(2026, 1, 1), date(2026, 1, 15), ("ae",))
    journey = AccountJourney(account, [JourneyItem(activity, State.OVERDUE)])
    ack = HealthAck(account_id=account.id, status="red")
    renew = RenewForm(account_id=7, contract_end=date(2026, 12, 31))
    nomination = nomination_of(account)
    reason = NominationReason(nomination_id=nomination.id, vote="reject")
    need = need_of(account)
    return [
        {"blocks": approvals_post(nomination, Gate(), PartnerPolicy(), False).blocks},
        {"blocks": nominations_message([nomination], nomination.nominator, True).blocks},
        nomination_modal(NominationForm()).to_dict(),
        reason_modal(nomination, reason).to_dict(),
        {"blocks": health_alert(health, Status.GREEN, ack, None).blocks},
        {"blocks": journey_message(journey).blocks},
        {"blocks": renewal_decision(account).blocks},
        account_modal(AccountForm()).to_dict(),
        account_modal(AccountForm(account_id=7), account).to_dict(),
        plan_modal(account, PlanForm(account_id=7), None).to_dict(),
        renew_modal(account, renew).to_dict(),
        update_modal(UpdateForm(), [account], week_of(date(2026, 11, 23))).to_dict(),
        {"blocks": update_reminder(week_of(date(2026, 11, 23)), datetime.now(UTC)).blocks},
        {"blocks": iarr_recorded(_deal(account), fiscal_quarter(date(2026, 11, 23)), 1).blocks},
        {
            "blocks": weekly_draft(
                Digest(week_of(date(2026, 11, 23)), [], {}, [], {}, []), "C"
            ).blocks
        },
        {"blocks": checkin_dm(fiscal_quarter(date(2026, 11, 23)), [key_result_of()]).blocks},
        checkin_modal(key_result_of(), CheckinForm(key_result_id=KEY_RESULT_ID)).to_dict(),
        add_modal(OkrForm(), fiscal_quarter(date(2026, 11, 23))).to_dict(),
        {"blocks": people_message(account, [person_of(account)]).blocks},
        person_modal(account, PersonForm(account_id=7)).to_dict(),
        {"blocks": initiatives_message([initiative_of()], date(2026, 11, 23)).blocks},
        {
            "blocks": initiative_reminder(
                initiative_of(), Reminder.WEEK_BEFORE, date(2026, 11, 23)
            ).blocks
        },
        initiative_modal(InitiativeForm()).to_dict(),
        {"blocks": needs_message([need], {7: account}, date(2026, 11, 23), None).blocks},
        need_modal(account, NeedForm(account_id=7)).to_dict(),
        rollout_modal(account, need, RolloutForm(account_id=7, need_id=NEED_ID)).to_dict(),
    ]


def _deal(account: Account, event_id: int = 1) -> IarrEvent:
    return IarrEvent(
        event_id, account.id, account.name, date(2026, 11, 2), 5000, IarrKind.NEW, "U0AE"
    )


def _action_ids(node: Any) -> Iterator[str]:
    """Action ids of interactive elements; inputs of a modal dispatch nothing on their own."""
    if isinstance(node, dict):
        if node.get("type") == "input":
            return
        if "action_id" in node:
            yield node["action_id"]
        for value in node.values():
            yield from _action_ids(value)
    elif isinstance(node, list):
        for value in node:
            yield from _action_ids(value)


def test_the_builders_emit_exactly_the_ids_enums() -> None:
    built = _built()
    assert {a for b in built for a in _action_ids(b)} == {a.value for a in Action}
    assert {b["callback_id"] for b in built if "callback_id" in b} == {c.value for c in Callback}


def test_buttons_and_modals_register_only_through_the_typed_helpers() -> None:
    """`on_click` and `on_submit` take the enums (mypy holds them to it); a bare
    `app.action("…")` or `app.view("…")` elsewhere would slip past both checks above."""
    root = Path(__file__).parent.parent.parent
    found = {}
    for path in sorted((root / "handlers").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            func = node.func if isinstance(node, ast.Call) else None
            receiver = func.value if isinstance(func, ast.Attribute) else None
            if isinstance(receiver, ast.Name) and receiver.id == "app":
                assert isinstance(func, ast.Attribute)
                if func.attr in {"action", "view"}:
                    found[f"app.{func.attr}"] = path.name
    assert found == {"app.action": "buttons.py", "app.view": "forms.py"}


def _click_body(action: str, value: str, user: str) -> dict[str, Any]:
    body = payload("block_actions")
    body["user"]["id"] = user
    body["message"]["blocks"] = []
    body["actions"][0].update(action_id=action, block_id="b", value=value)
    return body


async def test_every_id_has_a_listener(slack: AppClient) -> None:
    """Bolt answers 404 to what no listener takes: the unknown ids show the probe can fail."""
    for action in [*Action, "no_such_action"]:
        response = await slack.interaction(_click_body(action, "{}", "U0ALICE"))
        assert response.status == (404 if action == "no_such_action" else 200), action
    for callback in [*Callback, "no_such_modal"]:
        body = payload("view_submission")
        body["view"].update(callback_id=callback, private_metadata="", state={"values": {}})
        response = await slack.interaction(body)
        assert response.status == (404 if callback == "no_such_modal" else 200), callback


async def _button_values(deps: Deps, account: Account) -> dict[Action, BaseModel]:
    end = account.contract_end
    assert end is not None
    deal = IarrInput(account=account.name, kind=IarrKind.NEW, amount=5000, day=date(2026, 11, 2))
    recorded = await record_iarr(deps, deal, "U0AE")
    nominated = await nominate(deps, NominationDraft.model_validate(NOMINEE | YES_NO), "U0AE")
    return {
        Action.IARR_UNDO: IarrUndo(event_id=recorded.id),
        Action.ACK_HEALTH: HealthAck(account_id=account.id, status="red"),
        Action.JOURNEY_DONE: JourneyDone(
            account_id=account.id, contract_end=end, activity="kickoff"
        ),
        Action.RENEWED: RenewalDecision(account_id=account.id, contract_end=end),
        Action.CHURNED: RenewalDecision(account_id=account.id, contract_end=end),
        Action.UPDATE_WRITE: WriteUpdate(),
        Action.UPDATE_SNOOZE: Snooze(),
        **dict.fromkeys(
            (Action.NOMINATION_APPROVE, Action.NOMINATION_REJECT, Action.NOMINATION_WITHDRAW),
            NominationRef(nomination_id=nominated.id),
        ),
        Action.WEEKLY_POST: WeeklyPost(week=date(2026, 11, 23)),
        Action.WEEKLY_EDIT: WeeklyPost(week=date(2026, 11, 23)),
        Action.OKR_CHECKIN: CheckinRef(key_result_id=await store_key_result(deps)),
        Action.PEOPLE_ADD: PeopleRef(account_id=account.id),
        Action.PERSON_REMOVE: PersonRef(person_id=await store_person(deps, account)),
        Action.INITIATIVE_STATUS: InitiativeChange(
            initiative_id=await store_initiative(deps), status="done"
        ),
        Action.NEED_STATUS: NeedStatusChoice(
            account_id=account.id, need_id=NEED_ID, status=NeedStatus.SHIPPED
        ),
        Action.ROLLOUT_OPEN: NeedRef(account_id=account.id, need_id=NEED_ID),
        Action.STEP_DONE: StepDone(account_id=account.id, need_id=NEED_ID, step=Step.PILOT),
    }


@pytest.mark.parametrize(
    ("action", "team"), [(a, AT_THE_DOOR if a in PERSONAL else ADMINS[0]) for a in Action]
)
async def test_every_button_refuses_an_outsider(
    action: Action, slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    account = await make_account(deps)
    value = (await _button_values(deps, account))[action].model_dump_json()
    before = await _trail(deps, account)
    response = await slack.interaction(
        _click_body(action, value, OUTSIDER) | {"response_url": slack_api.response_url()}
    )
    assert response.status == 200
    [refused] = await slack_api.wait_for("response_url")
    who = (
        "Only the EM" if action in (Action.WEEKLY_POST, Action.WEEKLY_EDIT) else "Only Acme Corp's"
    )
    who = NOMINATION_REFUSAL.get(action, who)
    who = OKR_REFUSAL.get(action, who)
    who = INITIATIVE_REFUSAL.get(action, who)
    who = DOOR_REFUSAL if action in PERSONAL else who
    assert who in refused.params["text"], refused.params["text"]
    assert slack_api.calls_to("views.open") == []
    assert await _trail(deps, account) == before


async def _trail(deps: Deps, account: Account) -> list[str]:
    async with deps.db.session() as session:
        return [e.action for e in await audit_trail(session, account.id)]


REFUSAL = {
    Callback.ACCOUNT_ADD: "Only a team admin can add an account",
    Callback.UPDATE_ENTRY: "Strategic bot is for the strategic accounts team only",
    Callback.NOMINATE: "Strategic bot is for the strategic accounts team only",
    Callback.NOMINATION_REASON: "Only the partner approvers can decide a nomination",
    Callback.OKR_ADD: "Only a team admin can add a key result",
    Callback.INITIATIVE_ADD: "Strategic bot is for the strategic accounts team only",
    Callback.OKR_CHECKIN: "Only <@U0AE>, who owns this key result, or a team admin",
}
"""Adding names no account: with admins named, only they add one. An entry names none to
refuse on either (every member writes about any account): its outsider is a person outside
a team that names its members, turned away at the door. The rest name their account."""
DOOR = {
    Callback.UPDATE_ENTRY: TeamPolicy(admins=["U0ADMIN"], members=["U0ALICE"]),
    Callback.NOMINATE: TeamPolicy(admins=["U0ADMIN"], members=["U0ALICE"]),
    Callback.INITIATIVE_ADD: TeamPolicy(admins=["U0ADMIN"], members=["U0ALICE"]),
}
"""The team each refusal needs, where admins alone are not it."""


@pytest.mark.parametrize(("callback", "team"), [(c, DOOR.get(c, ADMINS[0])) for c in Callback])
async def test_every_modal_submit_refuses_an_outsider(
    callback: Callback, team: TeamPolicy, slack: AppClient, slack_api: FakeSlackApi, deps: Deps
) -> None:
    """Checked at submit, not only when the modal opened: a submission can be forged."""
    account = await make_account(deps)
    await store_key_result(deps)  # the check-in modal's: refused about its owner, not as gone
    view, fields, filled = submissions(OUTSIDER)[callback]
    response = await slack.submit_view(view(account), state_values(fields, filled), user=OUTSIDER)
    answer = await slack.json_of(response)
    # The door replaces the modal with its one line; a use case shows it on a field.
    assert answer["response_action"] == ("update" if team.members else "errors")
    assert REFUSAL.get(callback, "Only Acme Corp's") in json.dumps(answer)
    assert slack_api.calls_to("chat.update") == []
    assert await _trail(deps, account) == ["account.create"]
    assert await week_entries(deps, week_of(deps.today())) == ([], {})
