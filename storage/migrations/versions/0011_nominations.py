"""Strategic partner nominations (issue 12) and the approvers' votes on them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from storage.columns import account_column
from storage.types import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nominations",
        sa.Column("id", sa.Integer(), primary_key=True),
        account_column("nominations"),
        sa.Column("nominator", sa.String(20), nullable=False),
        sa.Column("strategic_segment", sa.Boolean(), nullable=False),
        sa.Column("co_market", sa.String(10), nullable=False),
        sa.Column("new_industry", sa.Boolean(), nullable=False),
        sa.Column("related_market", sa.String(80), nullable=True),
        sa.Column("vision", sa.String(10), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("decided_by", sa.String(20), nullable=True),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("overridden", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_nominations"),
    )
    op.create_index("ix_nominations_state", "nominations", ["state"])
    op.create_table(
        "nomination_votes",
        sa.Column(
            "nomination_id",
            sa.Integer(),
            sa.ForeignKey(
                "nominations.id",
                ondelete="CASCADE",
                name="fk_nomination_votes_nomination_id_nominations",
            ),
            nullable=False,
        ),
        sa.Column("approver", sa.String(20), nullable=False),
        sa.Column("vote", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("nomination_id", "approver", name="pk_nomination_votes"),
    )


def downgrade() -> None:
    op.drop_table("nomination_votes")
    op.drop_index("ix_nominations_state", table_name="nominations")
    op.drop_table("nominations")
