"""a member's statement that they have no manager in the workspace

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00.000000

Until now an empty manager at onboarding meant "I have none here" (the
modal's hint said so), and such a plan became active on its owner's
acknowledgement alone: onboarded members without a manager keep that, as
stated. Anyone else without a manager now waits for one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("has_no_manager", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    members = sa.table(
        "members",
        sa.column("has_no_manager", sa.Boolean()),
        sa.column("manager_id", sa.Integer()),
        sa.column("onboarded_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        members.update()
        .where(members.c.manager_id.is_(None), members.c.onboarded_at.is_not(None))
        .values(has_no_manager=True)
    )


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("has_no_manager")
