"""Weekly update entries: one per author, account (or team-wide) and week.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from storage.columns import account_column
from storage.types import UtcDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "update_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("author", sa.String(20), nullable=False),
        account_column("update_entries", nullable=True),
        sa.Column("scope", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Text(), nullable=True),
        sa.Column("blockers", sa.Text(), nullable=True),
        sa.Column("upcoming", sa.Text(), nullable=True),
        sa.Column("still_open", sa.Boolean(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_update_entries"),
        sa.UniqueConstraint("week", "author", "scope", name="uq_update_entries_entry"),
        sa.CheckConstraint("scope = coalesce(account_id, 0)", name=op.f("ck_update_entries_scope")),
    )


def downgrade() -> None:
    op.drop_table("update_entries")
