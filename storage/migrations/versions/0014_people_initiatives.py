"""People at the customer, strategy initiatives and their reminders (issue 15).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

from storage.columns import account_column
from storage.types import UtcDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer_people",
        sa.Column("id", sa.Integer(), primary_key=True),
        account_column("customer_people"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("role", sa.String(80), nullable=True),
        sa.Column("slack_user", sa.String(20), nullable=True),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("added_by", sa.String(20), nullable=False),
        sa.Column("added_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customer_people"),
    )
    op.create_index("ix_customer_people_account", "customer_people", ["account_id"])
    op.create_table(
        "initiatives",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("owner", sa.String(20), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_by", sa.String(20), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_initiatives"),
    )
    op.create_index("ix_initiatives_due", "initiatives", ["due"])
    op.create_table(
        "initiative_reminders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "initiative_id",
            sa.Integer(),
            sa.ForeignKey(
                "initiatives.id",
                ondelete="CASCADE",
                name="fk_initiative_reminders_initiative_id_initiatives",
            ),
            nullable=False,
        ),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("sent_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_initiative_reminders"),
        sa.UniqueConstraint(
            "initiative_id", "due", "kind", name="uq_initiative_reminders_reminder"
        ),
    )


def downgrade() -> None:
    op.drop_table("initiative_reminders")
    op.drop_index("ix_initiatives_due", table_name="initiatives")
    op.drop_table("initiatives")
    op.drop_index("ix_customer_people_account", table_name="customer_people")
    op.drop_table("customer_people")
