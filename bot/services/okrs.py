"""OKRs (issue 14): importing a quarter, showing it with the key results the bot measures,
adding a key result, checking in, and what the check-in and quarter-end jobs send.

Measured key results are computed here as of today from what the bot already keeps
(success plans, health, get-well plans, renewal decisions, iARR), never stored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import phrases
from bot.blocks.okrs import checkin_dm
from bot.commands import usage_of
from bot.deps import Deps
from bot.domain.fiscal import FiscalQuarter, fiscal_quarter
from bot.domain.health import AccountHealth
from bot.domain.okrs import (
    MEASURED_TEAM,
    AccountFacts,
    Checkin,
    CheckinDraft,
    KeyResult,
    MeasureFacts,
    NewKeyResult,
    Objective,
    OkrFile,
    QuarterOkrs,
    StoredKeyResult,
    SummaryLine,
    TeamOkrs,
    TeamSummary,
    bound,
    checkin_dm_ref,
    measured_key_results,
    parse_key_result_ref,
    parse_quarter,
    quarter_elapsed,
    split_okr_args,
    team_key,
)
from bot.domain.team import may_administer
from bot.errors import FieldErrors, NotAllowed, NotFound, UnknownMessage, UsageError, UserError
from bot.services import notify
from bot.services.health import portfolio
from bot.services.notify import Queueing
from bot.services.plans import planned_accounts
from bot.services.renewals import CHURNED, RENEWED
from bot.services.replays import once
from storage import north_star
from storage import okrs as store
from storage.audit import record

log = logging.getLogger(__name__)
JOB = "okrs"
"""The feature's name on what it queues (outbox list shows it)."""
ENTITY = "key_result"
"""The audit log's entity for a key result's changes."""
MEASURED_OBJECTIVE = "Measured by the bot"
"""The built-in objective under the team Strategic: its key results update themselves."""


def current_quarter(deps: Deps, day: date | None = None) -> FiscalQuarter:
    return fiscal_quarter(day or deps.today(), deps.settings.team.fiscal_year_start_month)


def _audit(
    session: AsyncSession, deps: Deps, kr_id: int, action: str, actor: str, changes: dict[str, list]
) -> None:
    record(
        session,
        at=deps.clock(),
        actor=actor,
        action=action,
        entity=ENTITY,
        entity_id=kr_id,
        changes=changes,
    )


# ---------------------------------------------------------------- import


def _added(values: dict[str, Any]) -> dict[str, list[Any]]:
    """A new key result's plan as the audit log records it: each field given, from nothing."""
    return {k: [None, v] for k, v in values.items() if k != "position" and v is not None}


@dataclass(frozen=True)
class ImportReport:
    added: int
    updated: int
    unchanged: int


async def import_okrs(
    deps: Deps, okr_file: OkrFile, actor: str, progress: Callable[[int], None] = lambda _n: None
) -> ImportReport:
    """The file's quarter in one transaction: objectives and key results found again by
    their names are changed only where the file differs (audited), the rest added. What
    a key result stands at (its check-ins) is never reset by an import, so importing the
    same file again changes nothing and audits nothing."""
    at = deps.clock()
    label = okr_file.quarter.label
    added = updated = unchanged = 0
    async with deps.db.session() as session:
        objectives = await store.objectives_of(session, label)
        for team in okr_file.teams:
            key = team_key(team.team)
            for position, objective in enumerate(team.objectives):
                objective_id = objectives.get((key, objective.title))
                if objective_id is None:
                    objective_id = await store.add_objective(
                        session, label, team.team, key, objective.title, position, at
                    )
                    objectives[(key, objective.title)] = objective_id
                existing = await store.key_results_of(session, [objective_id])
                for kr_position, draft in enumerate(objective.key_results):
                    row = existing.get((objective_id, draft.title))
                    values = store.plan_values(draft, kr_position)
                    if row is None:
                        kr_id = await store.add_key_result(
                            session, objective_id, draft, kr_position, at
                        )
                        _audit(session, deps, kr_id, "okr.import", actor, _added(values))
                        added += 1
                    else:
                        changes = store.change_plan(row, values, at)
                        if changes:
                            _audit(session, deps, row.id, "okr.import", actor, changes)
                        updated += bool(changes)
                        unchanged += not changes
                    progress(1)
    return ImportReport(added, updated, unchanged)


# ---------------------------------------------------------------- showing a quarter


async def measure_facts(
    deps: Deps, quarter: FiscalQuarter, items: list[AccountHealth] | None = None
) -> MeasureFacts:
    """What the measured key results read, as of today; `items`: the portfolio, when the
    caller has it already."""
    today = deps.today()
    if items is None:
        items = await portfolio(deps, today)
    planned = await planned_accounts(deps)
    accounts = [
        AccountFacts(bool(i.account.success_plan_url), i.health.status, i.account.id in planned)
        for i in items
    ]
    since = datetime.combine(quarter.start, time(), tzinfo=deps.settings.team.zone)
    async with deps.db.session() as session:
        decisions = await store.renewal_decisions(session, {RENEWED, CHURNED}, since)
        iarr = await north_star.iarr_between(session, quarter.start, quarter.end)
    in_quarter = [a for a, end in decisions if end and quarter.start <= end <= quarter.end]
    renewed = sum(1 for a in in_quarter if a == RENEWED)
    return MeasureFacts(accounts, renewed, len(in_quarter) - renewed, iarr)


