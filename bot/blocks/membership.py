"""What a person outside the team sees: one polite line, wherever they reached the bot.

They are not told what the bot holds, only who can let them in: the admins by name, or
"a team admin" when the team names none (its members are then listed in the config).
"""

from __future__ import annotations

from slack_sdk.models.views import View

from bot.blocks.common import header, section, user

TITLE = "Strategic bot"


def not_on_team(admins: list[str]) -> str:
    """The admins' IDs are validated Slack user IDs, so their mentions need no escaping."""
    who = " or ".join(user(a) for a in admins) if admins else "a team admin"
    return f"Strategic bot is for the strategic accounts team only; ask {who} to add you."


def outsider_modal(admins: list[str]) -> View:
    """Replaces a submitted modal: a form opened before the person left the team."""
    return View(type="modal", title=TITLE, close="Close", blocks=[section(not_on_team(admins))])


def outsider_home(admins: list[str]) -> View:
    """The App Home instead of the dashboard: nothing of the portfolio is shown."""
    return View(type="home", blocks=[header(TITLE), section(not_on_team(admins))])
