"""Health history by day: the portfolio's trend reads all accounts' status of one day.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_health_history_day", "health_history", ["day"])


def downgrade() -> None:
    op.drop_index("ix_health_history_day", table_name="health_history")
