from __future__ import annotations

import datetime as dt

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, inspect, text

from bot.db import models  # noqa: F401 - registers the tables on Base.metadata
from bot.db.base import Base
from bot.db.migrate import downgrade, upgrade
from bot.db.session import make_engine


def pending_diff(database_url: str) -> list[object]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def tables(database_url: str) -> set[str]:
    engine = make_engine(database_url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_gives_exactly_the_models_schema(database_url: str) -> None:
    upgrade(database_url)
    assert pending_diff(database_url) == []
    assert tables(database_url) == set(Base.metadata.tables) | {"alembic_version"}


def test_downgrade_to_base_then_upgrade_again(database_url: str) -> None:
    upgrade(database_url)
    downgrade(database_url, "base")
    assert tables(database_url) == {"alembic_version"}
    upgrade(database_url)
    assert pending_diff(database_url) == []


def _insert(connection: Connection, table: str, **values: object) -> None:
    columns = ", ".join(values)
    connection.execute(
        text(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in values)})"),
        values,
    )


def test_upgrading_keeps_people_their_managers_and_plans(database_url: str) -> None:
    """From 0002, with data: tables SQLite rebuilds (batch mode) keep their rows
    and what refers to them; and 0006 keeps an onboarded member without a
    manager as having none (an empty manager at onboarding used to say so)."""
    upgrade(database_url, "0002")
    engine = make_engine(database_url)
    when = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    try:
        with engine.begin() as connection:
            _insert(
                connection,
                "workspaces",
                id=1,
                slack_team_id="T1",
                name="",
                fiscal_start_month=1,
                default_stretch=0.1,
                created_at=when,
            )
            for member_id, user, manager, onboarded in (
                (1, "UHEAD", None, when),
                (2, "UREPORT", 1, when),
                (3, "UNEW", None, None),
            ):
                _insert(
                    connection,
                    "members",
                    id=member_id,
                    workspace_id=1,
                    slack_user_id=user,
                    display_name="",
                    timezone="UTC",
                    is_slack_admin=False,
                    is_settings_admin=False,
                    manager_id=manager,
                    onboarded_at=onboarded,
                    created_at=when,
                )
            _insert(
                connection,
                "plans",
                id=1,
                owner_id=2,
                fiscal_year=2027,
                quarter=1,
                state="active",
                visibility="private",
                aspiration="Grow",
                strengths="",
                growth_areas="",
                feedback_acted_on="",
                revision=1,
                created_at=when,
                updated_at=when,
            )
        upgrade(database_url)
        with engine.connect() as connection:
            members = {
                user: (manager, bool(flag))
                for user, manager, flag in connection.execute(
                    text("SELECT slack_user_id, manager_id, has_no_manager FROM members")
                )
            }
            plans = connection.execute(text("SELECT owner_id FROM plans")).scalars().all()
        assert members == {"UHEAD": (None, True), "UREPORT": (1, False), "UNEW": (None, False)}
        assert plans == [2]
    finally:
        engine.dispose()


def test_0007_gives_existing_commitments_one_key_per_owner_and_title(database_url: str) -> None:
    """Commitments were matched by title: 0007 keys them so, one key per owner
    and title (any case) in every quarter that had it, and each its own else."""
    upgrade(database_url, "0006")
    engine = make_engine(database_url)
    when = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
    try:
        with engine.begin() as connection:
            _insert(
                connection,
                "workspaces",
                id=1,
                slack_team_id="T1",
                name="",
                fiscal_start_month=1,
                default_stretch=0.1,
                created_at=when,
                review_window_days=5,
            )
            for member_id in (1, 2):
                _insert(
                    connection,
                    "members",
                    id=member_id,
                    workspace_id=1,
                    slack_user_id=f"U{member_id}",
                    display_name="",
                    timezone="UTC",
                    is_slack_admin=False,
                    is_settings_admin=False,
                    has_no_manager=True,
                    checkin_reminders=True,
                    created_at=when,
                )
            for plan_id, owner, quarter in ((1, 1, 3), (2, 1, 4), (3, 2, 4)):
                _insert(
                    connection,
                    "plans",
                    id=plan_id,
                    owner_id=owner,
                    fiscal_year=2026,
                    quarter=quarter,
                    state="active",
                    visibility="private",
                    aspiration="Grow",
                    strengths="",
                    growth_areas="",
                    feedback_acted_on="",
                    revision=1,
                    created_at=when,
                    updated_at=when,
                )
            for commitment_id, plan_id, title in (
                (1, 1, "Calls"),
                (2, 2, "calls"),  # the same commitment, next quarter
                (3, 2, "Pipeline"),
                (4, 3, "Calls"),  # someone else's
            ):
                _insert(
                    connection,
                    "commitments",
                    id=commitment_id,
                    plan_id=plan_id,
                    position=0,
                    title=title,
                    kind="activity",
                    unit="c",
                    baseline=1.0,
                    target=2.0,
                    direction="up",
                    rollup="sum",
                )
        upgrade(database_url)
        with engine.connect() as connection:
            keys = {
                commitment: key
                for commitment, key in connection.execute(text("SELECT id, key FROM commitments"))
            }
            retired = connection.execute(
                text("SELECT COUNT(*) FROM commitments WHERE retired_in_revision IS NOT NULL")
            ).scalar()
        assert keys[1] == keys[2]
        assert len({keys[1], keys[3], keys[4]}) == 3
        assert all(isinstance(key, str) and len(key) == 32 for key in keys.values())
        assert retired == 0
    finally:
        engine.dispose()
