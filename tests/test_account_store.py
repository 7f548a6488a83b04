"""Accounts in the real store: imports all or nothing and idempotent, unique names under races."""

from __future__ import annotations

import asyncio

import pytest

from bot.deps import Deps
from bot.domain.account_csv import parse_accounts_csv
from bot.errors import FieldErrors, RowsRejected
from bot.services.account_import import import_accounts
from bot.services.accounts import create_account, get_account, list_accounts
from storage.accounts import audit_trail
from tests.factories import draft, make_account

FILE = "name,tier,ae,licensed_seats,arr\nAcme Corp,1,U0AE,5000,100\nGlobex,2,,300,\n"


async def test_import_then_reimport_changes_nothing(deps: Deps) -> None:
    first = await import_accounts(deps, parse_accounts_csv(FILE), "U0ME")
    again = await import_accounts(deps, parse_accounts_csv(FILE), "U0ME")

    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    acme = await get_account(deps, "acme corp")
    async with deps.db.session() as session:
        assert [e.action for e in await audit_trail(session, acme.id)] == ["account.import"]


async def test_import_updates_only_the_columns_in_the_file(deps: Deps) -> None:
    await make_account(deps)  # Acme Corp, with owners, contract and ARR 1,200,000
    report = await import_accounts(
        deps, parse_accounts_csv("name,tier,licensed_seats\nACME corp,2,7000\n"), "U0ME"
    )
    assert (report.created, report.updated) == (0, 1)
    acme = await get_account(deps, "Acme Corp")
    assert (acme.tier, acme.licensed_seats, acme.arr, acme.ae) == (2, 7000, 1200000, "U0AE")


async def test_one_bad_row_writes_nothing(deps: Deps) -> None:
    parsed = parse_accounts_csv(FILE + "Initech,3,,many,\n")
    with pytest.raises(RowsRejected) as caught:
        await import_accounts(deps, parsed, "U0ME")
    assert [str(e) for e in caught.value.errors] == [
        "line 4: licensed_seats: must be a whole number"
    ]
    assert await list_accounts(deps) == []


async def test_two_people_adding_the_same_name_at_once(deps: Deps) -> None:
    results = await asyncio.gather(
        create_account(deps, draft(name="Umbrella"), "U0ONE"),
        create_account(deps, draft(name="UMBRELLA"), "U0TWO"),
        return_exceptions=True,
    )
    errors = [r for r in results if isinstance(r, FieldErrors)]
    assert len(errors) == 1 and "name" in errors[0].errors
    assert [a.name for a in await list_accounts(deps)] in (["Umbrella"], ["UMBRELLA"])
