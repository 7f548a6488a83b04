"""Accounts and the audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("name_key", sa.String(80), nullable=False),
        sa.Column("tier", sa.Integer(), nullable=False),
        sa.Column("industry", sa.String(80)),
        sa.Column("lead_engineer", sa.String(20)),
        sa.Column("ta_ce", sa.String(20)),
        sa.Column("ae", sa.String(20)),
        sa.Column("exec_sponsor", sa.String(20)),
        sa.Column("channel", sa.String(20)),
        sa.Column("contract_start", sa.Date()),
        sa.Column("contract_end", sa.Date()),
        sa.Column("production_start", sa.Date()),
        sa.Column("licensed_seats", sa.Integer()),
        sa.Column("available_developers", sa.Integer()),
        sa.Column("arr", sa.BigInteger()),
        sa.Column("partner_status", sa.String(20), nullable=False),
        sa.Column("success_plan_url", sa.String(500)),
        sa.Column("archived_at", UtcDateTime()),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("name_key", name="uq_accounts_name_key"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
    )
    op.create_index("ix_audit_entity", "audit", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_entity", table_name="audit")
    op.drop_table("audit")
    op.drop_table("accounts")
