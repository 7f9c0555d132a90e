"""What every read view costs on the realistic dataset: statements, transactions, time.

Builds benchmarks/dataset.py's workspace (2,000 members, ten quarters, ~1M
check-in values, 41 public leader plans) in a scratch database, then runs each
read use case as a listener runs it (App Home, the team view, `/myplan`,
`/myplan @someone`) for a member, a team leader with a public plan and 29
reports, and the top of the organisation, N times each, and prints the
statements and transactions of one run and the p50/p95 time, each beside its
goal: at most 10 statements in 1 transaction, p95 under 50 ms. It also
EXPLAINs every statement (tests/sql_plans.py) and names any that reads a
table whole or far more rows than it returns (PostgreSQL: EXPLAIN ANALYZE).

Run: python -m benchmarks.reads [--database-url postgresql://127.0.0.1/test] [--repetitions 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event, select

from benchmarks.dataset import Size, build, scratch_database
from bot.db.models import Member
from bot.db.session import Database
from bot.services.read_model import PlanCard
from bot.usecases import checkins, digest, home, plans
from bot.usecases.common import Actor
from bot.usecases.plans import OpenBuilder
from tests.sql_plans import wasteful_reads

MAX_STATEMENTS = 10
MAX_TRANSACTIONS = 1
P95_GOAL_MS = 50.0


@dataclass
class Recorder:
    statements: list[tuple[str, Any]] = field(default_factory=list)
    transactions: int = 0
    on: bool = False

    def statement(self, conn: Any, cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if self.on:
            self.statements.append((sql, params))

    def begin(self, conn: Any) -> None:
        if self.on:
            self.transactions += 1

    @contextmanager
    def recording(self) -> Iterator[Recorder]:
        self.statements, self.transactions, self.on = [], 0, True
        try:
            yield self
        finally:
            self.on = False


def attach(engine: Engine) -> Recorder:
    recorder = Recorder()
    event.listen(engine, "before_cursor_execute", recorder.statement)
    event.listen(engine, "begin", recorder.begin)
    return recorder


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))]


def wasteful(engine: Engine, statements: list[tuple[str, Any]]) -> set[str]:
    """What tests/sql_plans.py finds in these statements: a table read whole,
    or far past the rows the statement returns."""
    with engine.connect() as connection:
        return {
            f"{scan}: {' '.join(sql.split())[:100]}"
            for sql, parameters in statements
            for scan in wasteful_reads(connection, sql, parameters)
        }


def views(
    db: Database,
    now: dt.datetime,
    team_id: str,
    member: str,
    leader: str,
    top: str,
    public_owner: str,
) -> list[tuple[str, Callable[[Database, dt.datetime], object]]]:
    """Each view as a call; ``db`` and ``now`` find the plan the Edit button names
    (a button carries its plan's id), before any view is timed."""

    def actor(user: str) -> Actor:
        return Actor(slack_team_id=team_id, slack_user_id=user)

    shown = plans.show_my_plan(db, actor=actor(leader), now=now)
    assert isinstance(shown, PlanCard | OpenBuilder)
    leaders_plan = shown.plan.id
    with db.sessions.begin() as session:
        leader_id = session.scalars(select(Member.id).where(Member.slack_user_id == leader)).one()

    return [
        ("App Home, member", lambda db, now: home.open_home(db, actor=actor(member), now=now)),
        ("App Home, leader", lambda db, now: home.open_home(db, actor=actor(leader), now=now)),
        ("App Home, top", lambda db, now: home.open_home(db, actor=actor(top), now=now)),
        (
            "team view, leader",
            lambda db, now: home.team_overview(db, actor=actor(leader), now=now),
        ),
        ("/myplan, leader", lambda db, now: plans.show_my_plan(db, actor=actor(leader), now=now)),
        (
            "check-in, member",
            lambda db, now: checkins.open_checkin(db, actor=actor(member), now=now),
        ),
        (
            "/myplan @leader",
            lambda db, now: plans.someones_plan(
                db, actor=actor(member), slack_user_id=public_owner, now=now
            ),
        ),
        (
            "Edit (builder), leader",
            lambda db, now: plans.edit_plan(db, actor=actor(leader), plan_id=leaders_plan),
        ),
        # What a request reads to post or edit the manager's digest of the day.
        (
            "digest, leader",
            lambda db, now: digest.manager_digest(db, manager_id=leader_id, now=now),
        ),
    ]


def people(size: Size) -> tuple[str, str, str, str, str]:
    """Who the views are read for: the workspace, a member of team 1, team 1's
    leader (its reports and the leaders of teams 10-19 report to them; their
    plan is public), and the top (leads team 0), and whose plan is looked up."""
    from benchmarks.dataset import team_id, user_id

    per_team = size.members // size.teams
    leader = user_id(0, per_team)
    return team_id(0), user_id(0, per_team + 3), leader, user_id(0, 0), leader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="PostgreSQL URL (a scratch schema); default SQLite")
    parser.add_argument("--repetitions", type=int, default=200)
    parser.add_argument("--members", type=int, default=Size().members)
    parser.add_argument("--teams", type=int, default=Size().teams)
    parser.add_argument(
        "--existing", help="the URL of a database built by benchmarks.dataset already"
    )
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    size = Size(members=args.members, teams=args.teams)
    if args.existing:
        run(args.existing, args.repetitions, size)
        return
    with scratch_database(args.database_url) as url:
        dataset = build(url, size=size)
        values = dataset.rows.get("checkin_values", 0)
        print(
            f"dataset: {size.members} members, {values:,} check-in values, "
            f"built in {dataset.seconds:.0f} s"
        )
        run(url, args.repetitions, size)


def run(url: str, repetitions: int, size: Size) -> None:
    db = Database(url)
    recorder = attach(db.engine)
    now = dt.datetime.now(dt.UTC)
    rows = []
    for name, call in views(db, now, *people(size)):
        call(db, now)  # warm: compiled statements, the identity of the actor
        with recorder.recording():
            call(db, now)
        statements, transactions = list(recorder.statements), recorder.transactions
        times = []
        cpu_started = time.process_time()
        for _ in range(repetitions):
            started = time.perf_counter()
            call(db, now)
            times.append((time.perf_counter() - started) * 1000)
        cpu = (time.process_time() - cpu_started) * 1000 / repetitions
        scans = wasteful(db.engine, statements)
        rows.append(
            (
                name,
                len(statements),
                transactions,
                percentile(times, 50),
                percentile(times, 95),
                cpu,
                scans,
            )
        )
    print(
        f"{db.engine.dialect.name}, {repetitions} repetitions, "
        f"load average {os.getloadavg()[0]:.2f} (2 shared cores: noisy)"
    )
    print(
        f"{'view':20} {'statements':>16} {'transactions':>14} {'p50':>8} {'p95 (goal)':>18}"
        f" {'CPU a call':>11}"
    )
    for name, statements, transactions, p50, p95, cpu, scans in rows:
        ok = statements <= MAX_STATEMENTS and transactions <= MAX_TRANSACTIONS and p95 < P95_GOAL_MS
        print(
            f"{name:20} {statements:>4} (<= {MAX_STATEMENTS}) {transactions:>6} (<= 1) "
            f"{p50:6.1f}ms {p95:6.1f}ms (< {P95_GOAL_MS:.0f}) {cpu:6.1f}ms  "
            f"{'ok' if ok else 'ABOVE GOAL'}"
        )
        if scans:
            for scan in sorted(scans):
                print(f"{'':20} reads more than it shows: {scan}")
    db.dispose()


if __name__ == "__main__":
    main()
