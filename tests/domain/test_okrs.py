"""OKRs on plain data: quarters on the fiscal calendar, the file's located errors, progress
and status, and the key results the bot measures."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from bot.domain.fiscal import fiscal_quarter
from bot.domain.health import Status as Health
from bot.domain.okrs import (
    AccountFacts,
    CheckinDraft,
    KeyResult,
    Measure,
    MeasureFacts,
    OkrFile,
    Status,
    as_number,
    bound,
    is_quarter_end,
    judge,
    measured_key_results,
    parse_key_result_ref,
    parse_quarter,
    progress,
    quarter_elapsed,
    read,
    split_okr_args,
    validate_checkin,
    validate_new_key_result,
    validate_okr_file,
)


def test_quarters_by_name_follow_the_fiscal_calendar_of_seed_004() -> None:
    q2 = parse_quarter("FY22-Q2")
    assert q2 is not None and (q2.start, q2.end) == (date(2021, 5, 1), date(2021, 7, 31))
    q4 = parse_quarter("fy27-q4")
    assert q4 is not None and (q4.start, q4.end) == (date(2026, 11, 1), date(2027, 1, 31))
    january = parse_quarter("FY22-Q1", start_month=1)
    assert january is not None and (january.start, january.end) == (
        date(2022, 1, 1),
        date(2022, 3, 31),
    )


@pytest.mark.parametrize("typed", ["FY22-Q5", "FY22-Q0", "FY2022-Q1", "Q2", "FY22Q2", ""])
def test_a_quarter_that_does_not_exist_is_none(typed: str) -> None:
    assert parse_quarter(typed) is None


@pytest.mark.parametrize("start_month", range(1, 13))
def test_every_quarter_name_reads_back_as_itself_and_contains_its_days(start_month: int) -> None:
    for quarter in range(1, 5):
        found = parse_quarter(f"FY27-Q{quarter}", start_month)
        assert found is not None and found.label == f"FY27-Q{quarter}"
        assert fiscal_quarter(found.end, start_month) == found
        assert is_quarter_end(found.end, start_month)
        assert not is_quarter_end(found.start, start_month)


def test_the_command_reads_a_trailing_quarter_and_a_team_with_spaces() -> None:
    assert split_okr_args("") == (None, None)
    assert split_okr_args("FY22-Q5") == (None, "FY22-Q5")
    assert split_okr_args("Customer Engineering fy22-q2") == ("Customer Engineering", "fy22-q2")
    assert split_okr_args("Sales") == ("Sales", None)
    assert split_okr_args("FY27-Q4 Customer Engineering") == ("Customer Engineering", "FY27-Q4")


def test_numbers_as_people_write_them_and_not_booleans() -> None:
    assert as_number("1,000") == 1000.0 and as_number(" 3.5 ") == 3.5 and as_number(7) == 7.0
    for bad in (True, "lots", "1_000", "nan", "inf", None, [1]):
        assert as_number(bad) is None, bad


def test_progress_counts_from_start_to_target_either_way_clipped() -> None:
    assert progress(0, 100, 40) == 0.4
    assert progress(10, 5, 7.5) == 0.5  # fewer incidents: counts down
    assert progress(0, 100, 150) == 1.0 and progress(0, 100, -5) == 0.0
    assert progress(5, 5, 5) == 1.0 and progress(5, 5, 4) == 0.0
    assert progress(0, None, 5) is None and progress(0, 100, None) is None


def test_status_by_progress_against_the_quarters_time() -> None:
    assert judge(1.0, 0.1) is Status.DONE
    assert judge(0.45, 0.5) is Status.ON_TRACK
    assert judge(0.35, 0.5) is Status.AT_RISK
    assert judge(0.1, 0.5) is Status.OFF_TRACK
    assert judge(None, 0.5) is None
    quarter = fiscal_quarter(date(2026, 11, 1))
    assert quarter_elapsed(quarter, date(2026, 10, 1)) == 0.0
    assert quarter_elapsed(quarter, quarter.end) == 1.0
    assert 0.49 < quarter_elapsed(quarter, date(2026, 12, 16)) < 0.51


def _facts(**overrides: Any) -> MeasureFacts:
    accounts = [
        AccountFacts(True, Health.GREEN, False),
        AccountFacts(True, Health.RED, True),
        AccountFacts(False, Health.RED, False),
        AccountFacts(False, None, False),
    ]
    values: dict[str, Any] = {"accounts": accounts, "renewed": 3, "churned": 1, "iarr": 250_000}
    return MeasureFacts(**(values | overrides))


def test_each_measure_reads_what_the_bot_knows() -> None:
    facts = _facts()
    assert read(Measure.SUCCESS_PLANS, facts).value == 50.0
    assert read(Measure.SUCCESS_PLANS, facts).detail == "2 of 4 accounts"
    assert read(Measure.RED_WITH_PLAN, facts).detail == "1 of 2 red accounts"
    assert read(Measure.HEALTH_SCORES, facts).value == 75.0
    assert read(Measure.LOGO_RETENTION, facts).value == 75.0
    assert read(Measure.LOGO_RETENTION, facts).detail == "3 of 4 renewals decided"
    assert read(Measure.IARR, facts).value == 250_000


def test_nothing_to_measure_is_said_not_counted_as_zero() -> None:
    empty = _facts(accounts=[], renewed=0, churned=0, iarr=0)
    assert read(Measure.SUCCESS_PLANS, empty).value is None
    assert read(Measure.LOGO_RETENTION, empty).detail == "no renewals decided yet"
    no_red = _facts(accounts=[AccountFacts(True, Health.GREEN, False)])
    assert read(Measure.RED_WITH_PLAN, no_red).value == 100.0


def test_the_built_in_key_results_one_per_measure_judged_as_of_today() -> None:
    found = measured_key_results(_facts(), elapsed=0.5)
    assert [k.measure for k in found] == list(Measure)
    assert all(k.id is None and k.measured for k in found)
    by = {k.measure: k for k in found}
    assert by[Measure.SUCCESS_PLANS].status is Status.ON_TRACK  # 50% at half time
    assert by[Measure.HEALTH_SCORES].target == 100.0
    assert by[Measure.IARR].target is None and by[Measure.IARR].status is None
    done = measured_key_results(_facts(accounts=[AccountFacts(True, Health.GREEN, True)]), 0.5)
    assert {k.measure: k.status for k in done}[Measure.SUCCESS_PLANS] is Status.DONE


def test_an_imported_key_result_bound_to_a_measure_takes_its_value() -> None:
    typed = KeyResult(4, "IARR", "U0AE", 0, 1_000_000, 5, "USD", Status.DONE, Measure.IARR)
    measured = bound(typed, _facts(), elapsed=0.5)
    assert measured.current == 250_000 and measured.status is Status.OFF_TRACK
    manual = KeyResult(5, "Talks", "U0AE", 0, 10, 4, "talks", Status.AT_RISK)
    assert bound(manual, _facts(), 0.5) == manual


SEED: dict[str, Any] = {
    "quarter": "FY27-Q4",
    "teams": [
        {
            "team": "Strategic",
            "objectives": [
                {
                    "objective": "Grow strategic usage",
                    "key_results": [
                        {
                            "title": "Assistant DAU across strategic accounts",
                            "owner": "U0123ABCD",
                            "start": 0,
                            "target": 100,
                            "unit": "users",
                        },
                        {
                            "title": "Success plans",
                            "owner": "U0123ABCD",
                            "target": 100,
                            "measure": "success_plans",
                        },
                    ],
                }
            ],
        }
    ],
}


def _with(path: tuple[Any, ...], value: Any, delete: bool = False) -> dict[str, Any]:
    """The seed with one value changed (or deleted) at `path`."""
    data: Any = copy.deepcopy(SEED)
    node = data
    for part in path[:-1]:
        node = node[part]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    result: dict[str, Any] = data
    return result


KR = ("teams", 0, "objectives", 0, "key_results", 1)
WHERE = "teams[0].objectives[0].key_results[1]"


def test_the_seed_shape_reads_as_a_quarter() -> None:
    found = validate_okr_file(SEED)
    assert isinstance(found, OkrFile)
    assert found.quarter.label == "FY27-Q4" and found.key_result_count() == 2
    [team] = found.teams
    first, second = team.objectives[0].key_results
    assert (first.start, first.target, first.unit) == (0, 100, "users")
    assert second.start == 0 and second.measure is Measure.SUCCESS_PLANS


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (_with((*KR, "target"), None, delete=True), f"{WHERE}: target is missing"),
        (_with((*KR, "owner"), "alice"), f"{WHERE}: owner alice is not a Slack user ID"),
        (_with((*KR, "target"), "lots"), f"{WHERE}: target must be a number"),
        (_with((*KR, "target"), True), f"{WHERE}: target must be a number"),
        (_with((*KR, "measure"), "vibes"), f"{WHERE}: measure vibes is not one the bot knows"),
        (_with((*KR, "colour"), "red"), f"{WHERE}: colour is not a field"),
        (_with(("quarter",), "FY22-Q5"), "quarter: FY22-Q5 is not a quarter"),
        (_with(("quarter",), None, delete=True), "quarter: quarter is missing"),
        (_with(("teams",), []), "teams must be a list with at least one entry"),
        (_with(("teams", 0, "team"), " "), "teams[0]: team is missing"),
        (
            _with(("teams", 0, "objectives", 0, "key_results"), "many"),
            "teams[0].objectives[0]: key_results must be a list",
        ),
        (
            _with((*KR, "title"), "assistant DAU  across strategic accounts"),
            f"{WHERE}: key result assistant DAU across strategic accounts is already",
        ),
    ],
)
def test_every_problem_of_a_file_says_where(data: Any, problem: str) -> None:
    found = validate_okr_file(data)
    assert isinstance(found, list), found
    assert any(p.startswith(problem) for p in found), found


def test_a_team_named_twice_whatever_its_case_is_refused_on_the_second() -> None:
    data = copy.deepcopy(SEED)
    data["teams"].append(copy.deepcopy(data["teams"][0]) | {"team": "STRATEGIC"})
    found = validate_okr_file(data)
    assert found == ["teams[1]: team STRATEGIC is already teams[0]"]


def test_a_file_that_is_not_a_mapping_and_several_problems_at_once() -> None:
    assert validate_okr_file(["quarter"]) == ["must be a mapping with quarter, teams"]
    both = _with((*KR, "owner"), "bob")
    del both["teams"][0]["objectives"][0]["key_results"][0]["target"]
    found = validate_okr_file(both)
    assert isinstance(found, list) and len(found) == 2


def test_the_add_form_is_checked_like_the_file() -> None:
    values = {
        "team": "Sales",
        "quarter": "FY27-Q4",
        "objective": "Land logos",
        "title": "Large logos",
        "owner": "U0AE",
        "start": "",
        "target": "3",
        "unit": None,
    }
    new = validate_new_key_result(values)
    assert not isinstance(new, dict) and new.key_result.start == 0 and new.team == "Sales"
    bad = validate_new_key_result(values | {"quarter": "FY22-Q5", "target": "three"})
    assert isinstance(bad, dict) and set(bad) == {"quarter", "target"}


def test_a_check_in_needs_a_number_and_a_status() -> None:
    good = validate_checkin({"value": "1,250.5", "status": "at risk", "note": " late "})
    assert good == CheckinDraft(1250.5, Status.AT_RISK, "late")
    bad = validate_checkin({"value": "about ten", "status": None, "note": "x" * 2001})
    assert bad == {
        "value": "about ten is not a number; write it like 42 or 3.5",
        "status": "choose a status",
        "note": "keep it under 2000 characters",
    }
    assert validate_checkin({"value": "", "status": "done"}) == {"value": "the value is missing"}


def test_a_key_result_is_named_by_its_number() -> None:
    assert [parse_key_result_ref(t) for t in ("12", "#12", "KR12", "kr #3")] == [12, 12, 12, 3]
    assert parse_key_result_ref("twelve") is None and parse_key_result_ref("") is None
