"""Partner selection (seed 000): the nomination modal, the approvals post with its success
gate, the reason modal, the nominator's DM, the list, and the pending section the weekly
update and the App Home show. Every company name, market, rationale and reason is typed
by a person: each goes through `escape` wherever mrkdwn or a fallback text shows it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from slack_sdk.models.views import View

from bot.blocks.common import (
    DEFAULT_CURRENCY,
    Block,
    Message,
    actions,
    button,
    context,
    day,
    divider,
    escape,
    fields_section,
    header,
    moment,
    money,
    section,
    user,
)
from bot.blocks.forms import FieldSpec, Kind, form_modal, input_block
from bot.domain.accounts import MAX_NAME
from bot.domain.partners import (
    MAX_MARKET,
    MAX_RATIONALE,
    MAX_REASON,
    NO,
    YES,
    Criterion,
    Gate,
    Level,
    Nomination,
    PartnerCheck,
    PartnerPolicy,
    State,
    Vote,
)
from bot.domain.slack_ids import SLACK_CHANNEL_PATTERN
from bot.ids import NOMINATION_DECISION_BLOCK, Action, Callback, NominationField, ReasonField
from bot.metadata import NominationForm, NominationReason, NominationRef

_YES_NO = ((YES, "Yes"), (NO, "No"))
_LEVELS = tuple((level.value, level.value.capitalize()) for level in Level)

NOMINATION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        NominationField.COMPANY,
        "Company",
        Kind.TEXT,
        optional=False,
        max_length=MAX_NAME,
        hint="A company that is not an account yet is added as one (tier 3), nominated.",
    ),
    FieldSpec(
        NominationField.STRATEGIC_SEGMENT,
        "Strategic segment",
        Kind.CHOICE,
        optional=False,
        choices=_YES_NO,
    ),
    FieldSpec(
        NominationField.CO_MARKET,
        "Willingness to co-market",
        Kind.CHOICE,
        optional=False,
        choices=_LEVELS,
    ),
    FieldSpec(
        NominationField.NEW_INDUSTRY,
        "Opens a new industry",
        Kind.CHOICE,
        optional=False,
        choices=_YES_NO,
    ),
    FieldSpec(
        NominationField.RELATED_MARKET,
        "Related market",
        Kind.TEXT,
        max_length=MAX_MARKET,
        hint="When it opens a new industry: which market.",
    ),
    FieldSpec(
        NominationField.VISION,
        "Alignment with the product vision",
        Kind.CHOICE,
        optional=False,
        choices=_LEVELS,
    ),
    FieldSpec(
        NominationField.RATIONALE,
        "Rationale",
        Kind.TEXT,
        optional=False,
        max_length=MAX_RATIONALE,
        multiline=True,
        hint=f"Why this company, in up to {MAX_RATIONALE:,} characters.",
    ),
)
REASON_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        ReasonField.REASON,
        "Reason",
        Kind.TEXT,
        optional=False,
        max_length=MAX_REASON,
        multiline=True,
    ),
)
LIST_LIMIT = 40
GATE_LINES = 15
PENDING_LINES = 10
STATE_WORDS = {
    State.PENDING: "pending",
    State.APPROVED: "approved",
    State.REJECTED: "rejected",
    State.WITHDRAWN: "withdrawn",
}
LABELS = {
    "acceptance": "completion acceptance",
    "iarr": "iARR realized",
    "adoption": "assistant DAU / available developers",
}


def nomination_modal(state: NominationForm) -> View:
    return form_modal(
        Callback.NOMINATE,
        "Nominate a partner",
        state,
        [
            section(
                "Seed 000's decision framework. The approvers decide in the approvals post, "
                "beside whether current partners meet the success targets."
            ),
            *(input_block(spec) for spec in NOMINATION_FIELDS),
        ],
    )


def reason_modal(nomination: Nomination, state: NominationReason) -> View:
    """One field, Reason: for a rejection, or for an approval while the gate is not met."""
    company = f"*{escape(nomination.company)}*"
    if state.vote == Vote.REJECT.value:
        title = "Reject nomination"
        intro = (
            f"Why reject {company}? The reason shows on the approvals post and is sent to "
            f"{user(nomination.nominator)}, who nominated it."
        )
    else:
        title = "Override the gate"
        intro = (
            f"Current partners do not all meet the success targets yet. Approving {company} "
            "overrides the gate: say why. The reason shows on the approvals post."
        )
    return form_modal(
        Callback.NOMINATION_REASON, title, state, [section(intro), input_block(REASON_FIELDS[0])]
    )


def _yes(value: bool) -> str:
    return "Yes" if value else "No"


def summary(nomination: Nomination) -> str:
    """The framework's answers in one line."""
    segment = (
        "In the strategic segment"
        if nomination.strategic_segment
        else "Not in the strategic segment"
    )
    if nomination.new_industry:
        industry = f"opens a new industry ({escape(nomination.related_market or '')})"
    else:
        industry = "no new industry"
    return (
        f"{segment} · {nomination.co_market.value} willingness to co-market · {industry} · "
        f"{nomination.vision.value} alignment with the product vision"
    )


