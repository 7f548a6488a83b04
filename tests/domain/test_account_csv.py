"""The accounts CSV: every bad row reported with its line, nothing accepted beside them."""

from __future__ import annotations

from bot.domain.account_csv import parse_accounts_csv

HEADER = "name,tier,licensed_seats,contract_start,contract_end\n"


def test_good_file_parses_every_row_with_its_line() -> None:
    parsed = parse_accounts_csv(HEADER + "Acme,1,100,2026-01-01,2026-12-31\n\nGlobex,2,,,\n")
    assert parsed.errors == []
    assert [(line, draft.name) for line, draft in parsed.rows] == [(2, "Acme"), (4, "Globex")]


def test_bad_rows_are_each_reported_with_line_and_reason() -> None:
    parsed = parse_accounts_csv(
        HEADER
        + "Acme,1,100,2026-01-01,2026-12-31\n"
        + "Globex,2,lots,,\n"
        + "Initech,3,5,2026-02-30,\n"
        + "ACME ,1,1,,\n"
    )
    assert [str(e) for e in parsed.errors] == [
        "line 3: licensed_seats: must be a whole number",
        "line 4: contract_start: 2026-02-30: February 2026 has no day 30",
        "line 5: name: ACME is already on line 2",
    ]


def test_missing_and_unknown_columns_are_refused_at_the_header() -> None:
    parsed = parse_accounts_csv("name,seats\nAcme,5\n")
    assert parsed.rows == []
    assert [str(e) for e in parsed.errors] == [
        "line 1: missing column 'tier'",
        "line 1: unknown column(s) 'seats'; the columns are "
        + ", ".join(
            [
                "name",
                "tier",
                "industry",
                "lead_engineer",
                "ta_ce",
                "ae",
                "exec_sponsor",
                "channel",
                "contract_start",
                "contract_end",
                "production_start",
                "licensed_seats",
                "available_developers",
                "arr",
                "partner_status",
                "success_plan_url",
            ]
        ),
    ]


def test_empty_file_and_extra_cells() -> None:
    assert [str(e) for e in parse_accounts_csv("").errors] == [
        "line 1: the file is empty; the first line must name the columns"
    ]
    parsed = parse_accounts_csv("name,tier\nAcme,1,extra\n")
    assert [str(e) for e in parsed.errors] == ["line 2: has more cells than the 2 columns"]


def test_quoted_multiline_cell_keeps_file_line_numbers() -> None:
    parsed = parse_accounts_csv('name,tier,industry\n"Acme",1,"Multi\nline"\nGlobex,x,\n')
    assert [str(e) for e in parsed.errors] == ["line 4: tier: must be a whole number"]
