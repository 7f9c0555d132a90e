"""The realistic dataset the benchmarks run on, built fast with SQLAlchemy Core.

The default is one workspace as issue 15 measured it: 2,000 members in 100
teams of 20 (each team's first member leads it and manages the other 19; team
leaders report up a three-level tree whose top has no manager), ten quarters
of plans (nine closed and reviewed, the current one active), 4 commitments a
plan, a check-in every week of every quarter up to this week (about 1 in 25
skipped), so about 1M check-in values, and 41 leaders whose current plan is
public. Every size is a parameter, and several workspaces can be built into
one database (each with its own Slack team id).

    python -m benchmarks.dataset --database-url sqlite:///bench.db
    python -m benchmarks.dataset --database-url postgresql://127.0.0.1/test --schema bench
    python -m benchmarks.dataset --members 500 --teams 25 --workspaces 200 ...

The schema is migrated first (Alembic, as `myplan migrate` does). Ids are
given here, past whatever the tables hold, so nothing is read back row by row,
and PostgreSQL's sequences are moved past them at the end. Slack ids are
derived from the workspace and member numbers (``user_id``, ``channel_id``),
so a benchmark can add the same people to its loopback Slack.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, create_engine, func, select, text, update
from sqlalchemy.engine import make_url

from bot.config import parse_database_url
from bot.db import migrate
from bot.db import models as m
from bot.db.base import Base
from bot.domain.commitments import Commitment, CommitmentKind, Direction, Rollup
from bot.domain.content import ManagerSide, PlanContent, snapshot
from bot.domain.plans import PlanState, Visibility
from bot.domain.quarters import Quarter, quarter_of

CHUNK = 20_000
ZONES = ("America/New_York", "Europe/London", "Europe/Berlin", "Asia/Tokyo", "UTC")


@dataclass(frozen=True, kw_only=True)
class Size:
    members: int = 2000  # per workspace
    teams: int = 100  # per workspace; members are spread evenly, the first of each leads it
    quarters: int = 10  # of plans per member, the last one the current quarter
    commitments: int = 4  # per plan
    public_leaders: int = 41  # per workspace: leaders whose current plan is public
    workspaces: int = 1
    skip_every: int = 25  # one check-in in this many is a skip (no values)


@dataclass(kw_only=True)
class Workspace:
    id: int
    slack_team_id: str
    users: list[str] = field(default_factory=list)  # Slack user ids, member order
    leaders: list[str] = field(default_factory=list)  # one per team, team order
    channels: list[str] = field(default_factory=list)  # the teams' channels
    leaders_channel: str = ""
    current_plans: dict[str, int] = field(default_factory=dict)  # by Slack user id
    public_plans: list[int] = field(default_factory=list)


@dataclass(kw_only=True)
class Dataset:
    size: Size
    today: dt.date
    workspaces: list[Workspace]
    rows: dict[str, int]  # inserted per table
    seconds: float


def user_id(workspace: int, member: int) -> str:
    return f"U{workspace:03d}M{member:05d}"


def channel_id(workspace: int, team: int) -> str:
    return f"C{workspace:03d}T{team:04d}"


def team_id(workspace: int) -> str:
    return f"T{workspace:03d}BENCH"


def _t(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


class _Ids:
    """The next free id of every table, read once before inserting."""

    def __init__(self, connection: Connection, tables: list[Table]) -> None:
        self._next = {
            table.name: (connection.scalar(select(func.max(table.c.id))) or 0) + 1
            for table in tables
        }

    def take(self, table: Table, count: int = 1) -> int:
        first = self._next[table.name]
        self._next[table.name] = first + count
        return first


class _Writer:
    """Rows buffered per table and written in chunks with Core's executemany."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.buffers: dict[str, tuple[Table, list[dict[str, Any]]]] = {}
        self.counts: dict[str, int] = {}

    def add(self, table: Table, row: dict[str, Any]) -> None:
        buffer = self.buffers.setdefault(table.name, (table, []))[1]
        buffer.append(row)
        if len(buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        """Every buffer, in the order tables were first added: parents first."""
        for name, (table, rows) in self.buffers.items():
            if rows:
                self.connection.execute(table.insert(), rows)
                self.counts[name] = self.counts.get(name, 0) + len(rows)
                rows.clear()


def _content(titles: list[tuple[str, CommitmentKind, str, Rollup]], q: Quarter) -> PlanContent:
    return PlanContent(
        aspiration="Become the team's go-to closer for mid-market deals",
        strengths="Discovery calls; product depth",
        growth_areas="Negotiation; forecasting accuracy",
        feedback_acted_on="",
        visibility=Visibility.PRIVATE,
        commitments=tuple(
            Commitment(
                title=title,
                kind=kind,
                unit=unit,
                baseline=0.0 if kind is CommitmentKind.MILESTONE else 20.0,
                target=1.0 if kind is CommitmentKind.MILESTONE else 25.0,
                direction=Direction.UP,
                rollup=rollup,
                due_date=q.last_day if kind is CommitmentKind.MILESTONE else None,
            )
            for title, kind, unit, rollup in titles
        ),
        manager=ManagerSide(
            one_on_one_cadence_weeks=1, coaching_focus="Negotiation role-play", other_support=""
        ),
    )


COMMITMENTS = [
    ("Discovery calls", CommitmentKind.ACTIVITY, "calls", Rollup.AVERAGE),
    ("Pipeline created", CommitmentKind.RESULT, "k$", Rollup.SUM),
    ("Demos booked", CommitmentKind.ACTIVITY, "demos", Rollup.SUM),
    ("MEDDICC cert", CommitmentKind.MILESTONE, "", Rollup.LATEST),
    ("Forecast accuracy", CommitmentKind.RESULT, "%", Rollup.LATEST),
]


def _manager_of(member: int, per_team: int, size: Size) -> int | None:
    """Member numbers: team t is members t*per_team ... ; its leader the first.
    A report's manager is its team's leader; team t's leader reports to team
    t // 10's leader (t >= 1), so the tree is three levels deep at 100 teams."""
    team = member // per_team
    leader = team * per_team
    if member != leader:
        return leader
    if team == 0:
        return None
    return (team // 10) * per_team if team >= 10 else 0


def build(
    database_url: str,
    *,
    size: Size = Size(),
    today: dt.date | None = None,
    seed: int = 15,
    team_ids: list[str] | None = None,
) -> Dataset:
    """Migrate ``database_url`` and add ``size.workspaces`` workspaces to it,
    their Slack team ids ``team_ids`` (by default ``team_id(number)``)."""
    started = time.perf_counter()
    today = today or dt.date.today()
    migrate.upgrade(database_url)
    engine = create_engine(parse_database_url(database_url))
    rng = random.Random(seed)
    tables = [
        t
        for mapper in Base.registry.mappers
        if isinstance(t := mapper.local_table, Table) and "id" in t.c
    ]
    built: list[Workspace] = []
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        ids = _Ids(connection, tables)
        writer = _Writer(connection)
        first_number = connection.scalar(select(func.count()).select_from(m.Workspace)) or 0
        for number in range(first_number, first_number + size.workspaces):
            slack_team = (team_ids or [])[number - first_number : number - first_number + 1]
            built.append(
                _workspace(
                    writer,
                    ids,
                    rng,
                    number=number,
                    size=size,
                    today=today,
                    slack_team_id=slack_team[0] if slack_team else team_id(number),
                )
            )
        writer.flush()
        if connection.dialect.name == "postgresql":
            for table in tables:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table.name}))"
                    )
                )
            connection.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
    engine.dispose()
    return Dataset(
        size=size,
        today=today,
        workspaces=built,
        rows=dict(writer.counts),
        seconds=time.perf_counter() - started,
    )