def _percent(value: float | None) -> str:
    return "no data" if value is None else f"{value:.0%}"


def _criterion(criterion: Criterion, show_amounts: bool, currency: str) -> str:
    mark = ":white_check_mark:" if criterion.met else ":x:"
    if criterion.key == "iarr":
        realized = int(criterion.value or 0)
        some = "some" if realized > 0 else "none"
        value = money(realized, currency) if show_amounts else some
        target = "any" if not criterion.target else money(int(criterion.target), currency)
        return f"{mark} {LABELS['iarr']} {value} (target {target})"
    shown = _percent(criterion.value)
    return f"{mark} {LABELS[criterion.key]} {shown} (target {criterion.target:.0%})"


def _partner_line(check: PartnerCheck, show_amounts: bool, currency: str) -> str:
    mark = ":white_check_mark:" if check.met else ":warning:"
    criteria = " · ".join(_criterion(c, show_amounts, currency) for c in check.criteria)
    return f"{mark} *{escape(check.figures.name)}*: {criteria}"


RULE = "The team accepts new partners once existing ones meet these."


def gate_blocks(gate: Gate, show_amounts: bool, currency: str = DEFAULT_CURRENCY) -> list[Block]:
    """Each current partner against each target, from the store's live figures, and the
    verdict as a whole. `show_amounts`: iARR amounts (in the team's `currency`), only where
    sensitive figures may go."""
    if not gate.checks:
        verdict = (
            ":white_check_mark: *The gate is met*: there is no current partner to meet the "
            f"targets yet. {RULE}"
        )
        return [section(f"*The success gate*\n{verdict}")]
    lines = [_partner_line(c, show_amounts, currency) for c in gate.checks[:GATE_LINES]]
    if len(gate.checks) > GATE_LINES:
        rest = gate.checks[GATE_LINES:]
        short = sum(1 for c in rest if not c.met)
        lines.append(f"…and {len(rest)} more partners, {short} of them short of a target.")
    if gate.met:
        verdict = f":white_check_mark: *The gate is met*: every current partner meets them. {RULE}"
    else:
        verdict = (
            f":warning: *The gate is not met*: {len(gate.short)} of {len(gate.checks)} "
            f"partners fall short. {RULE} Approving now needs an override reason."
        )
    return [section("*The success gate*\n" + "\n".join(lines)), section(verdict)]


def _ballot_line(nomination: Nomination) -> str:
    parts = []
    for ballot in nomination.ballots:
        reason = f": {escape(ballot.reason)}" if ballot.reason else ""
        parts.append(f"{user(ballot.approver)} {ballot.vote.value}s{reason}")
    return " · ".join(parts) if parts else "none yet"


