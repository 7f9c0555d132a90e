"""the calendar: working days, holidays and the grace period; how a review closed

Revision ID: 0009_calendar
Revises: 0008_data
Create Date: 2026-12-02 08:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_calendar"
down_revision: str | None = "0008_data"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("grace_days", sa.Integer(), server_default="14", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "working_days", sa.String(length=20), server_default="0,1,2,3,4", nullable=False
            )
        )
        batch_op.add_column(sa.Column("holidays", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holidays", sa.Text(), server_default="", nullable=False))
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("closed_by", sa.String(length=16), server_default="owner", nullable=False)
        )
        batch_op.add_column(
            sa.Column("drafted_next", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("drafted_next")
        batch_op.drop_column("closed_by")
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("holidays")
    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("holidays")
        batch_op.drop_column("working_days")
        batch_op.drop_column("grace_days")
