"""Every sentence the bot says in an error or a refusal, in one place.

Services raise our errors with these; handlers show them as mrkdwn, in an ephemeral
message or a DM. So every name or other text a person typed is escaped here, as it is
interpolated; mentions and dates given in (`who`, `when`) are our own markup, kept.
"""

from __future__ import annotations

from enum import StrEnum

from bot.blocks.common import escape


class Act(StrEnum):
    """What a person does to an account; each has its own refusal."""

    CHANGE = "change it"
    ACKNOWLEDGE = "acknowledge this"
    MARK_JOURNEY = "mark its journey"
    DECIDE_RENEWAL = "decide"
    SEE_HISTORY = "see its history"
    ADD = "add an account"
    ARCHIVE = "archive an account"
    POST_UPDATE = "post the weekly update"
    EDIT_DRAFT = "edit the weekly update's draft"
    MANAGE_PEOPLE = "change its champions and advocates"
    RAISE_NEED = "raise a need"
    NEED_STATUS = "change a need's status"
    ROLLOUT = "plan or mark a rollout"


NEED_ACTS = frozenset({Act.RAISE_NEED, Act.NEED_STATUS, Act.ROLLOUT})
"""A customer need's acts (issue 15): the product owner takes them too, on any account."""


def not_allowed(account: str, act: Act) -> str:
    if act in (Act.ADD, Act.ARCHIVE):
        return f"Only a team admin can {act.value}; ask one of them to do it."
    if act in (Act.POST_UPDATE, Act.EDIT_DRAFT):
        return f"Only the EM or a team admin can {act.value}; ask one of them."
    account = escape(account)
    if act is Act.CHANGE:
        return (
            f"Only {account}'s owners or a team admin can change it; "
            "ask one of them, or an admin to add you as an owner."
        )
    if act is Act.DECIDE_RENEWAL:
        return f"Only {account}'s AE, its other owners or a team admin can decide."
    if act in NEED_ACTS:
        return (
            f"Only {account}'s owners, the product owner or a team admin can {act.value} "
            "there; nothing changed."
        )
    return f"Only {account}'s owners or a team admin can {act.value}."


ACCOUNT_GONE = "That account no longer exists."


def no_such_account(name: str, suggestions: list[str]) -> str:
    hint = " or ".join(f"*{escape(s)}*" for s in suggestions)
    hint = f" Did you mean {hint}?" if suggestions else ""
    return f"No account is named *{escape(name)}*.{hint} `/strategic account list` shows them all."


def name_taken(name: str, archived: bool) -> str:
    """Shown only under the modal's name field: plain text, which Slack does not parse, so
    the name stays as typed (escaped, `AT&T` would read `AT&amp;T`)."""
    return f"An account named {name}{' (archived)' if archived else ''} already exists."


def name_just_taken(name: str) -> str:
    """Shown only under the modal's name field, as typed: see `name_taken`."""
    return f"An account named {name} was just added by someone else."


def already_archived(account: str) -> str:
    return f"{escape(account)} is already archived; nothing changed."


def archived_has_no_health(account: str) -> str:
    return f"{escape(account)} is archived; it has no health score."


def archived_no_update(account: str) -> str:
    return f"{escape(account)} is archived; write about an active account, or Team-wide."


def not_a_week(typed: str, why: str, usage: str) -> str:
    return f"`{escape(typed)}` is not a week: {why}.\nUsage: `{usage}`"


def alert_out_of_date(account: str, status: str) -> str:
    return f"This alert is out of date: {escape(account)} is now {status}."


def already_acknowledged(user_mention: str) -> str:
    return f"{user_mention} already acknowledged this alert; nothing changed."


def no_journey(account: str, why: str) -> str:
    account = escape(account)
    return (
        f"{account} has no journey yet: {why}. `/strategic account edit "
        f"{account}` sets the contract dates."
    )


def contract_changed_nothing_marked(account: str) -> str:
    return f"{escape(account)}'s contract has changed since; nothing was marked."


def not_on_journey(activity: str, account: str) -> str:
    """`activity` comes from a button's value: forgeable, so escaped like the name."""
    return f"{escape(activity)} is not on {escape(account)}'s journey; nothing was marked."


def already_done(who: str) -> str:
    return f"{who} already marked this done; nothing changed."


def already_decided(account: str, outcome: str, who: str, when: str) -> str:
    return (
        f"{escape(account)}'s renewal was already decided by {who} {when}: {outcome}; "
        "nothing changed."
    )


def contract_already_ends(account: str, end: str) -> str:
    return f"{escape(account)}'s contract already ends on {end}; nothing changed."


def nothing_recorded(problems: list[str], usage: str) -> str:
    """A command's input refused: every problem, then the exact usage.

    A problem may echo what was typed (an account name, a value): escaped."""
    listed = "\n".join(f"• {escape(p)}" for p in problems)
    return f"Nothing recorded:\n{listed}\nUsage: `{usage}`"


def days_out_of_range(usage: str) -> str:
    return f"DAYS is a number of days, 1 to 3650.\n`{usage}`"


IARR_GONE = "That iARR entry is no longer recorded; nothing changed."
PERSON_GONE = "That person is no longer listed; nothing changed."
INITIATIVE_GONE = "That initiative no longer exists; nothing changed."


def not_initiative_owner(owner: str) -> str:
    """`owner` is a validated user ID, mentioned."""
    return f"Only <@{owner}>, who owns this initiative, or a team admin can change its status."


