"""No Slack control sequences from text people typed (issue 10, defect 3).

Slack reads `&`, `<` and `>` as control characters in mrkdwn and in a message's fallback
`text`: an account named `<!channel> Pwn Corp` pinged a whole channel through a health
alert. Hostile input goes here through every builder of bot/blocks that makes a channel
post, a DM, an ephemeral answer, the App Home or a modal; none of Slack's sequences
survive, while our own mentions still work. A new builder is added to `BUILDERS` (or,
if no person's text reaches mrkdwn there, to `NOTHING_PARSED`); `test_every_builder_is_listed`
fails until it is.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from slack_sdk.models.views import View

import bot.blocks
from bot.blocks import common, phrases, text
from bot.blocks.accounts import (
    account_archived,
    account_card,
    account_list,
    account_modal,
    account_saved,
)
from bot.blocks.alerts import acknowledged, health_alert, red_without_plan
from bot.blocks.common import (
    Block,
    Message,
    error_message,
    escape,
    link,
    moment,
    unescape,
    user,
)
from bot.blocks.delivery import delivery_failure
from bot.blocks.forms import form_modal
from bot.blocks.health import (
    account_health_message,
    metrics_recorded,
    portfolio_message,
    status_label,
)
from bot.blocks.help import help_message
from bot.blocks.history import history_message, what_changed
from bot.blocks.home import home_view
from bot.blocks.initiatives import (
    initiative_added,
    initiative_changed,
    initiative_line,
    initiative_modal,
    initiative_reminder,
    initiatives_message,
)
from bot.blocks.journey import item_line, journey_message, journey_reminder, marked_done
from bot.blocks.membership import not_on_team, outsider_home, outsider_modal
from bot.blocks.needs import (
    account_needs,
    need_blocks,
    need_card,
    need_line,
    need_modal,
    need_raised,
    need_redrawn,
    needs_message,
    portfolio_needs,
    rollout_modal,
    rollout_saved,
    status_changed,
)
from bot.blocks.north_star import iarr_recorded, iarr_undone
from bot.blocks.okrs import (
    add_modal,
    checked_in,
    checkin_dm,
    checkin_modal,
    checkins_message,
    figure,
    key_result_added,
    key_result_line,
    measured_section,
    okr_section,
    okrs_message,
    progress_bar,
    quarter_summary_message,
    status_text,
    value_of_target,
)
from bot.blocks.partners import (
    approvals_post,
    decision_dm,
    gate_blocks,
    list_block_id,
    nominated,
    nomination_modal,
    nominations_message,
    outcome_line,
    pending_section,
    reason_modal,
    summary,
    withdrawn_in_list,
)
from bot.blocks.people import people_count_line, people_message, person_line, person_modal
from bot.blocks.plans import plan_line, plan_modal, plan_saved
from bot.blocks.renewals import (
    churned_outcome,
    decided,
    renew_modal,
    renewal_answered,
    renewal_decision,
    renewal_reminder,
    renewals_message,
    renewed_outcome,
)
from bot.blocks.retention import percent, retention_appended, retention_section
from bot.blocks.text import plain, to_text
from bot.blocks.update_reminders import away_ended, away_set, snoozed, update_reminder
from bot.blocks.updates import blockers_label, entry_saved, update_modal, week_entries
from bot.blocks.weekly import (
    account_reply,
    entry_blocks,
    weekly_draft,
    weekly_post,
    weekly_posted,
)
from bot.domain.accounts import Account
from bot.domain.audit import AccountHistory, AuditEntry
from bot.domain.fiscal import fiscal_quarter
from bot.domain.health import AccountHealth, Health, Status, UsageFigures
from bot.domain.home import HomeData
from bot.domain.iarr import IarrEvent, IarrKind
from bot.domain.initiatives import Initiative, InitiativeStatus, Reminder
from bot.domain.journey import AccountJourney, Activity, JourneyItem, State
from bot.domain.metrics import SnapshotInput
from bot.domain.needs import Need, NeedsSummary, NeedStatus, RolloutStep, Step
from bot.domain.okrs import (
    Checkin,
    KeyResult,
    Measure,
    Objective,
    QuarterOkrs,
    StoredKeyResult,
    SummaryLine,
    TeamOkrs,
    TeamSummary,
)
from bot.domain.okrs import Status as OkrStatus
from bot.domain.partners import (
    Ballot,
    GatePolicy,
    Level,
    Nomination,
    PartnerFigures,
    PartnerPolicy,
    Vote,
    judge_gate,
)
from bot.domain.partners import State as NominationState
from bot.domain.people import Person, PersonKind
from bot.domain.plans import GetWellPlan
from bot.domain.renewals import Renewal
from bot.domain.retention import Retention
from bot.domain.updates import UpdateEntry, week_of
from bot.domain.weekly import Digest
from bot.metadata import (
    CheckinForm,
    HealthAck,
    JourneyDone,
    NeedForm,
    NominationReason,
    PersonForm,
    PlanForm,
    RenewForm,
    RolloutForm,
    UpdateForm,
)

NAME = "<!channel> Pwn & <@U0BOSS> <https://evil.example|click>"
INDUSTRY = "<!here|here> & <@U0BOSS>"
PLAN_TEXT = "Call <@U0BOSS> & <!here>, see <https://evil.example|the plan>"
TITLE = "<!channel> Kickoff & <@U0BOSS>"
URL = "https://plan.example/?a=1&b=2>|<!here>|<https://evil.example|x"
"""Passes the model's `^https?://\\S+$`; tries to close our `<url|label>` and open its own."""
HOSTILE = (NAME, INDUSTRY, PLAN_TEXT, TITLE)
SLACK_SEQUENCES = ("<!channel>", "<!here", "<@U0BOSS>", "<https://evil")
RAW_AMPERSAND = re.compile(r"&(?!amp;|lt;|gt;)")
OURS = "<@U0TACE>"
OUR_MENTION = re.compile(r"<@U0(?:TACE|AE|LEAD)>")
"""The account's people, mentioned by `user()` from validated IDs: that must keep working."""