async def measured_now(
    deps: Deps, items: list[AccountHealth] | None = None
) -> tuple[FiscalQuarter, list[KeyResult]]:
    """The current quarter's built-in measured key results (the App Home shows them)."""
    quarter = current_quarter(deps)
    facts = await measure_facts(deps, quarter, items)
    return quarter, measured_key_results(facts, quarter_elapsed(quarter, deps.today()))


async def quarter_okrs(
    deps: Deps, quarter: FiscalQuarter, items: list[AccountHealth] | None = None
) -> QuarterOkrs:
    """Every team's objectives, Strategic first with the measured key results, whether or
    not anything was imported; a key result bound to a measure shows the bot's value."""
    async with deps.db.session() as session:
        rows = await store.quarter_okrs(session, quarter.label)
    facts = await measure_facts(deps, quarter, items)
    elapsed = quarter_elapsed(quarter, deps.today())
    teams: dict[str, TeamOkrs] = {
        team_key(MEASURED_TEAM): TeamOkrs(
            MEASURED_TEAM, [Objective(MEASURED_OBJECTIVE, measured_key_results(facts, elapsed))]
        )
    }
    for team, title, key_results in rows:
        entry = teams.setdefault(team_key(team), TeamOkrs(team, []))
        entry.objectives.append(Objective(title, [bound(kr, facts, elapsed) for kr in key_results]))
    return QuarterOkrs(quarter, list(teams.values()))


async def known_quarters(deps: Deps) -> list[str]:
    """The quarters with OKRs, and the current one."""
    async with deps.db.session() as session:
        found = set(await store.quarters(session))
    return sorted(found | {current_quarter(deps).label})


@dataclass(frozen=True)
class Asked:
    okrs: QuarterOkrs
    team: TeamOkrs | None
    """The team asked for; None: every team."""


async def okrs_asked(deps: Deps, rest: str) -> Asked:
    """`/strategic okr [TEAM] [QUARTER]`; an unknown quarter or team is a usage error
    naming the known ones."""
    team_text, quarter_text = split_okr_args(rest)
    usage = usage_of("okr")
    quarter = current_quarter(deps)
    if quarter_text is not None:
        parsed = parse_quarter(quarter_text, deps.settings.team.fiscal_year_start_month)
        if parsed is None:
            raise UsageError(
                phrases.unknown_quarter(quarter_text, usage, await known_quarters(deps))
            )
        quarter = parsed
    okrs = await quarter_okrs(deps, quarter)
    if team_text is None:
        return Asked(okrs, None)
    team = next((t for t in okrs.teams if team_key(t.team) == team_key(team_text)), None)
    if team is None:
        known = [t.team for t in okrs.teams]
        raise UsageError(phrases.unknown_team(team_text, quarter.label, usage, known))
    return Asked(okrs, team)


async def okr_status(deps: Deps, items: list[AccountHealth] | None = None) -> QuarterOkrs:
    """The current quarter, for the weekly update's section; `items`: the portfolio."""
    return await quarter_okrs(deps, current_quarter(deps), items)


# ---------------------------------------------------------------- one key result


async def key_result_history(deps: Deps, typed: str) -> tuple[StoredKeyResult, list[Checkin]]:
    """`/strategic okr history KR`: the key result and its check-ins, oldest first."""
    number = parse_key_result_ref(typed)
    if number is None:
        raise UsageError(phrases.not_a_key_result_ref(typed, usage_of("okr", "history")))
    async with deps.db.session() as session:
        stored = await store.get(session, number)
        if stored is None:
            raise NotFound(phrases.no_such_key_result(number))
        return stored, await store.checkins(session, number)


def _may_check_in(deps: Deps, stored: StoredKeyResult, user_id: str) -> None:
    """Its owner and the team's admins (with no admins named, the whole team is trusted,
    as everywhere in the bot)."""
    owner = stored.key_result.owner
    if user_id == owner or may_administer(user_id, deps.settings.team.admins):
        return
    raise NotAllowed(phrases.not_key_result_owner(owner or ""))


async def _checkable(
    session: AsyncSession, deps: Deps, kr_id: int, user_id: str
) -> StoredKeyResult:
    stored = await store.get(session, kr_id, lock=True)
    if stored is None:
        raise NotFound(phrases.KEY_RESULT_GONE)
    _may_check_in(deps, stored, user_id)
    if stored.key_result.measured:
        raise UserError(phrases.measured_takes_no_checkin(stored.key_result.title))
    return stored


async def checkin_target(deps: Deps, kr_id: int, user_id: str) -> StoredKeyResult:
    """Refused before the check-in modal opens; `check_in` checks again at submit."""
    async with deps.db.session() as session:
        return await _checkable(session, deps, kr_id, user_id)