def initiative_already(title: str, status: str) -> str:
    return f"{escape(title)} is already {status}; nothing changed."


def not_allowed_undo(account: str, recorder: str) -> str:
    return (
        f"Only {escape(account)}'s owners, <@{recorder}> who recorded it, or a team admin "
        "can undo it."
    )


SNOOZE_PAST = "That snooze time has passed; nothing changed. Choose 1 hour instead."


def away_past(day: str) -> str:
    return f"{day} is in the past; say the last day you are away, today or later."


MALFORMED_REQUEST = "This request is incomplete; nothing was read or changed."
REPLAYED = "This request was already handled; nothing changed."
FORM_OUT_OF_DATE = "This form is out of date; close it and open it again."
BUTTON_OUT_OF_DATE = "This button is out of date; nothing changed."


def already_posted(week: str) -> str:
    return f"The weekly update of {week} is already posted; it was not posted again."


def went_wrong(reference: str) -> str:
    """An error of ours, not the person's: the reference finds it in the log."""
    return (
        f"Something went wrong on our side (reference {reference}). "
        "Nothing was changed; try again."
    )


def not_an_approver(approvers: list[str], usergroup: str | None) -> str:
    """Who decides nominations: `[partners] approvers` and the members of its user group."""
    named = [f"<@{a}>" for a in approvers]
    if usergroup:
        named.append(f"the members of <!subteam^{usergroup}>")
    if not named:
        return (
            "Only the partner approvers can decide a nomination, and none are set: an admin "
            "sets `[partners] approvers` or `approver_usergroup`."
        )
    return f"Only the partner approvers can decide a nomination: {', '.join(named)}."


NOMINATION_GONE = "That nomination no longer exists; nothing changed."


def own_nomination(company: str) -> str:
    return (
        f"You nominated {escape(company)}, so another approver decides it; nothing changed."
    )


def nomination_closed(company: str, outcome: str, who: str, when: str) -> str:
    """`outcome`: approved, rejected or withdrawn; `who` and `when` our own markup."""
    return f"{escape(company)}'s nomination was already {outcome} by {who} {when}; nothing changed."


def only_nominator_withdraws(company: str, nominator: str) -> str:
    return f"Only <@{nominator}>, who nominated {escape(company)}, can withdraw it."


def already_partner(company: str) -> str:
    """Shown under the modal's company field (plain text there, unescaped by the form)."""
    return f"{escape(company)} is already a strategic partner; nothing to nominate."


def already_nominated(company: str) -> str:
    return (
        f"{escape(company)} already has a pending nomination; "
        "`/strategic nominations` shows it."
    )


def archived_nominee(company: str) -> str:
    return f"{escape(company)} is an archived account; an admin restores it before a nomination."


def nominations_which(usage: str) -> str:
    return f"Say `pending` or `all`, or nothing for pending.\nUsage: `{usage}`"


def unknown_quarter(typed: str, usage: str, known: list[str]) -> str:
    """A quarter that does not exist (`FY22-Q5`), with the usage and the quarters known."""
    listed = ", ".join(known) if known else "none yet"
    return (
        f"`{escape(typed)}` is not a fiscal quarter: write it like FY27-Q4 (Q1 to Q4).\n"
        f"Quarters with OKRs: {escape(listed)}.\nUsage: `{usage}`"
    )


def unknown_team(typed: str, quarter: str, usage: str, known: list[str]) -> str:
    listed = ", ".join(known)
    return (
        f"No team is named *{escape(typed)}* in {quarter}. Teams: {escape(listed)}.\n"
        f"Usage: `{usage}`"
    )


def not_a_key_result_ref(typed: str, usage: str) -> str:
    return (
        f"`{escape(typed)}` is not a key result's number; `/strategic okr` shows each one's "
        f"(like #12).\nUsage: `{usage}`"
    )


def no_such_key_result(number: int) -> str:
    return f"No key result is numbered #{number}. `/strategic okr` lists them with their numbers."


KEY_RESULT_GONE = "That key result no longer exists; nothing changed."
ONLY_ADMINS_ADD_KEY_RESULTS = "Only a team admin can add a key result; ask one of them to do it."


def not_key_result_owner(owner: str) -> str:
    """`owner` is a validated user ID, mentioned."""
    return f"Only <@{owner}>, who owns this key result, or a team admin can check in on it."


def measured_takes_no_checkin(title: str) -> str:
    return f"{escape(title)} is measured by the bot as of today; it takes no check-ins."


def key_result_exists(title: str, objective: str) -> str:
    """Shown under the modal's title field (plain text there, unescaped by the form)."""
    return f"{escape(objective)} already has a key result named {escape(title)}."


NEED_GONE = "That need no longer exists; nothing changed."


def need_not_of(account: str) -> str:
    """A button or form naming a need of another account than its own: forged or stale."""
    return f"That need is not one of {escape(account)}'s; nothing changed."


def status_unchanged(status: str) -> str:
    return f"The need is already {escape(status)}; nothing changed."


def step_not_planned(step: str) -> str:
    """`step` comes from a button's value: forgeable, so escaped."""
    return f"The rollout has no {escape(step)} step any more; nothing was marked."


def step_already_done(step: str, who: str, when: str) -> str:
    return f"{who} already marked the {escape(step)} done {when}; nothing changed."
