"""Customer needs (issue 15): the need and rollout modals, a need's card with its status
menu and rollout buttons, the open needs by priority, the status change told in the
account's channel, and the lines the account card, the weekly post and the App Home show."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from slack_sdk.models.views import View

from bot.blocks.common import (
    MESSAGE_BLOCKS,
    OPTION_LIMIT,
    Block,
    Message,
    actions,
    button,
    clip,
    context,
    day,
    escape,
    header,
    link,
    name,
    section,
    sections,
    user,
)
from bot.blocks.forms import FieldSpec, Kind, form_modal, input_block
from bot.domain.accounts import Account
from bot.domain.needs import (
    MAX_SUMMARY,
    Need,
    NeedKind,
    NeedsSummary,
    NeedStatus,
    Priority,
    RolloutStep,
)
from bot.ids import Action, Callback, NeedField, RolloutField
from bot.metadata import NeedForm, NeedRef, NeedStatusChoice, RolloutForm, StepDone

NEED_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        NeedField.KIND,
        "Kind",
        Kind.CHOICE,
        optional=False,
        choices=tuple((k.value, k.value.capitalize()) for k in NeedKind),
    ),
    FieldSpec(
        NeedField.SUMMARY,
        "Summary",
        Kind.TEXT,
        optional=False,
        max_length=MAX_SUMMARY,
        hint="What the customer needs, in a sentence.",
    ),
    FieldSpec(
        NeedField.LINK,
        "Link",
        Kind.URL,
        optional=False,
        hint="The tracking issue: an http:// or https:// URL.",
    ),
    FieldSpec(
        NeedField.PRIORITY,
        "Priority",
        Kind.CHOICE,
        optional=False,
        choices=tuple((p.value, p.value.capitalize()) for p in Priority),
    ),
)
ROLLOUT_FIELDS: tuple[FieldSpec, ...] = tuple(
    FieldSpec(field, field.value.capitalize(), Kind.DATE) for field in RolloutField
)
PRIORITY_ICON = {
    Priority.HIGH: ":red_circle:",
    Priority.MEDIUM: ":large_yellow_circle:",
    Priority.LOW: ":white_circle:",
}
NEEDS_SHOWN = 12
"""Cards in one answer: each is three blocks at most, under Slack's 50."""
LINES_SHOWN = 10
"""Accounts, and overdue steps, listed in the weekly post and on the App Home."""


def need_modal(account: Account, state: NeedForm) -> View:
    initial = {NeedField.KIND: NeedKind.NEED.value, NeedField.PRIORITY: Priority.MEDIUM.value}
    return form_modal(
        Callback.NEED,
        "Customer need",
        state,
        [
            section(f"*{name(account)}*"),
            *(input_block(spec, initial.get(NeedField(spec.block_id))) for spec in NEED_FIELDS),
        ],
    )


def rollout_modal(account: Account, need: Need, state: RolloutForm) -> View:
    """The rollout's steps, each dated or left out; prefilled with the dates it has."""
    dates = {s.step.value: s.due.isoformat() for s in need.steps}
    return form_modal(
        Callback.ROLLOUT,
        "Rollout",
        state,
        [
            section(f"*{name(account)}*: {escape(need.summary)}"),
            context("Date the steps this rollout has; each on or after the one before it."),
            *(input_block(spec, dates.get(spec.block_id)) for spec in ROLLOUT_FIELDS),
        ],
    )


def _kind(need: Need) -> str:
    return need.kind.value.capitalize()


def need_line(need: Need) -> str:
    """The need in one line of mrkdwn: priority, kind, summary, its tracking issue, status."""
    return (
        f"{PRIORITY_ICON[need.priority]} *{_kind(need)}* ({need.priority.value}): "
        f"{escape(need.summary)} · {link(need.link, 'tracking issue')} · _{need.status.value}_"
    )


def _step_text(step: RolloutStep, today: date) -> str:
    if step.done:
        return f":white_check_mark: {step.step.value} {day(step.due)}"
    late = " *overdue*" if step.overdue(today) else ""
    return f"{step.step.value} {day(step.due)}{late}"


def steps_line(need: Need, today: date) -> str | None:
    """The rollout's steps in order, done ones ticked, overdue ones flagged; None: no rollout."""
    if not need.steps:
        return None
    return "Rollout: " + " → ".join(_step_text(s, today) for s in need.steps)


def _status_menu(need: Need) -> Block:
    options = [
        {
            "text": {"type": "plain_text", "text": clip(s.value.capitalize(), OPTION_LIMIT)},
            "value": NeedStatusChoice(
                account_id=need.account_id, need_id=need.id, status=s
            ).model_dump_json(),
        }
        for s in NeedStatus
    ]
    current = next(o for o, s in zip(options, NeedStatus, strict=True) if s is need.status)
    return {
        "type": "static_select",
        "action_id": Action.NEED_STATUS,
        "placeholder": {"type": "plain_text", "text": "Status"},
        "options": options,
        "initial_option": current,
    }


def _block_ids(need_id: int) -> tuple[str, str, str]:
    return f"need:{need_id}", f"need_steps:{need_id}", f"need_actions:{need_id}"


def need_blocks(account: Account, need: Need, today: date) -> list[Block]:
    """A need's card: its account and line, its rollout, and its status menu, rollout
    button and the Done button of the first step not done."""
    card, steps, controls = _block_ids(need.id)
    blocks: list[Block] = [section(f"*{name(account)}* · {need_line(need)}") | {"block_id": card}]
    rollout = steps_line(need, today)
    if rollout:
        blocks.append(context(rollout) | {"block_id": steps})
    ref = NeedRef(account_id=need.account_id, need_id=need.id)
    elements = [
        _status_menu(need),
        button(Action.ROLLOUT_OPEN, "Edit rollout" if need.steps else "Plan rollout", ref),
    ]
    upcoming = next((s for s in need.steps if not s.done), None)
    if upcoming is not None:  # one Done button, the next step's: an action id once a block
        value = StepDone(account_id=need.account_id, need_id=need.id, step=upcoming.step)
        elements.append(button(Action.STEP_DONE, f"{upcoming.step.value.capitalize()} done", value))
    blocks.append(actions(controls, *elements))
    return blocks


