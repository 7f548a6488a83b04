"""Champions and advocates per account (seed 002): listed by anyone on the team, added
and removed by the account's owners and admins, each change audited on the account."""

from __future__ import annotations

from bot.blocks import phrases
from bot.blocks.phrases import Act
from bot.deps import Deps
from bot.domain.accounts import Account
from bot.domain.people import PeopleCount, Person, PersonDraft
from bot.errors import NotFound
from bot.services.guard import account_named, authorized
from bot.services.replays import once
from storage import accounts as account_store
from storage import people as store


async def people_of(deps: Deps, name: str) -> tuple[Account, list[Person]]:
    """`/strategic people ACCOUNT`: the account (NotFound, with close names) and its people."""
    async with deps.db.session() as session:
        account = await account_named(session, name)
        return account, await store.of_account(session, account.id)


async def check_may_manage(deps: Deps, account_id: int, actor: str) -> Account:
    """Refused before the Add modal opens (and before its fields are read at submit), so
    an outsider learns nothing; `add_person` checks again in its own transaction."""
    async with deps.db.session() as session:
        return await authorized(session, deps.settings, account_id, actor, Act.MANAGE_PEOPLE)


async def add_person(
    deps: Deps, account_id: int, draft: PersonDraft, actor: str
) -> tuple[Account, list[Person]]:
    """The person added (audited on the account); the account and its people after."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        account = await authorized(session, deps.settings, account_id, actor, Act.MANAGE_PEOPLE)
        person = await store.add(session, account_id, draft, actor, at)
        changes = {person.kind.value: [None, _described(person)]}
        account_store.audit(session, account_id, "people.add", actor, at, changes)
        return account, await store.of_account(session, account_id)


async def remove_person(deps: Deps, person_id: int, actor: str) -> tuple[Account, list[Person]]:
    """The person taken off their account's list (audited); a second click finds them gone."""
    at = deps.clock()
    async with deps.db.session() as session:
        await once(session, deps)
        person = await store.get(session, person_id)
        if person is None:
            raise NotFound(phrases.PERSON_GONE)
        account = await authorized(
            session, deps.settings, person.account_id, actor, Act.MANAGE_PEOPLE
        )
        await store.remove(session, person_id)
        changes = {person.kind.value: [_described(person), None]}
        account_store.audit(session, account.id, "people.remove", actor, at, changes)
        return account, await store.of_account(session, account.id)


def _described(person: Person) -> str:
    """The person as the history shows them: name, role and how to reach them."""
    parts = [person.name, person.role, person.slack_user and f"<@{person.slack_user}>"]
    return " · ".join(p for p in [*parts, person.email] if p)


async def people_count(deps: Deps, account_id: int | None = None) -> PeopleCount:
    """Champions and advocates of one account, or of the whole active portfolio (None)."""
    async with deps.db.session() as session:
        return await store.counts(session, account_id)
