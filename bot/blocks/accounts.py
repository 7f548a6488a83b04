"""The account list, the account card and the add/edit modal."""

from __future__ import annotations

from slack_sdk.models.views import View

from bot.blocks.common import (
    DEFAULT_CURRENCY,
    MESSAGE_BLOCKS,
    NOT_SET,
    Block,
    Message,
    channel,
    context,
    day,
    divider,
    escape,
    fields_section,
    header,
    info_message,
    link,
    money,
    name,
    number,
    section,
    user,
)
from bot.blocks.forms import FieldSpec, Kind, form_modal, input_block
from bot.blocks.people import people_count_line
from bot.domain.accounts import Account, PartnerStatus
from bot.domain.people import PeopleCount
from bot.ids import AccountField, Callback
from bot.metadata import AccountForm

F = AccountField
ACCOUNT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(F.NAME, "Name", Kind.TEXT, optional=False, max_length=80),
    FieldSpec(
        F.TIER,
        "Size tier",
        Kind.CHOICE,
        optional=False,
        choices=(("1", "Tier 1"), ("2", "Tier 2"), ("3", "Tier 3")),
    ),
    FieldSpec(F.INDUSTRY, "Industry", Kind.TEXT, max_length=80),
    FieldSpec(F.LEAD_ENGINEER, "Lead engineer", Kind.USER),
    FieldSpec(F.TA_CE, "TA / CE", Kind.USER),
    FieldSpec(F.AE, "Account executive", Kind.USER),
    FieldSpec(F.EXEC_SPONSOR, "Exec sponsor", Kind.USER),
    FieldSpec(F.CHANNEL, "Account channel", Kind.CHANNEL),
    FieldSpec(F.CONTRACT_START, "Contract start", Kind.DATE),
    FieldSpec(F.CONTRACT_END, "Contract end (renewal date)", Kind.DATE),
    FieldSpec(F.PRODUCTION_START, "Production start", Kind.DATE),
    FieldSpec(F.LICENSED_SEATS, "Licensed seats", Kind.NUMBER),
    FieldSpec(F.AVAILABLE_DEVELOPERS, "Available developers", Kind.NUMBER),
    FieldSpec(F.ARR, "ARR (whole currency units)", Kind.NUMBER),
    FieldSpec(
        F.PARTNER_STATUS,
        "Partner status",
        Kind.CHOICE,
        optional=False,
        choices=tuple((s.value, s.value.capitalize()) for s in PartnerStatus),
    ),
    FieldSpec(F.SUCCESS_PLAN_URL, "Success plan link", Kind.URL),
)
LIST_LIMIT = MESSAGE_BLOCKS - 5


def account_modal(state: AccountForm, account: Account | None = None) -> View:
    """The add form, or the edit form prefilled with `account`."""
    initial = account.fields() if account else {"partner_status": PartnerStatus.PROSPECT.value}
    return form_modal(
        Callback.ACCOUNT_EDIT if account else Callback.ACCOUNT_ADD,
        "Edit account" if account else "Add account",
        state,
        [input_block(spec, initial.get(spec.block_id)) for spec in ACCOUNT_FIELDS],
    )


def account_list(accounts: list[Account]) -> Message:
    if not accounts:
        return Message(
            text="No strategic accounts yet.",
            blocks=[section("No strategic accounts yet. Add one with `/strategic account add`.")],
        )
    shown = accounts[:LIST_LIMIT]
    blocks: list[Block] = [header(f"Strategic accounts ({len(accounts)})")]
    blocks += [section(_list_line(a)) for a in shown]
    if len(accounts) > len(shown):
        blocks.append(
            context(f"…and {len(accounts) - len(shown)} more. Use `/strategic account show NAME`.")
        )
    return Message(text=f"{len(accounts)} strategic accounts", blocks=blocks)


def _list_line(account: Account) -> str:
    end = f" · renews {day(account.contract_end)}" if account.contract_end else ""
    return (
        f"*{name(account)}* · Tier {account.tier} · {account.partner_status.value}{end}\n"
        f"Lead {user(account.lead_engineer)} · TA/CE {user(account.ta_ce)} · AE {user(account.ae)}"
    )


def account_card(
    account: Account,
    show_sensitive: bool,
    plan: str | None = None,
    currency: str = DEFAULT_CURRENCY,
    needs: list[Block] | None = None,
    people: PeopleCount | None = None,
) -> Message:
    """One account; ARR (in the team's `currency`) only where the reader may see it.
    `plan`: its get-well plan line (mrkdwn, from `plan_line`); `needs`: its open needs
    with their rollouts (from `account_needs`)."""
    title = f"{account.name} (archived)" if account.archived else account.name
    owners = [f"*{role}*\n{user(uid)}" for role, uid in account.owners.items()]
    facts = [
        f"*Tier*\n{account.tier}",
        f"*Industry*\n{escape(account.industry or NOT_SET)}",
        f"*Partner status*\n{account.partner_status.value}",
        f"*Channel*\n{channel(account.channel)}",
        f"*Contract*\n{day(account.contract_start)} → {day(account.contract_end)}",
        f"*Production since*\n{day(account.production_start)}",
        f"*Licensed seats*\n{number(account.licensed_seats)}",
        f"*Available developers*\n{number(account.available_developers)}",
    ]
    if show_sensitive:
        facts.append(f"*ARR*\n{money(account.arr, currency)}")
    plan_link = (
        link(account.success_plan_url, "Success plan")
        if account.success_plan_url
        else "No success plan linked"
    )
    blocks = [
        header(title),
        fields_section(owners),
        fields_section(facts),
        divider(),
        context(plan_link),
    ]
    if plan:
        blocks.append(section(plan))
    if people is not None:  # its champions and advocates, counted (seed 002)
        blocks.append(context(f"{people_count_line(people)} · `/strategic people {name(account)}`"))
    blocks += needs or []
    return Message(
        text=f"{escape(title)}: tier {account.tier}, {account.partner_status.value}",
        blocks=blocks,
    )


def account_saved(account: Account, verb: str, currency: str = DEFAULT_CURRENCY) -> Message:
    """The modal's confirmation: the card as its owner sees it."""
    card = account_card(account, show_sensitive=True, currency=currency)
    return Message(text=f"{verb} {name(account)}.", blocks=card.blocks)


def account_archived(account: Account) -> Message:
    return info_message(
        f"Archived *{name(account)}*: it leaves the active list; its history stays."
    )
