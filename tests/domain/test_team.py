"""Who is on the team and who administers it, on plain lists of Slack user IDs."""

from __future__ import annotations

import pytest

from bot.domain.team import is_member, is_restricted, may_administer


@pytest.mark.parametrize(
    ("user", "members", "admins", "group", "expected"),
    [
        ("U0ANY", [], [], None, True),  # no members, no group: the workspace is the team
        ("U0ANY", [], ["U0ADMIN"], None, True),  # admins alone restrict nothing
        ("U0ANY", ["U0ALICE"], [], None, False),
        ("U0ALICE", ["U0ALICE"], [], None, True),
        ("U0ADMIN", ["U0ALICE"], ["U0ADMIN"], None, True),  # admins always
        ("U0BOB", [], [], ["U0BOB"], True),
        ("U0ANY", [], [], ["U0BOB"], False),
        ("U0BOB", [], [], [], False),  # the group could not be read: the door stays shut
        ("U0ADMIN", [], ["U0ADMIN"], [], True),
        ("U0ALICE", ["U0ALICE"], [], [], True),
    ],
)
def test_is_member(
    user: str, members: list[str], admins: list[str], group: list[str] | None, expected: bool
) -> None:
    assert is_member(user, members, admins, group) is expected


def test_a_team_is_restricted_once_it_names_members_or_a_group() -> None:
    assert not is_restricted([], None)
    assert is_restricted(["U0ALICE"], None)
    assert is_restricted([], "S0TEAM")


def test_with_admins_named_only_they_administer() -> None:
    assert may_administer("U0ANY", [])
    assert may_administer("U0ADMIN", ["U0ADMIN"])
    assert not may_administer("U0OWNER", ["U0ADMIN"])