async def check_in(
    deps: Deps, kr_id: int, draft: CheckinDraft, user_id: str, sent: date | None = None
) -> StoredKeyResult:
    """Keep the check-in, move the key result to it and audit it, in one transaction; the
    owner's DM of `sent` (the modal's button was in it) is redrawn as it now stands."""
    async with deps.db.session() as session:
        await once(session, deps)
        stored = await _checkable(session, deps, kr_id, user_id)
        checkin = Checkin(deps.clock(), user_id, draft.value, draft.status, draft.note)
        changes = await store.record_checkin(session, kr_id, checkin)
        if draft.note:
            changes["note"] = [None, draft.note]
        _audit(session, deps, kr_id, "okr.checkin", user_id, changes)
        if sent is not None:
            await _redraw_dm(session, deps, stored, sent)
    moved = replace(stored.key_result, current=draft.value, status=draft.status)
    return replace(stored, key_result=moved)


async def _owned(session: AsyncSession, quarter: str, owner: str) -> list[StoredKeyResult]:
    """`owner`'s manual key results of the quarter, as the check-in DM lists them."""
    return [
        StoredKeyResult(kr, objective, team, quarter)
        for team, objective, key_results in await store.quarter_okrs(session, quarter)
        for kr in key_results
        if kr.measure is None and kr.owner == owner
    ]


async def _redraw_dm(
    session: AsyncSession, deps: Deps, stored: StoredKeyResult, sent: date
) -> None:
    """Queue the edit of the owner's check-in DM; one never posted through the outbox (or
    named by a forged day) is left alone rather than failing the check-in."""
    owner = stored.key_result.owner or ""
    quarter = parse_quarter(stored.quarter, deps.settings.team.fiscal_year_start_month)
    if quarter is None:
        return
    dm = checkin_dm(quarter, await _owned(session, stored.quarter, owner), sent)
    ref = checkin_dm_ref(sent, owner)
    try:
        await notify.edit(session, Queueing(JOB, deps.clock(), deps.bell), ref=ref, message=dm)
    except UnknownMessage:
        log.info("check-in DM %s was not posted through the outbox; not redrawn", ref)


def may_add(deps: Deps, user_id: str) -> None:
    """Adding a key result is the admins' (the whole team's with none named)."""
    if not may_administer(user_id, deps.settings.team.admins):
        raise NotAllowed(phrases.ONLY_ADMINS_ADD_KEY_RESULTS)


async def add_key_result(deps: Deps, new: NewKeyResult, user_id: str) -> StoredKeyResult:
    """`/strategic okr add`: the objective made when the team has none of that title that
    quarter; a second key result of the same title in it is refused under the title."""
    at = deps.clock()
    label, key = new.quarter.label, team_key(new.team)
    async with deps.db.session() as session:
        await once(session, deps)
        may_add(deps, user_id)
        objectives = await store.objectives_of(session, label)
        objective_id = objectives.get((key, new.objective))
        if objective_id is None:
            position = sum(1 for k, _t in objectives if k == key)
            objective_id = await store.add_objective(
                session, label, new.team, key, new.objective, position, at
            )
        existing = await store.key_results_of(session, [objective_id])
        draft = new.key_result
        if (objective_id, draft.title) in existing:
            raise FieldErrors({"title": phrases.key_result_exists(draft.title, new.objective)})
        kr_id = await store.add_key_result(session, objective_id, draft, len(existing), at)
        values = store.plan_values(draft, len(existing))
        _audit(session, deps, kr_id, "okr.add", user_id, _added(values))
        stored = await store.get(session, kr_id)
    assert stored is not None
    return stored


# ---------------------------------------------------------------- the jobs


async def checkins_due(
    deps: Deps, day: date
) -> tuple[FiscalQuarter, dict[str, list[StoredKeyResult]]]:
    """The manual key results of `day`'s quarter by owner: whom the check-in DM asks."""
    quarter = current_quarter(deps, day)
    async with deps.db.session() as session:
        rows = await store.quarter_okrs(session, quarter.label)
    owed: dict[str, list[StoredKeyResult]] = {}
    for team, objective, key_results in rows:
        for kr in key_results:
            if kr.measure is None and kr.owner:
                stored = StoredKeyResult(kr, objective, team, quarter.label)
                owed.setdefault(kr.owner, []).append(stored)
    return quarter, owed


async def quarter_summary(deps: Deps, quarter: FiscalQuarter) -> list[TeamSummary]:
    """Each team's results at the quarter's end: final values, statuses and each key
    result's value at its first check-in."""
    okrs = await quarter_okrs(deps, quarter)
    ids = [kr.id for kr in okrs.key_results() if kr.id is not None]
    async with deps.db.session() as session:
        first = await store.first_checkins(session, ids)
    return [
        TeamSummary(
            team.team,
            [
                (
                    o.title,
                    [
                        SummaryLine(kr, None if kr.id is None else first.get(kr.id))
                        for kr in o.key_results
                    ],
                )
                for o in team.objectives
            ],
        )
        for team in okrs.teams
    ]
