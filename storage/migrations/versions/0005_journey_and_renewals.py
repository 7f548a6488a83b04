"""Journey activities done, renewal reminders sent.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from storage.columns import account_column
from storage.types import UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "journey_done",
        sa.Column("id", sa.Integer(), primary_key=True),
        account_column("journey_done"),
        sa.Column("contract_end", sa.Date(), nullable=False),
        sa.Column("activity", sa.String(80), nullable=False),
        sa.Column("done_by", sa.String(20), nullable=False),
        sa.Column("done_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_journey_done"),
        sa.UniqueConstraint(
            "account_id", "contract_end", "activity", name="uq_journey_done_activity"
        ),
    )
    op.create_table(
        "renewal_reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        account_column("renewal_reminders"),
        sa.Column("contract_end", sa.Date(), nullable=False),
        sa.Column("window", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_renewal_reminders"),
        sa.UniqueConstraint(
            "account_id", "contract_end", "window", name="uq_renewal_reminders_window"
        ),
    )


def downgrade() -> None:
    op.drop_table("renewal_reminders")
    op.drop_table("journey_done")
