"""Account validation, name matching and the audit diff: pure rules."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.accounts import (
    AccountDraft,
    PartnerStatus,
    changed_fields,
    close_names,
    name_key,
    validate_draft,
)

VALID = {"name": "Acme Corp", "tier": "1"}


def test_minimal_draft_defaults_to_prospect() -> None:
    draft = validate_draft(VALID)
    assert isinstance(draft, AccountDraft)
    assert draft.partner_status is PartnerStatus.PROSPECT and draft.licensed_seats is None


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"name": "  "}, "name", "is required"),
        ({"name": "x" * 81}, "name", "at most 80"),
        ({"tier": "4"}, "tier", "must be at most 3"),
        ({"tier": "0"}, "tier", "must be at least 1"),
        ({"tier": "one"}, "tier", "whole number"),
        ({"licensed_seats": "-1"}, "licensed_seats", "must not be negative"),
        ({"licensed_seats": "12.5"}, "licensed_seats", "whole number"),
        ({"arr": "-100"}, "arr", "must not be negative"),
        ({"licensed_seats": True}, "licensed_seats", "not true or false"),
        ({"contract_start": "2026-13-01"}, "contract_start", "YYYY-MM-DD"),
        ({"lead_engineer": "alice"}, "lead_engineer", "Slack user ID"),
        ({"channel": "#general"}, "channel", "Slack channel ID"),
        ({"partner_status": "friend"}, "partner_status", "prospect, nominated"),
        ({"success_plan_url": "ftp://x"}, "success_plan_url", "http"),
        ({"colour": "red"}, "colour", "not a field"),
    ],
)
def test_each_bad_field_is_named_with_a_plain_reason(
    change: dict[str, object], field: str, words: str
) -> None:
    errors = validate_draft(VALID | change)
    assert isinstance(errors, dict)
    assert list(errors) == [field]
    assert words in errors[field]


def test_figures_go_up_to_what_their_columns_hold_and_no_further() -> None:
    largest = {"licensed_seats": 2**31 - 1, "available_developers": 2**31 - 1, "arr": 10**12}
    assert isinstance(validate_draft(VALID | largest), AccountDraft)
    for field, value in largest.items():
        too_large = validate_draft(VALID | largest | {field: str(value + 1)})
        assert too_large == {field: f"must be at most {value:,}"}


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        ("2026-02-01", "2027-01-31", True),
        ("2026-02-01", "2026-02-01", False),
        ("2026-02-01", "2026-01-31", False),
    ],
)
def test_contract_must_end_after_it_starts(start: str, end: str, ok: bool) -> None:
    result = validate_draft(VALID | {"contract_start": start, "contract_end": end})
    if ok:
        assert isinstance(result, AccountDraft)
    else:
        assert result == {"contract_end": "the contract must end after it starts"}


def test_blank_cells_mean_not_given() -> None:
    draft = validate_draft(VALID | {"industry": "", "licensed_seats": " ", "contract_end": ""})
    assert isinstance(draft, AccountDraft)
    assert (draft.industry, draft.licensed_seats, draft.contract_end) == (None, None, None)


def test_names_match_ignoring_case_and_spacing() -> None:
    assert name_key(" ACME   corp ") == name_key("Acme Corp")


def test_close_names_suggest_typos_and_prefixes() -> None:
    names = ["Acme Corp", "Globex", "Initech", "Acme Industries"]
    assert close_names("acme crop", names)[0] == "Acme Corp"
    assert set(close_names("acme", names)) == {"Acme Corp", "Acme Industries"}
    assert close_names("zzz", names) == []


def test_changed_fields_records_old_and_new_in_json_friendly_form() -> None:
    before = {"tier": 1, "contract_end": date(2027, 1, 31), "industry": "Retail"}
    after = {"tier": 2, "contract_end": date(2027, 1, 31), "industry": None}
    assert changed_fields(before, after) == {"tier": [1, 2], "industry": ["Retail", None]}