AT = datetime(2026, 11, 23, 9, tzinfo=UTC)
TODAY = AT.date()
ACCOUNT = Account.model_validate(
    {
        "id": 7,
        "name": NAME,
        "tier": 1,
        "industry": INDUSTRY,
        "lead_engineer": "U0LEAD",
        "ta_ce": "U0TACE",
        "ae": "U0AE",
        "channel": "C0ACME",
        "contract_start": date(2026, 1, 1),
        "contract_end": date(2026, 12, 31),
        "arr": 1_200_000,
        "success_plan_url": URL,
        "created_at": AT,
        "updated_at": AT,
    }
)
HEALTH = AccountHealth(ACCOUNT, Health(Status.RED), "worse", UsageFigures(None))
PLAN = GetWellPlan(
    owner="U0TACE",
    text=PLAN_TEXT,
    due=date(2026, 12, 1),
    account_id=7,
    updated_by="U0TACE",
    updated_at=AT,
)
RENEWAL = Renewal(ACCOUNT, 38, Status.RED, State.DUE, show_arr=True)
DEAL = IarrEvent(7, 7, NAME, TODAY, 50_000, IarrKind.NEW, "U0TACE")
ENTRY = UpdateEntry(
    id=1,
    week=week_of(TODAY),
    author="U0LEAD",
    account_id=7,
    account_name=NAME,
    progress=PLAN_TEXT,
    blockers=TITLE,
    upcoming=INDUSTRY,
    still_open=True,
    created_at=AT,
    updated_at=AT,
)
TEAM_ENTRY = ENTRY.model_copy(update={"id": 2, "account_id": None, "account_name": None})
LONG_ENTRY = ENTRY.model_copy(update={"id": 3, "progress": PLAN_TEXT * 50})
"""Past one section's 3,000 characters: a heading, then a section per field."""


def _activity(key: str) -> Activity:
    return Activity(key, TITLE, date(2026, 1, 1), date(2026, 1, 15), ("ta_ce",))


ITEMS = [
    JourneyItem(_activity("kickoff"), State.OVERDUE),
    JourneyItem(_activity("qbr:q1"), State.UPCOMING),
    JourneyItem(_activity("qbr:q2"), State.DONE, done_by="U0TACE", done_at=AT),
]
JOURNEY = AccountJourney(ACCOUNT, ITEMS)
HOME = HomeData(
    items=[HEALTH],
    renewals=[ACCOUNT],
    red_without_plan=[HEALTH],
    assistant_dau=10,
    quarter=fiscal_quarter(TODAY),
    iarr=50_000,
    coming=[],
    sent=[],
    arr_shown={7},
)

