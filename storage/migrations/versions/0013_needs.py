"""Customer needs and their rollouts' steps (issue 15).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from storage.columns import account_column
from storage.types import UtcDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "needs",
        sa.Column("id", sa.Integer(), primary_key=True),
        account_column("needs"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("summary", sa.String(300), nullable=False),
        sa.Column("link", sa.String(500), nullable=False),
        sa.Column("priority", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("raised_by", sa.String(20), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(20), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_needs"),
    )
    op.create_index("ix_needs_account", "needs", ["account_id", "status"])
    op.create_table(
        "need_steps",
        sa.Column(
            "need_id",
            sa.Integer(),
            sa.ForeignKey("needs.id", ondelete="CASCADE", name="fk_need_steps_need_id_needs"),
            nullable=False,
        ),
        sa.Column("step", sa.String(20), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("done_by", sa.String(20), nullable=True),
        sa.Column("done_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("need_id", "step", name="pk_need_steps"),
    )


def downgrade() -> None:
    op.drop_table("need_steps")
    op.drop_index("ix_needs_account", table_name="needs")
    op.drop_table("needs")
