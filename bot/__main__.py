"""Lets `python -m bot` behave like the `strategic-bot` console script."""

from bot.startup.cli import main

main()