# Typed text wherever an audit entry has text: values, an importer's --actor, a note.
HISTORY = AccountHistory(
    ACCOUNT,
    [
        AuditEntry(AT, "U0TACE", "account.edit", {"name": [INDUSTRY, NAME], "x": [None, URL]}),
        AuditEntry(AT, NAME, TITLE, {TITLE: PLAN_TEXT}, note=PLAN_TEXT),
    ],
    30,
)

Built = Message | View | list[Block] | str
"""What a builder returns; a line or a phrase (str) is shown through `error_message`."""
MAKES = {"Message", "View", "list[Block]", "str", "PostLayout"}


NOMINATION = Nomination(
    id=3,
    account_id=7,
    company=NAME,
    nominator="U0AE",
    strategic_segment=True,
    co_market=Level.HIGH,
    new_industry=True,
    related_market=INDUSTRY,
    vision=Level.LOW,
    rationale=PLAN_TEXT,
    state=NominationState.PENDING,
    created_at=AT,
    ballots=(Ballot("U0TACE", Vote.REJECT, AT, TITLE),),
)
REJECTED = replace(
    NOMINATION, state=NominationState.REJECTED, decided_by="U0TACE", decided_at=AT, reason=TITLE
)
APPROVED = replace(
    REJECTED, state=NominationState.APPROVED, reason=PLAN_TEXT, overridden=True
)
GATE = judge_gate([PartnerFigures(7, NAME, 100, 30, 5000, 10, 20)], GatePolicy())
QUORUM = PartnerPolicy(quorum=2, veto=True)


KEY_RESULT = KeyResult(12, TITLE, "U0TACE", 0, 100, 40, INDUSTRY, OkrStatus.AT_RISK)
MEASURED = KeyResult(
    None, NAME, None, 0, 100, 50, "%", OkrStatus.ON_TRACK, Measure.SUCCESS_PLANS, PLAN_TEXT
)
STORED = StoredKeyResult(KEY_RESULT, PLAN_TEXT, NAME, "FY27-Q4")
OKRS = QuarterOkrs(
    fiscal_quarter(TODAY), [TeamOkrs(NAME, [Objective(PLAN_TEXT, [KEY_RESULT, MEASURED])])]
)
CHECKINS = [Checkin(AT, "U0TACE", 40, OkrStatus.AT_RISK, PLAN_TEXT)]
OKR_SUMMARY = TeamSummary(
    NAME, [(PLAN_TEXT, [SummaryLine(KEY_RESULT, 10), SummaryLine(MEASURED, None)])]
)


def _nominations() -> list[Built]:
    """The list with the viewer's own pending nomination (Withdraw) and a decided one."""
    return [nominations_message([NOMINATION, REJECTED], "U0AE", pending_only=False)]


def _digest() -> Digest:
    """The week with a team-wide entry, an account's (edited) and a long one; a renewal."""
    other = ACCOUNT.model_copy(update={"id": 8})
    entries = [TEAM_ENTRY, ENTRY, LONG_ENTRY]
    accounts = [ACCOUNT, other]
    return Digest(week_of(TODAY), entries, {1: 3}, accounts, {7: Status.RED}, [RENEWAL], {1})


def _posted() -> list[Built]:
    """The post as one message, and threaded: its summary and its replies."""
    threaded = weekly_post(_digest(), threaded=True)
    posted: list[Built] = [weekly_post(_digest(), threaded=False).main, threaded.main]
    return posted + [m for _, m in threaded.replies]


def _alert() -> Message:
    return health_alert(HEALTH, Status.GREEN, HealthAck(account_id=7, status="red"), "USD")


def _kickoff_done() -> tuple[str, JourneyItem]:
    """The kickoff's Mark done value as clicked, and the kickoff as it now stands."""
    value = JourneyDone(account_id=7, contract_end=JOURNEY.contract_end, activity="kickoff")
    return value.model_dump_json(), JourneyItem(ITEMS[0].activity, State.DONE, "U0TACE", AT)


NEED = Need(
    id=5,
    account_id=7,
    kind="feature request",
    summary=PLAN_TEXT,
    link=URL,
    priority="high",
    raised_by="U0TACE",
    created_at=AT,
    updated_by="U0TACE",
    updated_at=AT,
    steps=(
        RolloutStep(step=Step.PRE_MORTEM, due=TODAY, done_by="U0TACE", done_at=AT),
        RolloutStep(step=Step.PILOT, due=date(2026, 11, 1)),
    ),
)
NEEDS = NeedsSummary(4, [NEED])
"""Typed text in a need's summary and link; a done step and an overdue one."""


