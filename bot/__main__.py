"""Lets `python -m bot` behave like the `strategic-bot` console script."""

from bot.cli import main

main()
