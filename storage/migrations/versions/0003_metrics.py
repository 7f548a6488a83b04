"""Daily usage snapshots and iARR events.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from storage.columns import account_column
from storage.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "metric_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True),
        account_column("metric_snapshots"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("dau", sa.Integer(), nullable=False),
        sa.Column("mau", sa.Integer(), nullable=False),
        sa.Column("licensed_seats", sa.Integer(), nullable=False),
        sa.Column("assistant_dau", sa.Integer()),
        sa.Column("completions_shown", sa.BigInteger()),
        sa.Column("completions_accepted", sa.BigInteger()),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_metric_snapshots"),
        sa.UniqueConstraint("account_id", "day", name="uq_metric_snapshots_day"),
    )
    op.create_table(
        "iarr_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        account_column("iarr_events"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("recorded_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_iarr_events"),
    )


def downgrade() -> None:
    op.drop_table("iarr_events")
    op.drop_table("metric_snapshots")