PERSON = Person(
    kind=PersonKind.CHAMPION,
    name=NAME,
    role=INDUSTRY,
    slack_user="U0TACE",
    email="dana@acme.example",
    id=1,
    account_id=7,
    added_by="U0TACE",
    added_at=AT,
)
INITIATIVE = Initiative(
    id=1,
    title=TITLE,
    owner="U0AE",
    due=date(2026, 11, 1),
    status=InitiativeStatus.IN_PROGRESS,
    created_by="U0AE",
    created_at=AT,
    updated_at=AT,
)
RETENTION = Retention(fiscal_quarter(TODAY), 3, 2, 600_000, 300_000, 50_000, 30_000, 50_000)


BUILDERS: dict[Callable[..., Any], Callable[[], list[Built]]] = {
    health_alert: lambda: [_alert()],
    acknowledged: lambda: [acknowledged(_alert().blocks, "U0TACE", AT)],
    red_without_plan: lambda: [red_without_plan([HEALTH])],
    journey_message: lambda: [journey_message(JOURNEY)],
    journey_reminder: lambda: [journey_reminder(JOURNEY, ITEMS[:1])],
    marked_done: lambda: [marked_done(journey_message(JOURNEY).blocks, *_kickoff_done())],
    renewals_message: lambda: [renewals_message([RENEWAL], 90)],
    renewal_reminder: lambda: [renewal_reminder(RENEWAL)],
    renewal_decision: lambda: [renewal_decision(ACCOUNT)],
    renewal_answered: lambda: [renewal_answered(ACCOUNT, f"Churned, by {OURS}.")],
    decided: lambda: [decided(renewal_decision(ACCOUNT).blocks, f"Churned, by {OURS}.")],
    renew_modal: lambda: [renew_modal(ACCOUNT, RenewForm(account_id=7, contract_end=TODAY))],
    account_list: lambda: [account_list([ACCOUNT])],
    account_card: lambda: [
        account_card(ACCOUNT, show_sensitive=True, plan=plan_line(PLAN, TODAY)),
        account_card(ACCOUNT.model_copy(update={"archived_at": AT}), show_sensitive=False),
    ],
    account_saved: lambda: [account_saved(ACCOUNT, "Added")],
    account_archived: lambda: [account_archived(ACCOUNT)],
    history_message: lambda: [
        history_message(HISTORY),
        history_message(AccountHistory(ACCOUNT, HISTORY.entries, 2)),
        history_message(AccountHistory(ACCOUNT, [], 0)),
    ],
    what_changed: lambda: [what_changed(entry) for entry in HISTORY.entries],
    portfolio_message: lambda: [portfolio_message([HEALTH])],
    account_health_message: lambda: [account_health_message(HEALTH, plan_line(PLAN, TODAY))],
    plan_line: lambda: [plan_line(PLAN, TODAY)],
    item_line: lambda: [item_line(i) for i in ITEMS],
    plan_saved: lambda: [plan_saved(PLAN, TODAY)],
    plan_modal: lambda: [plan_modal(ACCOUNT, PlanForm(account_id=7), PLAN)],
    people_message: lambda: [people_message(ACCOUNT, [PERSON]), people_message(ACCOUNT, [])],
    person_line: lambda: [person_line(PERSON)],
    person_modal: lambda: [person_modal(ACCOUNT, PersonForm(account_id=7))],
    initiative_line: lambda: [initiative_line(INITIATIVE, TODAY)],
    initiatives_message: lambda: [initiatives_message([INITIATIVE], TODAY)],
    initiative_added: lambda: [initiative_added(INITIATIVE, TODAY)],
    initiative_reminder: lambda: [initiative_reminder(INITIATIVE, r, TODAY) for r in Reminder],
    initiative_changed: lambda: [initiative_changed(INITIATIVE, TODAY)],
    phrases.initiative_already: lambda: [phrases.initiative_already(TITLE, "done")],
    metrics_recorded: lambda: [
        metrics_recorded(SnapshotInput(account=NAME, day=TODAY, dau=5, mau=9, seats=10))
    ],
    iarr_recorded: lambda: [iarr_recorded(DEAL, fiscal_quarter(TODAY), 50_000)],
    iarr_undone: lambda: [iarr_undone(DEAL)],
    home_view: lambda: [home_view(HOME), home_view(replace(HOME, needs={7: NEEDS}))],
    entry_saved: lambda: [entry_saved(ENTRY, edited=False), entry_saved(LONG_ENTRY, edited=True)],
    week_entries: lambda: [week_entries(week_of(TODAY), [TEAM_ENTRY, ENTRY, LONG_ENTRY], {1: 3})],
    weekly_post: lambda: _posted(),
    weekly_draft: lambda: [weekly_draft(_digest(), "C0STRAT")],
    entry_blocks: lambda: [entry_blocks(ENTRY, 3, True), entry_blocks(LONG_ENTRY, 1, False)],
    account_reply: lambda: [account_reply(_digest(), 7), account_reply(_digest(), None)],
    delivery_failure: lambda: [delivery_failure("health-alerts", "C0X", "x", _alert().text)],
    phrases.not_allowed: lambda: [phrases.not_allowed(NAME, act) for act in phrases.Act],
    phrases.no_such_account: lambda: [phrases.no_such_account(NAME, [NAME, INDUSTRY])],
    phrases.already_archived: lambda: [phrases.already_archived(NAME)],
    phrases.archived_has_no_health: lambda: [phrases.archived_has_no_health(NAME)],
    phrases.alert_out_of_date: lambda: [phrases.alert_out_of_date(NAME, "green")],
    phrases.no_journey: lambda: [phrases.no_journey(NAME, "the contract needs dates")],
    phrases.contract_changed_nothing_marked: lambda: [
        phrases.contract_changed_nothing_marked(NAME)
    ],
    phrases.not_on_journey: lambda: [phrases.not_on_journey(TITLE, NAME)],
    phrases.already_decided: lambda: [
        phrases.already_decided(NAME, "churned", user("U0TACE"), moment(AT))
    ],
    phrases.contract_already_ends: lambda: [phrases.contract_already_ends(NAME, "2026-12-31")],
    phrases.nothing_recorded: lambda: [
        phrases.nothing_recorded([f"account: no active account is named {NAME}"], "metrics")
    ],
    phrases.not_allowed_undo: lambda: [phrases.not_allowed_undo(NAME, "U0TACE")],
    phrases.archived_no_update: lambda: [phrases.archived_no_update(NAME)],
    phrases.not_a_week: lambda: [phrases.not_a_week(NAME, "write it like 2026-W49", "update")],
    approvals_post: lambda: [
        approvals_post(n, GATE, QUORUM, show)
        for n in (NOMINATION, REJECTED, APPROVED)
        for show in (False, True)
    ],
    decision_dm: lambda: [decision_dm(REJECTED), decision_dm(APPROVED)],
    gate_blocks: lambda: [gate_blocks(GATE, False)],
    nominated: lambda: [nominated(NOMINATION, "#cp-strategic"), nominated(NOMINATION, "C0X")],
    nominations_message: _nominations,
    outcome_line: lambda: [outcome_line(REJECTED), outcome_line(APPROVED)],
    pending_section: lambda: [pending_section([NOMINATION]), pending_section([NOMINATION], TODAY)],
    reason_modal: lambda: [
        reason_modal(NOMINATION, NominationReason(nomination_id=3, vote=vote))
        for vote in ("approve", "reject")
    ],
    summary: lambda: [summary(NOMINATION)],
    withdrawn_in_list: lambda: [
        withdrawn_in_list(
            nominations_message([NOMINATION], "U0AE", True).blocks,
            replace(REJECTED, state=NominationState.WITHDRAWN),
        )
    ],
    phrases.own_nomination: lambda: [phrases.own_nomination(NAME)],
    phrases.nomination_closed: lambda: [
        phrases.nomination_closed(NAME, "rejected", user("U0TACE"), moment(AT))
    ],
    phrases.only_nominator_withdraws: lambda: [phrases.only_nominator_withdraws(NAME, "U0AE")],
    phrases.already_partner: lambda: [phrases.already_partner(NAME)],
    phrases.already_nominated: lambda: [phrases.already_nominated(NAME)],
    phrases.archived_nominee: lambda: [phrases.archived_nominee(NAME)],
    figure: lambda: [figure(5, TITLE)],
    value_of_target: lambda: [value_of_target(KEY_RESULT), value_of_target(MEASURED)],
    key_result_line: lambda: [key_result_line(KEY_RESULT), key_result_line(MEASURED)],
    okrs_message: lambda: [okrs_message(OKRS), okrs_message(OKRS, OKRS.teams[0])],
    checkins_message: lambda: [checkins_message(STORED, CHECKINS), checkins_message(STORED, [])],
    checkin_dm: lambda: [checkin_dm(OKRS.quarter, [STORED])],
    checkin_modal: lambda: [checkin_modal(STORED, CheckinForm(key_result_id=12))],
    checked_in: lambda: [checked_in(STORED)],
    key_result_added: lambda: [key_result_added(STORED)],
    quarter_summary_message: lambda: [quarter_summary_message(OKRS.quarter, OKR_SUMMARY)],
    okr_section: lambda: [
        okr_section(OKRS),
        okr_section(replace(OKRS, teams=[TeamOkrs(NAME, [])])),
    ],
    measured_section: lambda: [measured_section(OKRS.quarter, [MEASURED, KEY_RESULT])],
    phrases.unknown_quarter: lambda: [phrases.unknown_quarter(NAME, "okr", [TITLE])],
    phrases.unknown_team: lambda: [phrases.unknown_team(NAME, "FY27-Q4", "okr", [TITLE])],
    phrases.not_a_key_result_ref: lambda: [phrases.not_a_key_result_ref(NAME, "okr history")],
    phrases.measured_takes_no_checkin: lambda: [phrases.measured_takes_no_checkin(NAME)],
    phrases.key_result_exists: lambda: [phrases.key_result_exists(TITLE, NAME)],
    need_modal: lambda: [need_modal(ACCOUNT, NeedForm(account_id=7))],
    rollout_modal: lambda: [rollout_modal(ACCOUNT, NEED, RolloutForm(account_id=7, need_id=5))],
    need_line: lambda: [need_line(NEED)],
    need_blocks: lambda: [need_blocks(ACCOUNT, NEED, TODAY)],
    need_card: lambda: [need_card(ACCOUNT, NEED, TODAY, "Saved.")],
    need_raised: lambda: [need_raised(ACCOUNT, NEED, TODAY)],
    rollout_saved: lambda: [rollout_saved(ACCOUNT, NEED, TODAY)],
    need_redrawn: lambda: [
        need_redrawn(
            needs_message([NEED], {7: ACCOUNT}, TODAY, None).blocks,
            ACCOUNT,
            NEED.model_copy(update={"status": NeedStatus.SHIPPED}),
            TODAY,
        )
    ],
    needs_message: lambda: [
        needs_message([NEED], {7: ACCOUNT}, TODAY, None),
        needs_message([NEED], {7: ACCOUNT}, TODAY, ACCOUNT),
        needs_message([], {}, TODAY, ACCOUNT),
    ],
    status_changed: lambda: [status_changed(ACCOUNT, NEED, NeedStatus.OPEN, "U0TACE")],
    account_needs: lambda: [account_needs(ACCOUNT, NEEDS, TODAY)],
    portfolio_needs: lambda: [portfolio_needs({7: NEEDS}, {7: ACCOUNT}, [(NEED, NEED.steps[1])])],
    phrases.need_not_of: lambda: [phrases.need_not_of(NAME)],
    phrases.status_unchanged: lambda: [phrases.status_unchanged(NAME)],
    phrases.step_not_planned: lambda: [phrases.step_not_planned(TITLE)],
    phrases.step_already_done: lambda: [
        phrases.step_already_done(TITLE, user("U0TACE"), moment(AT))
    ],
}
NOTHING_PARSED: set[Callable[..., Any]] = {
    help_message,
    form_modal,  # a title of ours and blocks already made
    status_label,
    churned_outcome,  # a mention of ours
    renewed_outcome,  # a date and a mention of ours
    account_modal,  # the account's fields only as input values, which Slack does not parse
    update_modal,  # account names only as options, plain text
    not_on_team,  # validated admin IDs, as mentions
    outsider_modal,
    outsider_home,
    phrases.already_acknowledged,  # a mention of ours
    phrases.already_done,  # a mention of ours, or "someone"
    phrases.days_out_of_range,
    phrases.went_wrong,
    phrases.name_taken,  # plain text: see test_field_errors_are_plain_text_kept_as_typed
    phrases.name_just_taken,
    update_reminder,  # a week's name and our own words
    snoozed,  # a moment
    away_set,  # a date
    away_ended,
    phrases.away_past,  # a date, parsed
    blockers_label,  # a label of ours and a number
    weekly_posted,  # a week, a channel and a mention of ours
    phrases.already_posted,  # a week's name
    nomination_modal,  # our own words and the framework's fields
    list_block_id,  # a number
    phrases.not_an_approver,  # validated approver and user group IDs
    phrases.nominations_which,  # the usage line
    progress_bar,  # a number
    status_text,  # a status of ours
    add_modal,  # our own words, a quarter's name
    phrases.no_such_key_result,  # a number
    phrases.not_key_result_owner,  # a validated user ID, mentioned
    people_count_line,  # two numbers
    percent,  # a number
    retention_section,  # numbers and a quarter's name
    retention_appended,  # the same, after a message built (and checked) elsewhere
    initiative_modal,  # our own words
    phrases.not_initiative_owner,  # a validated user ID, mentioned
}
"""Builders no person's text reaches in mrkdwn or a fallback text."""
MENTIONING: set[Callable[..., Any]] = {
    health_alert,
    people_message,
    person_line,
    initiatives_message,
    initiative_reminder,
    acknowledged,
    red_without_plan,
    marked_done,
    renewals_message,
    renewal_reminder,
    renewal_decision,
    renewal_answered,
    decided,
    account_list,
    account_card,
    account_saved,
    account_health_message,
    plan_line,
    plan_saved,
    item_line,
    entry_saved,
    week_entries,
    phrases.already_decided,
    phrases.not_allowed_undo,
    approvals_post,
    decision_dm,
    nominations_message,
    pending_section,
    phrases.nomination_closed,
    phrases.only_nominator_withdraws,
    key_result_line,
    okrs_message,
    checkins_message,
    checkin_dm,
    checked_in,
    key_result_added,
    status_changed,
}
"""Builders that mention the account's people: after escaping, the mentions still work."""


