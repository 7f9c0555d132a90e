"""clocks that share the work: a lease per workspace, and the clocks seen lately

Revision ID: 0013_clocks
Revises: 0012_digests
Create Date: 2026-12-03 06:30:00.000000

Any number of ``myplan clock`` processes split the workspaces: only the
holder of a workspace's lease sends for it, so together they never exceed
its rate. Rows are made as clocks first meet a workspace; none exist before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_clocks"
down_revision: str | None = "0012_digests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspace_leases",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ticked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_workspace_leases_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", name=op.f("pk_workspace_leases")),
    )
    op.create_table(
        "clocks_seen",
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("owner", name=op.f("pk_clocks_seen")),
    )


def downgrade() -> None:
    op.drop_table("clocks_seen")
    op.drop_table("workspace_leases")
