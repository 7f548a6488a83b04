"""Use cases: each opens its own session, applies the domain rules, returns plain data."""
