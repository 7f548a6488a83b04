"""Column definitions the migrations share, so each names its constraints the same way."""

from __future__ import annotations

import sqlalchemy as sa


def account_column(
    table: str, primary_key: bool = False, nullable: bool = False
) -> sa.Column[int]:
    """The account a row belongs to (`nullable`: if any), its FK named as the models' naming
    convention names it."""
    return sa.Column(
        "account_id",
        sa.Integer(),
        sa.ForeignKey("accounts.id", ondelete="CASCADE", name=f"fk_{table}_account_id_accounts"),
        nullable=nullable,
        primary_key=primary_key,
    )
