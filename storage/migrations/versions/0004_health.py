"""Get-well plans, daily health history and health alert state.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from storage.columns import account_column
from storage.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "get_well_plans",
        account_column("get_well_plans", primary_key=True),
        sa.Column("owner", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("updated_by", sa.String(40), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name="pk_get_well_plans"),
    )
    op.create_table(
        "health_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        account_column("health_history"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_health_history"),
        sa.UniqueConstraint("account_id", "day", name="uq_health_history_day"),
    )
    op.create_table(
        "health_alerts",
        account_column("health_alerts", primary_key=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("alerted_at", UtcDateTime(), nullable=False),
        sa.Column("acknowledged_by", sa.String(20)),
        sa.Column("acknowledged_at", UtcDateTime()),
        sa.PrimaryKeyConstraint("account_id", name="pk_health_alerts"),
    )


def downgrade() -> None:
    op.drop_table("health_alerts")
    op.drop_table("health_history")
    op.drop_table("get_well_plans")
