"""Each modal as it was opened for an account, with valid values typed in: what the
listener and hostile-corpus tests submit as someone who may not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from bot.blocks.accounts import ACCOUNT_FIELDS, account_modal
from bot.blocks.forms import FieldSpec
from bot.blocks.initiatives import INITIATIVE_FIELDS, initiative_modal
from bot.blocks.needs import NEED_FIELDS, ROLLOUT_FIELDS, need_modal, rollout_modal
from bot.blocks.okrs import ADD_FIELDS, CHECKIN_FIELDS, add_modal, checkin_modal
from bot.blocks.partners import NOMINATION_FIELDS, REASON_FIELDS, nomination_modal, reason_modal
from bot.blocks.people import PERSON_FIELDS, person_modal
from bot.blocks.plans import PLAN_FIELDS, plan_modal
from bot.blocks.renewals import RENEW_FIELDS, renew_modal
from bot.blocks.updates import UPDATE_FIELDS, update_modal
from bot.deps import Deps
from bot.domain.accounts import Account
from bot.domain.fiscal import fiscal_quarter
from bot.domain.initiatives import Initiative, InitiativeDraft
from bot.domain.needs import Need, NeedKind, Priority, RolloutStep, Step
from bot.domain.okrs import KeyResult, Status, StoredKeyResult
from bot.domain.partners import Level, Nomination, State
from bot.domain.people import Person, PersonDraft, PersonKind
from bot.domain.updates import TEAM_WIDE, week_of
from bot.ids import Callback
from bot.metadata import (
    AccountForm,
    CheckinForm,
    InitiativeForm,
    NeedForm,
    NominationForm,
    NominationReason,
    OkrForm,
    PersonForm,
    PlanForm,
    RenewForm,
    RolloutForm,
    UpdateForm,
)
from storage import initiatives as initiative_store
from storage import people as people_store
from storage.models import OkrKeyResultRow, OkrObjectiveRow

Submission = tuple[Callable[[Account], dict[str, Any]], tuple[FieldSpec, ...], dict[str, Any]]
NOMINEE = {
    "company": "Nominee Co",
    "strategic_segment": "yes",
    "co_market": "high",
    "new_industry": "no",
    "vision": "high",
    "rationale": "A perfect fit",
}


def nomination_of(account: Account, nomination_id: int = 987654) -> Nomination:
    """A pending nomination of `account` as a reason modal shows it (none is stored under
    that id: the approver check comes first)."""
    return Nomination(
        id=nomination_id,
        account_id=account.id,
        company=account.name,
        nominator="U0AE",
        strategic_segment=True,
        co_market=Level.HIGH,
        new_industry=False,
        related_market=None,
        vision=Level.HIGH,
        rationale="A perfect fit",
        state=State.PENDING,
        created_at=account.created_at,
    )


KEY_RESULT_ID = 987654
"""The key result the check-in modal names: stored by `store_key_result` where a refusal
must be about its owner, absent elsewhere (then it is gone)."""


def key_result_of(owner: str = "U0AE") -> StoredKeyResult:
    kr = KeyResult(KEY_RESULT_ID, "Land logos", owner, 0, 4, 1, "logos", Status.AT_RISK)
    return StoredKeyResult(kr, "Grow", "Sales", "FY27-Q4")


async def store_key_result(deps: Deps, owner: str = "U0AE") -> int:
    """`key_result_of` stored under its own id, for a refusal to be about its owner."""
    at = deps.clock()
    async with deps.db.session() as session:
        objective = OkrObjectiveRow(
            quarter="FY27-Q4",
            team="Sales",
            team_key="sales",
            title="Grow",
            position=0,
            created_at=at,
        )
        session.add(objective)
        await session.flush()
        session.add(
            OkrKeyResultRow(
                id=KEY_RESULT_ID,
                objective_id=objective.id,
                title="Land logos",
                owner=owner,
                start=0,
                target=4,
                current=1,
                unit="logos",
                status="at risk",
                measure=None,
                position=0,
                created_at=at,
                updated_at=at,
            )
        )
    return KEY_RESULT_ID


NEED_ID = 987654
"""The need a rollout modal or a need card's button names: none is stored under it, the
guard deciding on the account first."""


def need_of(account: Account) -> Need:
    """A need of `account` with a pilot to mark done, as its card and rollout modal show it."""
    return Need(
        id=NEED_ID,
        account_id=account.id,
        kind=NeedKind.BUG,
        summary="Crash on start",
        link="https://tracker.example/1",
        priority=Priority.HIGH,
        raised_by="U0TACE",
        created_at=account.created_at,
        updated_by="U0TACE",
        updated_at=account.created_at,
        steps=(RolloutStep(step=Step.PILOT, due=date(2026, 12, 1)),),
    )


def person_of(account: Account) -> Person:
    """A champion of `account`, as its list shows one (a Remove button)."""
    draft = PersonDraft(kind=PersonKind.CHAMPION, name="Dana Reyes", email="dana@acme.example")
    return Person(
        **draft.model_dump(),
        id=1,
        account_id=account.id,
        added_by="U0TACE",
        added_at=account.created_at,
    )


def initiative_of(owner: str = "U0AE") -> Initiative:
    """An initiative of `owner`, not started, as the list and a reminder show one."""
    return Initiative.model_validate(
        {
            "id": 1,
            "title": "Pilot on cloud",
            "owner": owner,
            "due": date(2026, 12, 1),
            "status": "not started",
            "created_by": owner,
            "created_at": "2026-11-01T00:00:00Z",
            "updated_at": "2026-11-01T00:00:00Z",
        }
    )


async def store_person(deps: Deps, account: Account) -> int:
    """A champion of `account` stored, for a Remove refusal to be about its account."""
    async with deps.db.session() as session:
        draft = PersonDraft(kind=PersonKind.CHAMPION, name="Dana Reyes", email="dana@acme.example")
        stored = await people_store.add(session, account.id, draft, "U0TACE", deps.clock())
    return stored.id


async def store_initiative(deps: Deps, owner: str = "U0AE") -> int:
    """An initiative of `owner` stored, for a refusal to be about its owner."""
    async with deps.db.session() as session:
        draft = InitiativeDraft(title="Pilot on cloud", owner=owner, due=date(2026, 12, 1))
        stored = await initiative_store.add(session, draft, owner, deps.clock())
    return stored.id


def submissions(person: str, blockers: str = "") -> dict[Callback, Submission]:
    """`person` names themself the plan's owner; `blockers` is typed into the entry."""
    return {
        Callback.ACCOUNT_ADD: (
            lambda a: account_modal(AccountForm()).to_dict(),
            ACCOUNT_FIELDS,
            {"name": "Intruder Co", "tier": "1", "partner_status": "prospect"},
        ),
        Callback.ACCOUNT_EDIT: (
            lambda a: account_modal(AccountForm(account_id=a.id), a).to_dict(),
            ACCOUNT_FIELDS,
            {"name": "Acme Corp", "tier": "2", "partner_status": "partner"},
        ),
        Callback.PLAN: (
            lambda a: plan_modal(a, PlanForm(account_id=a.id), None).to_dict(),
            PLAN_FIELDS,
            {"owner": person, "text": "Take over", "due": "2027-01-15"},
        ),
        Callback.RENEW: (
            lambda a: renew_modal(
                a, RenewForm(account_id=a.id, contract_end=a.contract_end or date.min)
            ).to_dict(),
            RENEW_FIELDS,
            {"new_end": "2028-01-31"},
        ),
        Callback.UPDATE_ENTRY: (
            lambda a: update_modal(UpdateForm(), [a], week_of(date(2026, 11, 23))).to_dict(),
            UPDATE_FIELDS,
            {"account": TEAM_WIDE, "progress": "Took over"}
            | ({"blockers": blockers} if blockers else {}),
        ),
        Callback.NOMINATE: (
            lambda a: nomination_modal(NominationForm()).to_dict(),
            NOMINATION_FIELDS,
            NOMINEE | ({"rationale": blockers} if blockers else {}),
        ),
        Callback.NOMINATION_REASON: (
            lambda a: reason_modal(
                nomination_of(a), NominationReason(nomination_id=987654, vote="reject")
            ).to_dict(),
            REASON_FIELDS,
            {"reason": blockers or "Not now"},
        ),
        Callback.OKR_ADD: (
            lambda a: add_modal(OkrForm(), fiscal_quarter(date(2026, 11, 23))).to_dict(),
            ADD_FIELDS,
            {
                "team": "Sales",
                "quarter": "FY27-Q4",
                "objective": "Grow",
                "title": blockers or "Take over",
                "owner": person,
                "target": "10",
            },
        ),
        Callback.PERSON_ADD: (
            lambda a: person_modal(a, PersonForm(account_id=a.id)).to_dict(),
            PERSON_FIELDS,
            {"kind": "champion", "name": blockers or "Dana Reyes", "email": "dana@acme.example"},
        ),
        Callback.INITIATIVE_ADD: (
            lambda a: initiative_modal(InitiativeForm()).to_dict(),
            INITIATIVE_FIELDS,
            {"title": blockers or "Take over", "owner": person, "due": "2027-01-15"},
        ),
        Callback.OKR_CHECKIN: (
            lambda a: checkin_modal(
                key_result_of(), CheckinForm(key_result_id=KEY_RESULT_ID)
            ).to_dict(),
            CHECKIN_FIELDS,
            {"value": "4", "status": "done"} | ({"note": blockers} if blockers else {}),
        ),
        Callback.NEED: (
            lambda a: need_modal(a, NeedForm(account_id=a.id)).to_dict(),
            NEED_FIELDS,
            {
                "kind": "bug",
                "summary": blockers or "Crash on start",
                "link": "https://tracker.example/1",
                "priority": "high",
            },
        ),
        Callback.ROLLOUT: (
            lambda a: rollout_modal(
                a, need_of(a), RolloutForm(account_id=a.id, need_id=NEED_ID)
            ).to_dict(),
            ROLLOUT_FIELDS,
            {"pilot": "2026-12-01", "rollout": "2026-12-15"},
        ),
    }