def _votes(nomination: Nomination, policy: PartnerPolicy) -> Block | None:
    """The votes as they come in; shown when more than one approval is needed, and always
    once some were cast."""
    if policy.quorum == 1 and not nomination.ballots:
        return None
    approvals = sum(1 for b in nomination.ballots if b.vote is Vote.APPROVE)
    rule = f"{approvals} of {policy.quorum} approvals"
    if policy.veto:
        rule += "; one rejection rejects"
    return context(f"*Votes* ({rule}): {_ballot_line(nomination)}")


def outcome_line(nomination: Nomination) -> str:
    """The decision (or the withdrawal): what, who, when and why."""
    if nomination.pending or nomination.decided_at is None:
        return "Pending."
    who, when = user(nomination.decided_by), moment(nomination.decided_at)
    reason = escape(nomination.reason or "")
    if nomination.state is State.APPROVED:
        override = f", overriding the gate: {reason}" if nomination.overridden else ""
        return f":white_check_mark: *Approved* by {who} {when}{override}."
    if nomination.state is State.REJECTED:
        return f":x: *Rejected* by {who} {when}: {reason}"
    return f":leftwards_arrow_with_hook: *Withdrawn* by {who} {when}."


def approvals_post(
    nomination: Nomination,
    gate: Gate,
    policy: PartnerPolicy,
    show_amounts: bool,
    currency: str = DEFAULT_CURRENCY,
) -> Message:
    """The approvals post: the framework, the gate and the votes, with Approve and Reject
    while pending; once decided or withdrawn, what happened in place of the buttons."""
    value = NominationRef(nomination_id=nomination.id)
    blocks: list[Block] = [
        header(f"Partner nomination: {nomination.company}"),
        section(
            f"*{escape(nomination.company)}*, nominated by {user(nomination.nominator)} "
            f"{moment(nomination.created_at)}.\n{summary(nomination)}."
        ),
        fields_section(
            [
                f"*Strategic segment*\n{_yes(nomination.strategic_segment)}",
                f"*Willingness to co-market*\n{nomination.co_market.value.capitalize()}",
                "*Opens a new industry*\n"
                + (
                    f"Yes: {escape(nomination.related_market or '')}"
                    if nomination.new_industry
                    else "No"
                ),
                f"*Alignment with the product vision*\n{nomination.vision.value.capitalize()}",
            ]
        ),
        section(f"*Rationale*\n{escape(nomination.rationale)}"),
        divider(),
        *gate_blocks(gate, show_amounts, currency),
    ]
    votes = _votes(nomination, policy)
    if votes is not None:
        blocks.append(votes)
    if nomination.pending:
        confirm = {
            "title": {"type": "plain_text", "text": "Approve the nomination?"},
            "text": {
                "type": "mrkdwn",
                # Not the name: a confirm's text holds 300 characters, an escaped name 400.
                "text": "Your approval counts at once"
                + ("." if gate.met else ", with the override reason you give next."),
            },
            "confirm": {"type": "plain_text", "text": "Approve"},
            "deny": {"type": "plain_text", "text": "Cancel"},
        }
        blocks.append(
            actions(
                NOMINATION_DECISION_BLOCK,
                button(
                    Action.NOMINATION_APPROVE, "Approve", value, style="primary", confirm=confirm
                ),
                button(Action.NOMINATION_REJECT, "Reject", value, style="danger"),
            )
        )
    else:
        blocks.append(section(outcome_line(nomination)))
    state = STATE_WORDS[nomination.state]
    return Message(f"Partner nomination: {escape(nomination.company)} ({state})", blocks)


def decision_dm(nomination: Nomination) -> Message:
    """To the nominator, once the approvers decided."""
    company = f"*{escape(nomination.company)}*"
    if nomination.state is State.APPROVED:
        text = f"Your nomination of {company} was approved. It is now a strategic partner."
    else:
        text = f"Your nomination of {company} was not approved; the account is marked declined."
    return Message(
        f"Your nomination of {escape(nomination.company)} was {STATE_WORDS[nomination.state]}",
        [section(text), context(outcome_line(nomination))],
    )


