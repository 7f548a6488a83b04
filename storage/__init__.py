"""The SQL store: models, sessions, queries and migrations. Nothing outside it writes SQL."""
