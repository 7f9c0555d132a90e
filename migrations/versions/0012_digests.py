"""an index for the managers' morning digests (issue 11: managers of many)

Revision ID: 0012_digests
Revises: 0011_weeks
Create Date: 2026-12-03 07:30:00.000000

Each morning the clock finds the managers whose reports' proposed plans wait
for them; it reads the proposed plans from an index on the plan's state, not
every plan of every quarter.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_digests"
down_revision: str | None = "0011_weeks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_plans_state", "plans", ["state"])


def downgrade() -> None:
    op.drop_index("ix_plans_state", table_name="plans")
