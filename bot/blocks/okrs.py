"""OKRs as Slack shows them: the quarter with a text progress bar per key result, a key
result's check-ins, the check-in DM and modal, the add modal, the quarter's summary, and
the OKR section of the weekly update and the App Home."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.views import View

from bot.blocks.common import (
    MESSAGE_BLOCKS,
    Block,
    Message,
    button,
    context,
    day,
    escape,
    header,
    info_message,
    moment,
    section,
    sections,
    user,
)
from bot.blocks.forms import FieldSpec, Kind, form_modal, input_block
from bot.domain.fiscal import FiscalQuarter
from bot.domain.okrs import (
    MAX_NOTE,
    MAX_TEAM,
    MAX_TITLE,
    MAX_UNIT,
    MEASURED_TEAM,
    Checkin,
    KeyResult,
    QuarterOkrs,
    Status,
    StoredKeyResult,
    SummaryLine,
    TeamOkrs,
    TeamSummary,
)
from bot.ids import Action, Callback, CheckinField, OkrField
from bot.metadata import CheckinForm, CheckinRef, OkrForm

BAR_CELLS = 10
DM_KEY_RESULTS = 40
"""A check-in DM lists at most this many key results, each a block with its button."""
ICON = {
    Status.ON_TRACK: ":large_green_circle:",
    Status.AT_RISK: ":large_yellow_circle:",
    Status.OFF_TRACK: ":red_circle:",
    Status.DONE: ":white_check_mark:",
    None: ":white_circle:",
}
STATUS_CHOICES = tuple((s.value, s.value.capitalize()) for s in Status)

CHECKIN_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        CheckinField.VALUE, "Value", Kind.TEXT, optional=False, hint="A number, like 42 or 3.5."
    ),
    FieldSpec(CheckinField.STATUS, "Status", Kind.CHOICE, optional=False, choices=STATUS_CHOICES),
    FieldSpec(CheckinField.NOTE, "Note", Kind.TEXT, max_length=MAX_NOTE, multiline=True),
)
ADD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(OkrField.TEAM, "Team", Kind.TEXT, optional=False, max_length=MAX_TEAM),
    FieldSpec(OkrField.QUARTER, "Quarter", Kind.TEXT, optional=False, hint="Like FY27-Q4."),
    FieldSpec(OkrField.OBJECTIVE, "Objective", Kind.TEXT, optional=False, max_length=MAX_TITLE),
    FieldSpec(OkrField.TITLE, "Key result", Kind.TEXT, optional=False, max_length=MAX_TITLE),
    FieldSpec(OkrField.OWNER, "Owner", Kind.USER, optional=False),
    FieldSpec(OkrField.START, "Start", Kind.TEXT, hint="Left empty: 0."),
    FieldSpec(OkrField.TARGET, "Target", Kind.TEXT, optional=False),
    FieldSpec(OkrField.UNIT, "Unit", Kind.TEXT, max_length=MAX_UNIT, hint="Like users or %."),
)


def figure(value: float | None, unit: str = "") -> str:
    """A value as people write it: 1,250 users, 87.5%, 50,000 iARR."""
    if value is None:
        return "—"
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
    if unit == "%":
        return f"{text}%"
    return f"{text} {escape(unit)}" if unit else text


def value_of_target(kr: KeyResult) -> str:
    """`40 of 100 users`; a share reads `40% (target 100%)`."""
    if kr.target is None:
        return figure(kr.current, kr.unit)
    if kr.unit == "%":
        return f"{figure(kr.current, '%')} (target {figure(kr.target, '%')})"
    return f"{figure(kr.current)} of {figure(kr.target, kr.unit)}"


def progress_bar(share: float | None) -> str:
    """`███████░░░ 70%`, in a code span so every cell has the same width."""
    if share is None:
        return "`" + "·" * BAR_CELLS + "`"
    filled = round(share * BAR_CELLS)
    return f"`{'█' * filled}{'░' * (BAR_CELLS - filled)}` {round(share * 100)}%"


def status_text(status: Status | None) -> str:
    return f"{ICON[status]} {status.value if status else 'not judged yet'}"


def key_result_line(kr: KeyResult) -> str:
    """One key result: its number (for `okr history`), title, bar, value of target, status,
    owner; a measured one says so and what it counts."""
    number = f"`#{kr.id}` " if kr.id is not None else ""
    value = value_of_target(kr)
    parts = [progress_bar(kr.share) if kr.target is not None else "", value, status_text(kr.status)]
    if kr.measured:
        parts.append(f":robot_face: measured: {escape(kr.detail or '')}")
    if kr.owner:
        parts.append(user(kr.owner))
    shown = " · ".join(p for p in parts if p)
    return f"{number}*{escape(kr.title)}*\n{shown}"


def _team_blocks(team: TeamOkrs) -> list[Block]:
    blocks: list[Block] = [section(f":dart: *{escape(team.team)}*")]
    for objective in team.objectives:
        lines = [key_result_line(kr) for kr in objective.key_results] or ["No key results yet."]
        blocks += sections(f"*{escape(objective.title)}*", lines)
    return blocks


def okrs_message(okrs: QuarterOkrs, team: TeamOkrs | None = None) -> Message:
    """The quarter's OKRs (every team, or one), cut to Slack's 50 blocks with a pointer."""
    quarter = okrs.quarter
    teams = [team] if team else okrs.teams
    blocks: list[Block] = [
        header(f"OKRs {quarter.label}"),
        context(
            f"{day(quarter.start)} to {day(quarter.end)} · measured key results are the "
            "bot's, as of today · `/strategic okr history KR` shows a key result's check-ins"
        ),
    ]
    for index, shown in enumerate(teams):
        part = _team_blocks(shown)
        if len(blocks) + len(part) >= MESSAGE_BLOCKS:
            left = len(teams) - index
            blocks.append(context(f"…and {left} more team(s): `/strategic okr TEAM` shows one."))
            break
        blocks += part
    scope = f"{escape(team.team)} " if team else ""
    return Message(f"OKRs {scope}{quarter.label}", blocks[:MESSAGE_BLOCKS])


def checkins_message(stored: StoredKeyResult, checkins: list[Checkin]) -> Message:
    kr = stored.key_result
    where = f"{escape(stored.team)} · {stored.quarter} · {escape(stored.objective)}"
    lines = [
        f"{moment(c.at)} · {user(c.author)} · {figure(c.value, kr.unit)} · {status_text(c.status)}"
        + (f"\n>{escape(c.note)}" if c.note else "")
        for c in checkins
    ]
    if not lines:
        lines = (
            ["Measured by the bot: it takes no check-ins."]
            if kr.measured
            else ["No check-ins yet."]
        )
    blocks = [
        section(key_result_line(kr)),
        context(where),
        *sections(f"*Check-ins* ({len(checkins)})", ["\n".join(lines[-40:])]),
    ]
    return Message(f"Check-ins of {escape(kr.title)}", blocks)


def checkin_dm(
    quarter: FiscalQuarter, owned: list[StoredKeyResult], sent: date | None = None
) -> Message:
    """Monday's DM to an owner (sent on `sent`): each of their key results with its Check in
    button; redrawn as it stands after each check-in."""
    blocks: list[Block] = [
        header(f"Check in on your key results, {quarter.label}"),
        context("Where does each stand this week? Check in opens a form: value, status, note."),
    ]
    for stored in owned[:DM_KEY_RESULTS]:
        kr = stored.key_result
        value = CheckinRef(key_result_id=kr.id or 0, sent=sent)
        blocks.append(
            {
                **section(f"{key_result_line(kr)}\n_{escape(stored.objective)}_"),
                "accessory": button(Action.OKR_CHECKIN, "Check in", value),
            }
        )
    if len(owned) > DM_KEY_RESULTS:
        blocks.append(context(f"…and {len(owned) - DM_KEY_RESULTS} more: `/strategic okr`."))
    return Message(f"Check in on {len(owned)} key result(s) of {quarter.label}", blocks)


def checkin_modal(stored: StoredKeyResult, state: CheckinForm) -> View:
    kr = stored.key_result
    target = f" (target {figure(kr.target, kr.unit)})" if kr.target is not None else ""
    initial = {
        CheckinField.VALUE: None if kr.current is None else figure(kr.current).replace(",", ""),
        CheckinField.STATUS: kr.status.value if kr.status else None,
    }
    return form_modal(
        Callback.OKR_CHECKIN,
        "Check in",
        state,
        [
            section(f"*{escape(kr.title)}*{target}\n_{escape(stored.objective)}_"),
            *(
                input_block(spec, initial.get(CheckinField(spec.block_id)))
                for spec in CHECKIN_FIELDS
            ),
        ],
    )


def checked_in(stored: StoredKeyResult) -> Message:
    return info_message(f"Checked in. {key_result_line(stored.key_result)}")


def add_modal(state: OkrForm, quarter: FiscalQuarter) -> View:
    initial = {OkrField.TEAM: MEASURED_TEAM, OkrField.QUARTER: quarter.label}
    return form_modal(
        Callback.OKR_ADD,
        "Add a key result",
        state,
        [input_block(spec, initial.get(OkrField(spec.block_id))) for spec in ADD_FIELDS],
    )


def key_result_added(stored: StoredKeyResult) -> Message:
    where = f"{escape(stored.team)}, {stored.quarter}, under *{escape(stored.objective)}*"
    return info_message(f"Added to {where}:\n{key_result_line(stored.key_result)}")


def _summary_line(line: SummaryLine) -> str:
    kr = line.key_result
    final = value_of_target(kr)
    if kr.measured:
        since = "measured by the bot"
    elif line.first is None:
        since = "no check-ins"
    else:
        change = line.change or 0.0
        sign = "+" if change > 0 else ""
        since = (
            f"{sign}{figure(change, kr.unit)} since the first check-in "
            f"({figure(line.first, kr.unit)})"
        )
    return f"*{escape(kr.title)}*\n{final} · {status_text(kr.status)} · {since}"


def quarter_summary_message(quarter: FiscalQuarter, team: TeamSummary) -> Message:
    """A team's results on the quarter's last day: final values, statuses, and what
    changed since each key result's first check-in."""
    blocks: list[Block] = [
        header(f"{team.team}: OKR results {quarter.label}"),
        context(f"{day(quarter.start)} to {day(quarter.end)} · as of the quarter's last day"),
    ]
    for index, (objective, lines) in enumerate(team.objectives):
        part = sections(f"*{escape(objective)}*", [_summary_line(x) for x in lines] or ["—"])
        if len(blocks) + len(part) >= MESSAGE_BLOCKS:
            blocks.append(context(f"…and {len(team.objectives) - index} more objective(s)."))
            break
        blocks += part
    return Message(f"{escape(team.team)}: OKR results {quarter.label}", blocks)


