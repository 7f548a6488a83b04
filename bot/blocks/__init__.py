"""Block Kit, built only here, by functions that take plain data and return blocks."""