def _where(channel: str) -> str:
    """A channel set by ID as a link; one set by name as written."""
    return f"<#{channel}>" if re.match(SLACK_CHANNEL_PATTERN, channel) else escape(channel)


def nominated(nomination: Nomination, channel: str) -> Message:
    """The nominator's confirmation."""
    text = (
        f"Nominated *{escape(nomination.company)}*: the approvals post goes to "
        f"{_where(channel)}. `/strategic nominations` shows where it stands."
    )
    return Message(f"Nominated {escape(nomination.company)}", [section(text)])


def _list_line(nomination: Nomination) -> str:
    state = STATE_WORDS[nomination.state]
    line = (
        f"*{escape(nomination.company)}* · {state} · nominated by {user(nomination.nominator)} "
        f"on {day(nomination.created_at.date())}\n{summary(nomination)}"
    )
    return line if nomination.pending else f"{line}\n{outcome_line(nomination)}"


def list_block_id(nomination_id: int) -> str:
    return f"nomination_{nomination_id}"


def nominations_message(
    nominations: Sequence[Nomination], viewer: str, pending_only: bool
) -> Message:
    """`/strategic nominations`: each with its state; the viewer's own pending ones with a
    Withdraw button."""
    title = "Pending nominations" if pending_only else "Nominations"
    if not nominations:
        empty = "No nomination is pending." if pending_only else "No company was nominated yet."
        return Message(
            title, [header(title), section(f"{empty} `/strategic nominate` starts one.")]
        )
    blocks: list[Block] = [header(f"{title} ({len(nominations)})")]
    for nomination in nominations[:LIST_LIMIT]:
        block = section(_list_line(nomination))
        block["block_id"] = list_block_id(nomination.id)
        if nomination.pending and nomination.nominator == viewer:
            confirm = {
                "title": {"type": "plain_text", "text": "Withdraw the nomination?"},
                "text": {
                    "type": "mrkdwn",
                    "text": "The nomination will be withdrawn; the account goes back to prospect.",
                },
                "confirm": {"type": "plain_text", "text": "Withdraw"},
                "deny": {"type": "plain_text", "text": "Cancel"},
            }
            value = NominationRef(nomination_id=nomination.id)
            block["accessory"] = button(
                Action.NOMINATION_WITHDRAW, "Withdraw", value, confirm=confirm
            )
        blocks.append(block)
    if len(nominations) > LIST_LIMIT:
        blocks.append(context(f"…and {len(nominations) - LIST_LIMIT} more."))
    return Message(f"{title}: {len(nominations)}", blocks)


def withdrawn_in_list(blocks: list[Block], nomination: Nomination) -> list[Block]:
    """The list as clicked, its withdrawn line redrawn from the store, its button gone."""
    wanted = list_block_id(nomination.id)
    redrawn = section(_list_line(nomination))
    redrawn["block_id"] = wanted
    return [redrawn if b.get("block_id") == wanted else b for b in blocks]


def pending_section(nominations: Sequence[Nomination], today: date | None = None) -> list[Block]:
    """A short "Pending nominations" section: company, nominator and days pending (given
    `today`; else the day it was nominated), or a context line saying there are none."""
    if not nominations:
        return [context("*Pending nominations*: none.")]
    lines = []
    for nomination in nominations[:PENDING_LINES]:
        if today is None:
            since = f"since {day(nomination.created_at.date())}"
        else:
            days = nomination.days_pending(today)
            since = f"pending {days} day{'' if days == 1 else 's'}"
        lines.append(
            f"• *{escape(nomination.company)}*, nominated by {user(nomination.nominator)}, {since}"
        )
    if len(nominations) > PENDING_LINES:
        lines.append(f"…and {len(nominations) - PENDING_LINES} more (`/strategic nominations`)")
    return [section(f"*Pending nominations* ({len(nominations)})\n" + "\n".join(lines))]
