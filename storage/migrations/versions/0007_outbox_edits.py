"""Outbox edits and replies: each message's kind and ref, and where named posts landed.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from storage.types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("kind", sa.String(10), nullable=False, server_default="post"))
        batch.add_column(sa.Column("ref", sa.String(200)))
    op.create_table(
        "posted_messages",
        sa.Column("ref", sa.String(200), nullable=False),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("ts", sa.String(40), nullable=False),
        sa.Column("posted_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("ref", name="pk_posted_messages"),
        sa.UniqueConstraint("channel", "ts", name="uq_posted_messages_message"),
    )


def downgrade() -> None:
    op.drop_table("posted_messages")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("ref")
        batch.drop_column("kind")