def _workspace(
    writer: _Writer,
    ids: _Ids,
    rng: random.Random,
    *,
    number: int,
    size: Size,
    today: dt.date,
    slack_team_id: str,
) -> Workspace:
    now = dt.datetime.combine(today, dt.time(8, 0), tzinfo=dt.UTC)
    per_team = max(1, size.members // size.teams)
    workspace = Workspace(
        id=ids.take(_t(m.Workspace)),
        slack_team_id=slack_team_id,
        leaders_channel=f"C{number:03d}LEADERS",
    )
    writer.add(
        _t(m.Workspace),
        {
            "id": workspace.id,
            "slack_team_id": workspace.slack_team_id,
            "name": f"Bench {number}",
            "fiscal_start_month": 1,
            "leaders_channel_id": workspace.leaders_channel,
            "default_stretch": 0.10,
            "review_window_days": 5,
            "created_at": now - dt.timedelta(days=366 * 3),
        },
    )
    member_base = ids.take(_t(m.Member), size.members)
    team_base = ids.take(_t(m.Team), size.teams)
    for team in range(size.teams):
        workspace.channels.append(channel_id(number, team))
        writer.add(
            _t(m.Team),
            {
                "id": team_base + team,
                "workspace_id": workspace.id,
                "name": f"Team {team}",
                "channel_id": channel_id(number, team),
                "leader_id": None,  # set once the members are in (each refers to the other)
                "checkin_weekday": team % 5,
                "checkin_time": dt.time(9, 0),
                "timezone": ZONES[team % len(ZONES)],
                "stretch": None,
            },
        )
    for member in range(size.members):
        slack_id = user_id(number, member)
        workspace.users.append(slack_id)
        team = min(member // per_team, size.teams - 1)
        manager = _manager_of(member, per_team, size)
        if member == team * per_team:
            workspace.leaders.append(slack_id)
        writer.add(
            _t(m.Member),
            {
                "id": member_base + member,
                "workspace_id": workspace.id,
                "slack_user_id": slack_id,
                "display_name": f"Person {number}-{member}",
                "timezone": ZONES[team % len(ZONES)],
                "is_slack_admin": member == 0,
                "is_settings_admin": False,
                "manager_id": None if manager is None else member_base + manager,
                "has_no_manager": manager is None,
                "team_id": team_base + team,
                "onboarded_at": now - dt.timedelta(days=366 * 3),
                "checkin_reminders": True,
                "dm_channel_id": "D" + slack_id[1:],
                "created_at": now - dt.timedelta(days=366 * 3),
            },
        )
        writer.add(
            _t(m.ManagerAssignment),
            {
                "id": ids.take(_t(m.ManagerAssignment)),
                "member_id": member_base + member,
                "manager_id": None if manager is None else member_base + manager,
                "started_at": now - dt.timedelta(days=366 * 3),
            },
        )
    writer.flush()
    teams = _t(m.Team)
    writer.connection.execute(
        update(teams).where(teams.c.id == bindparam("team")).values(leader_id=bindparam("leader")),
        [
            {"team": team_base + team, "leader": member_base + team * per_team}
            for team in range(size.teams)
            if team * per_team < size.members
        ],
    )
    # Teams 1, 2, ... have leaders who share (team 1's is the benchmarks' leader; the top's is not).
    public_leaders = set(range(1, 1 + min(size.public_leaders, size.teams - 1)))
    current = quarter_of(today, 1)
    quarters = [current]
    while len(quarters) < size.quarters:
        quarters.insert(0, quarters[0].previous())
    for member in range(size.members):
        team = min(member // per_team, size.teams - 1)
        is_public = member == team * per_team and team in public_leaders
        _member_plans(
            writer,
            ids,
            rng,
            workspace=workspace,
            owner=member_base + member,
            manager=None
            if (boss := _manager_of(member, per_team, size)) is None
            else member_base + boss,
            slack_id=user_id(number, member),
            quarters=quarters,
            public=is_public,
            size=size,
            today=today,
        )
    return workspace


def _member_plans(
    writer: _Writer,
    ids: _Ids,
    rng: random.Random,
    *,
    workspace: Workspace,
    owner: int,
    manager: int | None,
    slack_id: str,
    quarters: list[Quarter],
    public: bool,
    size: Size,
    today: dt.date,
) -> None:
    titles = [COMMITMENTS[i % len(COMMITMENTS)] for i in range(size.commitments)]
    plan_ids = [ids.take(_t(m.Plan)) for _ in quarters]
    contents = [_content(titles, quarter) for quarter in quarters]
    for index, quarter in enumerate(quarters):
        is_current = index == len(quarters) - 1
        start = dt.datetime.combine(quarter.start, dt.time(9, 0), tzinfo=dt.UTC)
        visibility = (
            Visibility.PUBLIC
            if public and is_current
            else (Visibility.TEAM if owner % 3 == 0 else Visibility.PRIVATE)
        )
        shared = visibility is Visibility.PUBLIC
        writer.add(
            _t(m.Plan),
            {
                "id": plan_ids[index],
                "owner_id": owner,
                "fiscal_year": quarter.fiscal_year,
                "quarter": quarter.number,
                "state": (PlanState.ACTIVE if is_current else PlanState.CLOSED).value,
                "visibility": visibility.value,
                "aspiration": contents[index].aspiration,
                "strengths": contents[index].strengths,
                "growth_areas": contents[index].growth_areas,
                "feedback_acted_on": "",
                "revision": 2,
                "shared_channel_id": workspace.leaders_channel if shared else None,
                "shared_ts": f"{start.timestamp():.6f}" if shared else None,
                "created_at": start,
                "updated_at": start + dt.timedelta(days=3, minutes=owner % 1000),
            },
        )
        if is_current:
            workspace.current_plans[slack_id] = plan_ids[index]
            if shared:
                workspace.public_plans.append(plan_ids[index])
    # Every plan of the member is written before its parts: a review names the next one.
    for index, quarter in enumerate(quarters):
        _plan_parts(
            writer,
            ids,
            rng,
            plan_id=plan_ids[index],
            owner=owner,
            manager=manager,
            quarter=quarter,
            content=contents[index],
            today=today,
            size=size,
        )
        if index < len(quarters) - 1:
            _review(
                writer, ids, plan_id=plan_ids[index], next_plan=plan_ids[index + 1], quarter=quarter
            )


def _plan_parts(
    writer: _Writer,
    ids: _Ids,
    rng: random.Random,
    *,
    plan_id: int,
    owner: int,
    manager: int | None,
    quarter: Quarter,
    content: PlanContent,
    today: dt.date,
    size: Size,
) -> None:
    start = dt.datetime.combine(quarter.start, dt.time(9, 0), tzinfo=dt.UTC)
    commitment_base = ids.take(_t(m.Commitment), len(content.commitments))
    for position, commitment in enumerate(content.commitments):
        writer.add(
            _t(m.Commitment),
            {
                "id": commitment_base + position,
                "plan_id": plan_id,
                "position": position,
                "title": commitment.title,
                "kind": commitment.kind.value,
                "unit": commitment.unit,
                "baseline": commitment.baseline,
                "target": commitment.target,
                "direction": commitment.direction.value,
                "rollup": commitment.rollup.value,
                "due_date": commitment.due_date,
                "metric_key": None,
            },
        )
    for kind, description, cadence in (
        (m.ManagerCommitmentKind.ONE_ON_ONE, "", 1),
        (m.ManagerCommitmentKind.COACHING, content.manager.coaching_focus, None),
    ):
        writer.add(
            _t(m.ManagerCommitment),
            {
                "id": ids.take(_t(m.ManagerCommitment)),
                "plan_id": plan_id,
                "kind": kind.value,
                "description": description,
                "cadence_weeks": cadence,
            },
        )
    shot = snapshot(content)
    for number in (1, 2):
        writer.add(
            _t(m.Revision),
            {
                "id": ids.take(_t(m.Revision)),
                "plan_id": plan_id,
                "number": number,
                "author_id": owner,
                "snapshot": shot,
                "summary": "First draft" if number == 1 else "Targets agreed",
                "created_at": start + dt.timedelta(days=number),
            },
        )
    for member in (owner,) if manager is None else (owner, manager):
        writer.add(
            _t(m.Acknowledgement),
            {
                "id": ids.take(_t(m.Acknowledgement)),
                "plan_id": plan_id,
                "revision": 2,
                "member_id": member,
                "acknowledged_at": start + dt.timedelta(days=3),
            },
        )
    for week, monday in enumerate(quarter.week_starts()):
        if monday > today:
            break
        checkin = ids.take(_t(m.CheckIn))
        skipped = rng.randrange(size.skip_every) == 0
        submitted = dt.datetime.combine(monday, dt.time(15, 0), tzinfo=dt.UTC)
        writer.add(
            _t(m.CheckIn),
            {
                "id": checkin,
                "plan_id": plan_id,
                "week_start": monday,
                "skipped": skipped,
                "skip_reason": "On leave" if skipped else None,
                "confidence": None if skipped else 2 + rng.randrange(4),
                "win": "Booked a demo with Acme" if not skipped and week % 4 == 1 else None,
                "blocker": None,
                "one_on_one_happened": None if skipped else rng.random() < 0.85,
                "submitted_at": submitted,
                "updated_at": submitted,
            },
        )
        if skipped:
            continue
        value_base = ids.take(_t(m.CheckInValue), len(content.commitments))
        for position, commitment in enumerate(content.commitments):
            if commitment.kind is CommitmentKind.MILESTONE:
                value = 1.0 if week >= 10 else 0.0
            else:
                value = float(rng.randrange(15, 32))
            writer.add(
                _t(m.CheckInValue),
                {
                    "id": value_base + position,
                    "checkin_id": checkin,
                    "commitment_id": commitment_base + position,
                    "value": value,
                },
            )
        if week % 6 == 2:
            writer.add(
                _t(m.Win),
                {
                    "id": ids.take(_t(m.Win)),
                    "plan_id": plan_id,
                    "author_id": owner,
                    "text": f"Closed a deal in week {week + 1}",
                    "happened_on": monday + dt.timedelta(days=2),
                    "message_link": None,
                    "created_at": submitted,
                },
            )


def _review(writer: _Writer, ids: _Ids, *, plan_id: int, next_plan: int, quarter: Quarter) -> None:
    done = dt.datetime.combine(quarter.last_day, dt.time(16, 0), tzinfo=dt.UTC)
    writer.add(
        _t(m.Review),
        {
            "id": ids.take(_t(m.Review)),
            "plan_id": plan_id,
            "owner_reflection": "A good quarter",
            "manager_reflection": "Agreed",
            "wins_summary": "",
            "completed_at": done,
            "next_plan_id": next_plan,
            "created_at": done - dt.timedelta(days=4),
        },
    )


@contextlib.contextmanager
def scratch_database(database_url: str | None, *, keep: bool = False) -> Iterator[str]:
    """A database of its own for one benchmark run: a new SQLite file, or a new
    schema in the PostgreSQL ``database_url`` names (dropped after unless ``keep``)."""
    if not database_url or database_url.startswith("sqlite"):
        if database_url:
            yield database_url
            return
        with tempfile.TemporaryDirectory() as workdir:
            yield f"sqlite:///{Path(workdir) / 'bench.db'}"
        return
    schema = f"bench_{os.getpid()}_{int(time.time())}"
    admin = create_engine(parse_database_url(database_url))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield with_schema(database_url, schema)
    finally:
        if not keep:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def with_schema(database_url: str, schema: str) -> str:
    return (
        make_url(parse_database_url(database_url))
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", default="sqlite:///bench.db")
    parser.add_argument("--schema", help="PostgreSQL: build into this schema (created if missing)")
    defaults = Size()
    for name in ("members", "teams", "quarters", "commitments", "public_leaders", "workspaces"):
        parser.add_argument(
            f"--{name.replace('_', '-')}", type=int, default=getattr(defaults, name)
        )
    parser.add_argument("--today", type=dt.date.fromisoformat, help="default: today")
    args = parser.parse_args()
    url = args.database_url
    if args.schema:
        admin = create_engine(parse_database_url(url))
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{args.schema}"'))
        admin.dispose()
        url = with_schema(url, args.schema)
    size = Size(
        members=args.members,
        teams=args.teams,
        quarters=args.quarters,
        commitments=args.commitments,
        public_leaders=args.public_leaders,
        workspaces=args.workspaces,
    )
    dataset = build(url, size=size, today=args.today)
    print(f"built in {dataset.seconds:.1f} s, as of {dataset.today}:")
    for table, count in sorted(dataset.rows.items()):
        print(f"  {table:22} {count:>10,}")


if __name__ == "__main__":
    main()
