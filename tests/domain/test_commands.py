"""Parsing what was typed after /strategic."""

from __future__ import annotations

import pytest

from bot.commands import USAGES, parse
from bot.errors import UsageError


@pytest.mark.parametrize(
    ("text", "words", "rest"),
    [
        ("", ("help",), ""),
        ("HELP", ("help",), ""),
        ("account show Acme Corp", ("account", "show"), "Acme Corp"),
        ('account show "Acme  Corp"', ("account", "show"), "Acme  Corp"),
        ("Account List", ("account", "list"), ""),
        ("account edit O'Brien Ltd", ("account", "edit"), "O'Brien Ltd"),
    ],
)
def test_parse(text: str, words: tuple[str, ...], rest: str) -> None:
    parsed = parse(text)
    assert (parsed.usage.words, parsed.rest) == (words, rest)


@pytest.mark.parametrize("text", ["nope", "account", "account nope", "account show", "help me"])
def test_usage_errors_quote_the_usage(text: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    assert "`/strategic " in caught.value.message


def test_every_usage_line_is_unique() -> None:
    assert len({u.words for u in USAGES}) == len(USAGES)