def _payload(built: Built) -> dict[str, Any]:
    """What reaches Slack: a message's kwargs, a view's JSON, redrawn blocks."""
    if isinstance(built, str):
        return error_message(built).as_kwargs()
    if isinstance(built, View):
        return built.to_dict()
    if isinstance(built, list):
        return {"blocks": built}
    return built.as_kwargs()


def _texts(node: Any, kind: str) -> Iterator[str]:
    """The `text` of every text object of `kind` ("mrkdwn", "plain_text") in a payload."""
    if isinstance(node, dict):
        if node.get("type") == kind and isinstance(node.get("text"), str):
            yield node["text"]
        for value in node.values():
            yield from _texts(value, kind)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value, kind)


def parsed_texts(built: Built) -> list[str]:
    """Every text Slack parses for control sequences: mrkdwn objects and the fallback."""
    payload = _payload(built)
    fallback = [payload["text"]] if isinstance(payload.get("text"), str) else []
    return fallback + list(_texts(payload, "mrkdwn"))


def _name(builder: Callable[..., Any]) -> str:
    return f"{builder.__module__.removeprefix('bot.blocks.')}.{builder.__name__}"


def _built(builder: Callable[..., Any]) -> list[Built]:
    return BUILDERS[builder]()


# ---------------------------------------------------------------- the function


