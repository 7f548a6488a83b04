"""OKRs by fiscal quarter (issue 14): objectives, key results and their check-ins.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "okr_objectives",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("quarter", sa.String(10), nullable=False),
        sa.Column("team", sa.String(80), nullable=False),
        sa.Column("team_key", sa.String(80), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_okr_objectives"),
        sa.UniqueConstraint("quarter", "team_key", "title", name="uq_okr_objectives_objective"),
    )
    op.create_table(
        "okr_key_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "objective_id",
            sa.Integer(),
            sa.ForeignKey(
                "okr_objectives.id",
                ondelete="CASCADE",
                name="fk_okr_key_results_objective_id_okr_objectives",
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("owner", sa.String(20), nullable=False),
        sa.Column("start", sa.Float(), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("current", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("measure", sa.String(30), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_okr_key_results"),
        sa.UniqueConstraint("objective_id", "title", name="uq_okr_key_results_key_result"),
    )
    op.create_table(
        "okr_checkins",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "key_result_id",
            sa.Integer(),
            sa.ForeignKey(
                "okr_key_results.id",
                ondelete="CASCADE",
                name="fk_okr_checkins_key_result_id_okr_key_results",
            ),
            nullable=False,
        ),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("author", sa.String(20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_okr_checkins"),
    )
    op.create_index("ix_okr_checkins_key_result", "okr_checkins", ["key_result_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_okr_checkins_key_result", table_name="okr_checkins")
    op.drop_table("okr_checkins")
    op.drop_table("okr_key_results")
    op.drop_table("okr_objectives")
