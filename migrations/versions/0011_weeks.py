"""commitments keep their identity across revisions and quarters; members' locale

Revision ID: 0011_weeks
Revises: 0010_reads
Create Date: 2026-12-02 10:00:00.000000

Commitments were matched by title, so a rename lost a commitment's history.
Now the row is the identity within a plan (a removed one is retired, with
its check-ins, not deleted), and ``key`` names it across quarters. Existing
rows get keys as the title matching read them: one key per owner and title
(case-insensitive), in every quarter that had it.

``members.locale`` is Slack's locale (users.info with include_locale), read
to parse and show numbers as the member types them.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_weeks"
down_revision: str | None = "0010_reads"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=16), nullable=True))
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("retired_in_revision", sa.Integer(), nullable=True))
    commitments = sa.table(
        "commitments",
        sa.column("id", sa.Integer()),
        sa.column("plan_id", sa.Integer()),
        sa.column("title", sa.String()),
        sa.column("key", sa.String()),
    )
    plans = sa.table("plans", sa.column("id", sa.Integer()), sa.column("owner_id", sa.Integer()))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(commitments.c.id, commitments.c.title, plans.c.owner_id)
        .join(plans, plans.c.id == commitments.c.plan_id)
        .order_by(commitments.c.id)
    ).all()
    keys: dict[tuple[int, str], str] = {}
    for commitment_id, title, owner_id in rows:
        key = keys.setdefault((owner_id, (title or "").casefold()), uuid.uuid4().hex)
        connection.execute(
            commitments.update().where(commitments.c.id == commitment_id).values(key=key)
        )
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.alter_column("key", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint("uq_commitments_plan_id_key", ["plan_id", "key"])


def downgrade() -> None:
    # Before identities, a removed commitment was deleted: one kept since would
    # be back on its plan.
    op.execute("DELETE FROM commitments WHERE retired_in_revision IS NOT NULL")
    with op.batch_alter_table("commitments", schema=None) as batch_op:
        batch_op.drop_constraint("uq_commitments_plan_id_key", type_="unique")
        batch_op.drop_column("retired_in_revision")
        batch_op.drop_column("key")
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_column("locale")
