"""Weekly update reminders sent (and snoozed), and who is away from them.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "update_reminders",
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("person", sa.String(20), nullable=False),
        sa.Column("reminded_at", UtcDateTime(), nullable=False),
        sa.Column("snoozed_until", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("week", "person", name="pk_update_reminders"),
    )
    op.create_table(
        "update_away",
        sa.Column("person", sa.String(20), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("set_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("person", name="pk_update_away"),
    )


def downgrade() -> None:
    op.drop_table("update_away")
    op.drop_table("update_reminders")
