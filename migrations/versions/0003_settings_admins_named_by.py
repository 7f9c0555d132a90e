"""settings admins: who named them, and since when

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("settings_admin_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("settings_admin_since", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_members_settings_admin_by_id_members"),
            "members",
            ["settings_admin_by_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_members_settings_admin_by_id_members"), type_="foreignkey"
        )
        batch_op.drop_column("settings_admin_since")
        batch_op.drop_column("settings_admin_by_id")
