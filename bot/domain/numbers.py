"""Whole numbers as people, CSV files and pipelines send them, within what the store holds.

A figure past its column's range would pass validation and then fail at the INSERT (an
OverflowError, a 500, "Something went wrong"), so each input model bounds it here, where
the refusal can name the field. `true` is not a number either, though pydantic would
read it as 1; a string of digits from a CSV cell or a command still is.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

INTEGER_MAX = 2**31 - 1
"""The largest value of an Integer column (PostgreSQL's `integer`)."""
SUMMED_MAX = 10**12
"""The largest completions count of a day, ARR or iARR deal: far past any real one, and
small enough that the sums the bot makes of them (28 days of completions, a quarter's
deals across accounts) stay inside a BigInteger (2**63 - 1) on both databases; at the
column's own limit, a second such value would overflow the SUM after it was stored."""


def _not_a_boolean(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("boolean_as_number", "a boolean is not a number")
    return value


WholeNumber = Annotated[int, BeforeValidator(_not_a_boolean)]
Count = Annotated[WholeNumber, Field(ge=0, le=INTEGER_MAX)]
"""Users, seats, developers: an Integer column."""
BigCount = Annotated[WholeNumber, Field(ge=0, le=SUMMED_MAX)]
"""Completions and money: a BigInteger column, and summed."""
