"""Two workspaces with a row in every table, and what makes rows hard to move:
ids that refer forward (a manager with a higher id than their report, a team
led by a member inserted after it), naive and aware instants, times, floats
with no short decimal form, nested JSON, text in many scripts, NULLs."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.config import parse_database_url
from bot.db import models as m
from bot.db.base import Base
from bot.db.oauth import bots_table, installations_table, oauth_states_table
from bot.db.session import Database
from bot.domain.commitments import CommitmentKind, Direction, Rollup
from bot.domain.plans import PlanState, Visibility

UTC = dt.UTC
AT = dt.datetime(2026, 11, 23, 14, 0, 0, 123456, tzinfo=UTC)
POSTGRES_URL = os.environ.get(
    "MYPLAN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)

# What each person wrote: nothing of the forgotten one's may be left after forget.
DANA_WROTE = (
    "Dana wants to close mid-market 🚀",
    "Discovery calls ünd Ωmega",
    "Negotiation: 交渉",
    "Dana acts on Sam's feedback",
    "Dana's call ratio",
    "Dana's blocker: legal review",
    "Dana's win: Acme booked",
    "Dana skipped: holiday in Lisbon",
    "Dana's logged win: first 6-figure deal",
    "Dana's saved feedback: slow down",
    "Dana's reflection on Q3",
    "Dana lowered: territory shrank",
    "Dana's revision summary",
)


def populate(session: Session) -> dict[str, int]:
    """Both workspaces; returns the ids a test refers to."""
    ws = m.Workspace(
        id=7, slack_team_id="T1", name="Acme", fiscal_start_month=2, leaders_channel_id="CL"
    )
    other = m.Workspace(id=3, slack_team_id="T2", name="Other", uninstalled_at=AT)
    session.add_all([ws, other])
    session.flush()
    team = m.Team(
        id=5,
        workspace_id=7,
        name="AEs",
        channel_id="CTEAM",
        checkin_weekday=4,
        checkin_time=dt.time(16, 30),
        timezone="America/New_York",
        stretch=0.15,
    )
    session.add(team)
    session.flush()
    sam = m.Member(id=40, workspace_id=7, slack_user_id="UMANAGER", display_name="Sam Okafor")
    dana = m.Member(
        id=12,
        workspace_id=7,
        slack_user_id="UOWNER",
        display_name="Dana Reyes",
        timezone="Europe/Lisbon",
        team_id=5,
        away_until=dt.date(2026, 12, 24),
        onboarded_at=AT,
        dm_channel_id="DDANA",
    )
    lee = m.Member(id=13, workspace_id=3, slack_user_id="UPEER", display_name="Lee Chen")
    session.add_all([sam, dana, lee])
    session.flush()
    dana.manager_id = 40  # forward: the manager's id is higher
    sam.is_settings_admin, sam.settings_admin_by_id, sam.settings_admin_since = True, 40, AT
    sam.team_id = 5
    team.leader_id = 40
    session.add(m.ManagerAssignment(member_id=12, manager_id=40, started_at=AT, changed_by_id=12))
    plans = _plans(session)
    _in_plan(session, plan_id=plans["dana"])
    _deliveries(session)
    _install(session)
    session.flush()
    return {"dana": 12, "sam": 40, "dana_plan": plans["dana"], "sam_plan": plans["sam"]}


def _plans(session: Session) -> dict[str, int]:
    dana_plan = m.Plan(
        id=100,
        owner_id=12,
        fiscal_year=2027,
        quarter=4,
        state=PlanState.ACTIVE,
        visibility=Visibility.TEAM,
        aspiration=DANA_WROTE[0],
        strengths=DANA_WROTE[1],
        growth_areas=DANA_WROTE[2],
        feedback_acted_on=DANA_WROTE[3],
        revision=2,
        shared_channel_id="CL",
        shared_ts="1700000000.000100",
        created_at=AT,
        updated_at=AT + dt.timedelta(days=3),
    )
    sam_plan = m.Plan(id=101, owner_id=40, fiscal_year=2027, quarter=4, aspiration="Sam leads")
    old = m.Plan(id=90, owner_id=12, fiscal_year=2027, quarter=3, state=PlanState.CLOSED)
    session.add_all([dana_plan, sam_plan, old])
    session.flush()
    session.add(m.PlanComment(plan_id=101, author_id=12, revision=0, text="Dana on Sam's plan"))
    session.add(m.Acknowledgement(plan_id=100, revision=2, member_id=40, acknowledged_at=AT))
    review = m.Review(
        id=8, plan_id=90, owner_reflection=DANA_WROTE[10], next_plan_id=100, completed_at=AT
    )
    session.add(review)
    return {"dana": 100, "sam": 101}


def _in_plan(session: Session, *, plan_id: int) -> None:
    commitment = m.Commitment(
        id=31,
        plan_id=plan_id,
        position=0,
        title=DANA_WROTE[4],
        kind=CommitmentKind.ACTIVITY,
        unit="calls",
        baseline=0.1 + 0.2,
        target=1e-7,
        direction=Direction.DOWN,
        rollup=Rollup.AVERAGE,
        due_date=dt.date(2026, 12, 31),
    )
    session.add(commitment)
    session.add(
        m.ManagerCommitment(
            plan_id=plan_id, kind=m.ManagerCommitmentKind.ONE_ON_ONE, cadence_weeks=2
        )
    )
    checkin = m.CheckIn(
        id=61,
        plan_id=plan_id,
        week_start=dt.date(2026, 11, 23),
        confidence=4,
        win=DANA_WROTE[6],
        blocker=DANA_WROTE[5],
        one_on_one_happened=None,
        reply_channel_id="CTEAM",
        reply_ts="1700000000.000200",
        submitted_at=AT,
        updated_at=AT,
    )
    skipped = m.CheckIn(
        plan_id=plan_id, week_start=dt.date(2026, 11, 30), skipped=True, skip_reason=DANA_WROTE[7]
    )
    session.add_all([checkin, skipped])
    session.flush()
    session.add(m.CheckInValue(checkin_id=61, commitment_id=31, value=27.000000000000004))
    session.add(
        m.Win(plan_id=plan_id, author_id=12, text=DANA_WROTE[8], happened_on=dt.date(2026, 11, 19))
    )
    session.add(m.Feedback(plan_id=plan_id, text=DANA_WROTE[9], from_slack_user_id="UMANAGER"))
    session.add(
        m.Revision(
            plan_id=plan_id,
            number=1,
            author_id=12,
            snapshot={"aspiration": DANA_WROTE[0], "commitments": [{"target": 1e-7, "n": None}]},
            summary=DANA_WROTE[12],
        )
    )
    session.add(
        m.ReviewBar(
            review_id=8,
            commitment_id=31,
            actual=None,
            proposed_baseline=1.0,
            proposed_target=2.0,
            chosen_baseline=1.0,
            chosen_target=1.5,
            lowered_reason=DANA_WROTE[11],
        )
    )
    session.add(m.TeamStandard(team_id=5, metric_key="calls", title="Calls", approved_by_id=40))


def _deliveries(session: Session) -> None:
    session.add(
        m.Delivery(
            workspace_id=7,
            key="checkin-copy:plan=100:week=2026-11-23:to=40",
            kind="checkin-copy",
            state=m.DeliveryState.SENT,
            channel_id="DSAM",
            ts="1700000000.000300",
            due_at=AT,
            claimed_at=AT,
            sent_at=AT,
        )
    )
    session.add(m.Erasure(kind="forget", slack_team_id="T9", requested_by="cli", erased_at=AT))
    session.add(m.WorkspaceLease(workspace_id=7, owner="host:1:ab", expires_at=AT, ticked_at=AT))
    session.add(m.ClockSeen(owner="host:1:ab", seen_at=AT))


def _install(session: Session) -> None:
    naive = dt.datetime(2026, 11, 2, 8, 0)  # as slack_sdk's stores write them
    session.execute(
        installations_table.insert().values(
            client_id="C1",
            app_id="A1",
            team_id="T1",
            user_id="UINSTALLER",
            bot_token="xoxb-1",
            installed_at=naive,
        )
    )
    session.execute(
        bots_table.insert().values(
            client_id="C1", app_id="A1", team_id="T1", bot_token="xoxb-1", installed_at=naive
        )
    )
    session.execute(oauth_states_table.insert().values(state="s", expire_at=naive))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def table_rows(table: Table, session: Session) -> list[dict[str, Any]]:
    query = select(table).order_by(*table.primary_key.columns)
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in session.execute(query)]


def everything(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, as SQLAlchemy reads it (naive instants taken as UTC)."""
    with db.sessions.begin() as session:
        return {table.name: table_rows(table, session) for table in Base.metadata.sorted_tables}


@contextmanager
def another_database(like: str) -> Iterator[str]:
    """An empty database of the backend of ``like`` (a URL)."""
    if like.startswith("sqlite"):
        path = make_url(like).database
        yield f"sqlite:///{path}.{uuid.uuid4().hex[:8]}"
        return
    with postgres_schema() as url:
        yield url


@contextmanager
def postgres_schema() -> Iterator[str]:
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(parse_database_url(POSTGRES_URL))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(parse_database_url(POSTGRES_URL))
    try:
        yield url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