def test_escape_turns_exactly_the_three_control_characters_into_entities() -> None:
    assert escape("AT&T <b> x>y") == "AT&amp;T &lt;b&gt; x&gt;y"
    assert escape("*bold* _it_ ~s~ `code` \"q\" 'a' | :x: #c @u") == (
        "*bold* _it_ ~s~ `code` \"q\" 'a' | :x: #c @u"
    )
    assert escape("&amp; &lt;") == "&amp;amp; &amp;lt;"  # an entity typed is text, shown as typed
    assert escape("") == ""


@pytest.mark.parametrize("text", [*HOSTILE, URL, "&amp;lt; &&& <<>>", "plain"])
def test_unescape_gives_back_what_was_escaped(text: str) -> None:
    assert unescape(escape(text)) == text
    assert not any(s in escape(text) for s in "<>")
    assert not RAW_AMPERSAND.search(escape(text))


def test_a_link_to_a_given_url_cannot_break_out_of_its_brackets() -> None:
    made = link(URL, "Success plan")
    assert made == (
        "<https://plan.example/?a=1&amp;b=2&gt;%7C&lt;!here&gt;%7C&lt;https://evil.example%7Cx"
        "|Success plan>"
    )
    assert made.count("<") == made.count(">") == made.count("|") == 1
    assert link("https://plan.example/a?b=1", "Plan") == "<https://plan.example/a?b=1|Plan>"


