"""Rows for tests, made through the same service the app uses."""

from __future__ import annotations

from typing import Any

from bot.deps import Deps
from bot.domain.accounts import Account, AccountDraft
from bot.services.accounts import create_account


def draft(**overrides: Any) -> AccountDraft:
    fields: dict[str, Any] = {
        "name": "Acme Corp",
        "tier": 1,
        "industry": "Manufacturing",
        "lead_engineer": "U0LEAD",
        "ta_ce": "U0TACE",
        "ae": "U0AE",
        "exec_sponsor": "U0EXEC",
        "channel": "C0ACME",
        "contract_start": "2026-02-01",
        "contract_end": "2027-01-31",
        "production_start": "2026-03-01",
        "licensed_seats": 5000,
        "available_developers": 6000,
        "arr": 1200000,
        "partner_status": "partner",
        "success_plan_url": "https://example.com/acme-plan",
    }
    return AccountDraft.model_validate(fields | overrides)


async def make_account(deps: Deps, **overrides: Any) -> Account:
    """Added by an admin: once a team names admins, only they add accounts."""
    actor = next(iter(deps.settings.team.admins), "U0SETUP")
    return await create_account(deps, draft(**overrides), actor=actor)
