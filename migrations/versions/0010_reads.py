"""indexes for the read views (issue 15: App Home at real size)

Revision ID: 0010_reads
Revises: 0009_calendar
Create Date: 2026-12-02 08:00:00.000000

App Home's public plans of a quarter, newest first, are read from an index on
(visibility, fiscal_year, quarter, updated_at) instead of walking every plan
of every member of the workspace.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_reads"
down_revision: str | None = "0009_calendar"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_plans_public", "plans", ["visibility", "fiscal_year", "quarter", "updated_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_plans_public", table_name="plans")