def need_card(account: Account, need: Need, today: date, said: str) -> Message:
    """One need, as its raising or its rollout's confirmation: `said` first."""
    blocks = [section(said), *need_blocks(account, need, today)]
    return Message(f"{said} {name(account)}: {escape(need.summary)}", blocks)


def need_raised(account: Account, need: Need, today: date) -> Message:
    return need_card(account, need, today, f"Raised a {need.kind.value} on *{name(account)}*.")


def rollout_saved(account: Account, need: Need, today: date) -> Message:
    return need_card(account, need, today, f"Rollout saved for *{name(account)}*.")


def need_redrawn(blocks: list[Block], account: Account, need: Need, today: date) -> list[Block]:
    """The clicked message with this need's card drawn again in place (its status, its
    steps, its buttons), every other block as it was."""
    own = set(_block_ids(need.id))
    redrawn: list[Block] = []
    drawn = False
    for block in blocks:
        if block.get("block_id") not in own:
            redrawn.append(block)
        elif not drawn:
            redrawn += need_blocks(account, need, today)
            drawn = True
    return redrawn


def needs_message(
    needs: list[Need], accounts: Mapping[int, Account], today: date, one: Account | None
) -> Message:
    """The open needs by priority (`needs` in that order): of `one` account, or of all."""
    title = f"Open needs of {one.name}" if one else "Open needs"
    if not needs:
        where = f" on {name(one)}" if one else ""
        hint = f"`/strategic need {name(one) if one else 'ACCOUNT'}` raises one."
        said = f"No open needs{where}. {hint}"
        return Message(said, [section(said)])
    blocks: list[Block] = [header(f"{title} ({len(needs)})")]
    for need in needs[:NEEDS_SHOWN]:
        blocks += need_blocks(accounts[need.account_id], need, today)
    if len(needs) > NEEDS_SHOWN:
        blocks.append(context(f"…and {len(needs) - NEEDS_SHOWN} more, lower in priority."))
    assert len(blocks) <= MESSAGE_BLOCKS
    where = f" of {name(one)}" if one else ""
    return Message(f"{len(needs)} open needs{where}", blocks)


def status_changed(account: Account, need: Need, before: NeedStatus, actor: str) -> Message:
    """To the account's channel: its owners hear of the change, to tell the customer back."""
    owners = sorted({uid for uid in account.owners.values() if uid})
    told = " ".join(user(uid) for uid in owners)
    said = (
        f"*{name(account)}*'s {need.kind.value} is now *{need.status.value}* (was "
        f"{before.value}), by {user(actor)}: {escape(need.summary)} · "
        f"{link(need.link, 'tracking issue')}"
    )
    ask = f"{told}: tell the customer back." if told else "Tell the customer back."
    return Message(
        f"{name(account)}: {escape(need.summary)} is now {need.status.value}",
        [section(said), context(ask)],
    )


def account_needs(account: Account, summary: NeedsSummary, today: date) -> list[Block]:
    """The account card's needs: the open count, the top ones with their rollouts, in as
    many sections as they take (a link is never clipped in half)."""
    lines = []
    for need in summary.top:
        rollout = steps_line(need, today)
        lines.append(f"• {need_line(need)}" + (f"\n      {rollout}" if rollout else ""))
    more = summary.open_count - len(summary.top)
    if more > 0:
        lines.append(f"…and {more} more: `/strategic needs {name(account)}`")
    return sections(f"*Open needs* ({summary.open_count})", lines)


def portfolio_needs(
    summaries: Mapping[int, NeedsSummary],
    accounts: Mapping[int, Account],
    overdue: list[tuple[Need, RolloutStep]] | None = None,
) -> list[Block]:
    """Each account's open count and top needs (the weekly post, the App Home), the most
    first, and the rollout steps overdue; nothing when no account has an open need."""
    rows = [(accounts[a], s) for a, s in summaries.items() if a in accounts]
    late = [(n, s) for n, s in overdue or [] if n.account_id in accounts]
    if not rows and not late:
        return []
    rows.sort(key=lambda row: (-row[1].open_count, row[0].name.casefold()))
    total = sum(s.open_count for _, s in rows)
    lines = []
    for account, summary in rows[:LINES_SHOWN]:
        top = "; ".join(
            f"{PRIORITY_ICON[n.priority]} {escape(n.summary)} (_{n.status.value}_)"
            for n in summary.top
        )
        lines.append(f"• *{name(account)}* ({summary.open_count} open): {top}")
    if len(rows) > LINES_SHOWN:
        more = len(rows) - LINES_SHOWN
        lines.append(f"…and {more} more account{_s(more)}: `/strategic needs`")
    for need, step in late[:LINES_SHOWN]:
        lines.append(
            f":warning: *{name(accounts[need.account_id])}*: the {step.step.value} of "
            f"{escape(need.summary)} was due {day(step.due)} and is not done"
        )
    if len(late) > LINES_SHOWN:
        more = len(late) - LINES_SHOWN
        lines.append(f"…and {more} more overdue step{_s(more)}")
    heading = f"*Customer needs*: {total} open on {len(rows)} account{_s(len(rows))}"
    if late:
        heading += f" · :warning: {len(late)} rollout step{_s(len(late))} overdue"
    return sections(heading, lines)


def _s(count: int) -> str:
    return "" if count == 1 else "s"
