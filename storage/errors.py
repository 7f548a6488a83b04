"""Constraint violations in our own words: callers never see a driver's IntegrityError."""

from __future__ import annotations


class DuplicateName(Exception):
    """Another account has this name (case-insensitive): typically one saved a moment ago,
    between the caller's own check and its write."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name