def _counts(okrs: QuarterOkrs) -> str:
    counts = okrs.counts()
    order = [Status.DONE, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, None]
    return " · ".join(
        f"{ICON[s]} {counts[s]} {s.value if s else 'not judged'}" for s in order if counts.get(s)
    )


def okr_section(okrs: QuarterOkrs | None) -> list[Block]:
    """The weekly update's OKR status: each team's key results by status, and the ones
    off track or at risk by name."""
    if okrs is None:
        return []
    lines = []
    for team in okrs.teams:
        of = team.key_results()
        counts = _counts(QuarterOkrs(okrs.quarter, [team]))
        lines.append(f"• *{escape(team.team)}*: {len(of)} key result(s) · {counts}")
        for kr in of:
            if kr.status in (Status.OFF_TRACK, Status.AT_RISK):
                lines.append(
                    f"    {ICON[kr.status]} {escape(kr.title)} · {figure(kr.current, kr.unit)}"
                )
    heading = f"*OKRs {okrs.quarter.label}* (`/strategic okr` for every key result)"
    return sections(heading, ["\n".join(lines)])


def measured_section(quarter: FiscalQuarter, measured: list[KeyResult]) -> list[Block]:
    """The App Home's measured key results, as of today."""
    if not measured:
        return []
    lines = [key_result_line(kr) for kr in measured]
    heading = "_As of today: they update themselves._"
    return [header(f"Key results the bot measures, {quarter.label}"), *sections(heading, lines)]
