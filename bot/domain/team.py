"""Who is on the team, and who administers it: plain rules over Slack user IDs.

A team that names no members and no user group is the whole workspace, as a small team
starts out; once it names either, only they and the admins use the bot.
"""

from __future__ import annotations

from collections.abc import Collection

SLACK_USERGROUP_PATTERN = r"^S[A-Z0-9]{2,}$"


def is_restricted(members: Collection[str], usergroup: str | None) -> bool:
    """Whether the team names its members at all (else everyone in the workspace is one)."""
    return bool(members) or usergroup is not None


def is_member(
    user_id: str,
    members: Collection[str],
    admins: Collection[str],
    group_members: Collection[str] | None,
) -> bool:
    """`group_members`: the user group's members, None when the team names no group, and
    empty when it could not be read — which lets nobody in through the group."""
    if not members and group_members is None:
        return True
    return user_id in admins or user_id in members or user_id in (group_members or ())


def may_administer(user_id: str, admins: Collection[str]) -> bool:
    """Admins add and archive accounts; with none named the whole team is trusted."""
    return not admins or user_id in admins
