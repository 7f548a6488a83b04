"""The `/strategic` sub-commands: their usage lines and the parser that splits what was typed.

Help and every usage error read from this one table, so they cannot drift apart.
"""

from __future__ import annotations

import html
import shlex
from dataclasses import dataclass

from bot.errors import UsageError


@dataclass(frozen=True)
class Usage:
    words: tuple[str, ...]
    args: str
    summary: str

    @property
    def line(self) -> str:
        return " ".join(("/strategic", *self.words, self.args)).strip()


USAGES: tuple[Usage, ...] = (
    Usage(("help",), "", "this list"),
    Usage(("account", "list"), "", "every active strategic account, by tier"),
    Usage(("account", "show"), "NAME", "an account's card: owners, tier, contract, seats"),
    Usage(("account", "add"), "", "open a form to add an account"),
    Usage(("account", "edit"), "NAME", "open the form prefilled to change an account"),
    Usage(("account", "archive"), "NAME", "take an account off the active list (kept in history)"),
    Usage(("health",), "[ACCOUNT]", "the portfolio worst first, or one account measure by measure"),
    Usage(("plan",), "ACCOUNT", "write or change the get-well plan of an account"),
    Usage(("update",), "", "write this week's update entry for an account or the team"),
    Usage(("update", "show"), "[WEEK]", "a week's entries by account (default this week)"),
    Usage(("away", "until"), "DATE", "no weekly update reminders for you through DATE"),
    Usage(("away", "off"), "", "weekly update reminders for you again"),
    Usage(
        ("metrics",),
        "ACCOUNT [DATE] dau=N mau=N seats=N [assistant_dau=N shown=N accepted=N]",
        "record a day's usage (default today)",
    ),
    Usage(("iarr",), "ACCOUNT AMOUNT expansion|new [DATE]", "record iARR closed (default today)"),
    Usage(("journey",), "ACCOUNT", "the contract year's journey: what is due, overdue and done"),
    Usage(("history",), "ACCOUNT", "who changed what and when (the account's owners and admins)"),
    Usage(("renewals",), "[DAYS]", "contracts ending within DAYS (default 120), soonest first"),
    Usage(("nominate",), "", "nominate a company as a strategic partner (opens a form)"),
    Usage(
        ("nominations",),
        "[pending|all]",
        "partner nominations and their state (default pending); withdraw your own",
    ),
    Usage(
        ("okr",),
        "[TEAM] [QUARTER]",
        "the quarter's OKRs with progress (default every team, this quarter, e.g. FY27-Q4)",
    ),
    Usage(("okr", "add"), "", "add a key result to a team's objective (opens a form)"),
    Usage(("okr", "history"), "KR", "a key result's check-ins (KR: its number, like 12)"),
    Usage(("people",), "ACCOUNT", "an account's champions and advocates; add or remove them"),
    Usage(("initiative", "add"), "", "add a strategy initiative: title, owner, due (opens a form)"),
    Usage(("initiatives",), "", "the strategy initiatives, soonest due first, with their status"),
    Usage(("need",), "ACCOUNT", "raise a customer need, obstacle, feature request or bug"),
    Usage(("needs",), "[ACCOUNT]", "the open needs by priority, with their status and rollout"),
)


@dataclass(frozen=True)
class Parsed:
    """The sub-command words that matched a usage, and the rest as one argument string."""

    usage: Usage
    rest: str


def parse(text: str) -> Parsed:
    """Match the typed text against the usage table; raise UsageError saying what to type.

    Names may have spaces, quoted or not: `account show Acme Corp` and
    `account show "Acme Corp"` mean the same.
    """
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    if not words:
        return Parsed(USAGES[0], "")
    head = words[0].lower()
    group = [u for u in USAGES if u.words[0] == head]
    if not group:
        typed = _typed(words[0])
        raise UsageError(f"`{typed}` is not a /strategic command.\n{usage_lines(USAGES)}")
    # The longest that matches: `update show` is not `update` with "show" after it.
    matched = max(
        (u for u in group if [w.lower() for w in words[: len(u.words)]] == list(u.words)),
        key=lambda u: len(u.words),
        default=None,
    )
    if matched is None and len(words) == 1:
        raise UsageError(f"`{_typed(words[0])}` needs one of:\n{usage_lines(group)}")
    if matched is None:
        what = _typed(" ".join(words[:2]))
        raise UsageError(f"`{what}` is not a /strategic command. Try:\n{usage_lines(group)}")
    rest = " ".join(words[len(matched.words) :]).strip()
    if matched.args and not matched.args.startswith("[") and not rest:
        what = matched.args.split()[0].lower()
        raise UsageError(f"Say which {what}:\n{usage_lines((matched,))}")
    if not matched.args and rest:
        raise UsageError(f"`{matched.line}` takes nothing after it.\n{usage_lines(group)}")
    return Parsed(matched, rest)


def _typed(text: str) -> str:
    """What the person typed, quoted back: Slack's three control characters escaped, so a
    typed `<!channel>` cannot ping anyone (html.escape without quotes does exactly that)."""
    return html.escape(text, quote=False)


def usage_lines(usages: tuple[Usage, ...] | list[Usage]) -> str:
    return "\n".join(f"`{u.line}`  {u.summary}" for u in usages)


def usage_of(*words: str) -> str:
    """The exact usage line of one sub-command, for its own error messages."""
    return next(u.line for u in USAGES if u.words == words)