def test_the_terminal_shows_the_characters_back() -> None:
    assert plain(f"*{escape(NAME)}* {OURS}", {"U0TACE": "Tace"}) == f"{NAME} @Tace"
    assert plain("&amp;lt;") == "&lt;"  # undone once, as Slack shows it
    shown = to_text(account_card(ACCOUNT, show_sensitive=False).blocks)
    assert NAME.upper() in shown and f"Industry: {INDUSTRY}" in shown
    assert "Success plan (https://plan.example/?a=1&b=2>%7C<!here>%7C<https://evil" in shown


# ---------------------------------------------------------------- every builder


def test_every_builder_is_listed() -> None:
    """Every public function of bot/blocks that makes a message, a view, redrawn blocks or
    a line or sentence of text is checked above, or said to carry no person's text.

    Not common's helpers (the markup itself) nor text's (the terminal's): both are
    tested on their own above."""
    found = set()
    for info in pkgutil.iter_modules(bot.blocks.__path__):
        module = importlib.import_module(f"bot.blocks.{info.name}")
        found |= {
            f
            for name, f in inspect.getmembers(module, inspect.isfunction)
            if f.__module__ == module.__name__
            and module not in (common, text)
            and not name.startswith("_")
            and inspect.signature(f).return_annotation in MAKES
        }
    assert {_name(f) for f in found - NOTHING_PARSED - set(BUILDERS)} == set()
    assert {_name(f) for f in set(BUILDERS) - found} == set()


