"""the conversation on a plan: answers, structured suggestions, the manager's 1:1 answer

Revision ID: 0007_conversation
Revises: 0006
Create Date: 2026-12-02 07:30:00.000000

A comment may answer another (``reply_to_id``); a suggested edit carries the
plan as suggested (``suggested``, the builder's fields as typed) and, once
its owner applied it, the revision it became (``applied_revision``). A
check-in keeps the manager's own answer to "did the 1:1 happen?" beside the
owner's (``manager_one_on_one``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_conversation"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan_comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_to_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("suggested", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("applied_revision", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_plan_comments_reply_to_id_plan_comments"),
            "plan_comments",
            ["reply_to_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manager_one_on_one", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_column("manager_one_on_one")
    with op.batch_alter_table("plan_comments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_plan_comments_reply_to_id_plan_comments"), type_="foreignkey"
        )
        batch_op.drop_column("applied_revision")
        batch_op.drop_column("suggested")
        batch_op.drop_column("reply_to_id")