@pytest.mark.parametrize("builder", list(BUILDERS), ids=_name)
def test_no_slack_sequence_from_a_person_reaches_slack(builder: Callable[..., Any]) -> None:
    joined = "\n".join(t for built in _built(builder) for t in parsed_texts(built))
    for sequence in SLACK_SEQUENCES:
        assert sequence not in joined, f"{sequence} in {joined}"
    assert not RAW_AMPERSAND.search(joined), joined
    assert any(escape(h) in joined for h in HOSTILE), "the input shows, escaped once"
    if builder in MENTIONING:
        assert OUR_MENTION.search(joined), "our own mentions still work"


@pytest.mark.parametrize("builder", list(BUILDERS), ids=_name)
def test_plain_text_is_shown_as_typed_not_escaped_twice(builder: Callable[..., Any]) -> None:
    """Headers, buttons and modal titles are plain_text: Slack parses nothing there."""
    for built in _built(builder):
        for shown in _texts(_payload(built), "plain_text"):
            assert shown == unescape(shown), shown


def test_headers_keep_the_name_as_typed() -> None:
    [card] = _payload(account_card(ACCOUNT, show_sensitive=False))["blocks"][:1]
    assert card["text"] == {"type": "plain_text", "text": NAME}
    [journey] = _payload(journey_message(JOURNEY))["blocks"][:1]
    assert journey["text"]["text"] == f"{NAME}: customer journey"


def test_the_fallback_text_is_escaped_like_the_blocks() -> None:
    assert _alert().text == f"{escape(NAME)} is now red (was green)"
    assert account_card(ACCOUNT, show_sensitive=False).text.startswith(escape(NAME))


def test_field_errors_are_plain_text_kept_as_typed() -> None:
    """A modal shows these under its name field, where nothing is parsed: escaped, the
    name would read `AT&amp;T`."""
    assert phrases.name_taken("AT&T", archived=True) == (
        "An account named AT&T (archived) already exists."
    )
    assert "AT&T" in phrases.name_just_taken("AT&T")


def test_the_entry_modal_offers_names_as_typed() -> None:
    """Options are plain text: the name shows as typed, and no mrkdwn carries it."""
    modal = update_modal(UpdateForm(), [ACCOUNT], week_of(TODAY))
    [select] = [b["element"] for b in _payload(modal)["blocks"] if b.get("block_id") == "account"]
    assert [o["text"]["text"] for o in select["options"]] == ["Team-wide", NAME]
    assert not [t for t in parsed_texts(modal) if "Pwn" in t]
