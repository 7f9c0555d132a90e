"""Export and import on a workspace with two years of history.

300 members (by default), each with 8 quarters of plans: 4 commitments, 13
weekly check-ins with a value each, 3 wins and 2 revisions a quarter. Times
what people wait for:

- ``/myplan export`` for one member: the JSON and the CSV, ready to upload
  (Slack's upload is not counted), against the floor of reading the same
  rows with one plain query per table;
- ``myplan export --all`` of the workspace, against reading every row;
- ``myplan import`` of that export into an empty database (the move), against
  inserting the same rows with one plain executemany per table.

Goals: a member's export under 1 s; the workspace's export and import each
within 3x their floor.

Run: python -m benchmarks.export [--members 300] [--postgres postgresql://...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from bot.db import models as m
from bot.db.base import Base
from bot.db.session import Database
from bot.domain.plans import PlanState
from bot.services.export import Scope, from_json, tables
from bot.usecases.data import export_data, import_data

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
QUARTERS = 8


def populate(db: Database, *, members: int) -> None:
    Base.metadata.create_all(db.engine)
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in Base.metadata.tables}
    rows["workspaces"].append({"id": 1, "slack_team_id": "TBENCH", "created_at": NOW})
    ids = {"plan": 0, "commitment": 0, "checkin": 0}
    for member in range(1, members + 1):
        rows["members"].append(
            {
                "id": member,
                "workspace_id": 1,
                "slack_user_id": f"U{member:06d}",
                "display_name": f"Member {member}",
                "created_at": NOW,
            }
        )
        for index in range(QUARTERS):
            ids["plan"] += 1
            plan = ids["plan"]
            year, quarter = 2025 + index // 4, index % 4 + 1
            rows["plans"].append(
                {
                    "id": plan,
                    "owner_id": member,
                    "fiscal_year": year,
                    "quarter": quarter,
                    "state": PlanState.CLOSED,
                    "aspiration": "Grow into the role " * 5,
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
            _quarter_rows(rows, ids, plan=plan, member=member, start=dt.date(year - 1, 1, 5))
    with db.sessions.begin() as session:
        for table in tables():
            if rows.get(table.name):
                session.execute(insert(table), rows[table.name])


def _quarter_rows(
    rows: dict[str, list[dict[str, Any]]],
    ids: dict[str, int],
    *,
    plan: int,
    member: int,
    start: dt.date,
) -> None:
    commitments = []
    for position in range(4):
        ids["commitment"] += 1
        commitments.append(ids["commitment"])
        rows["commitments"].append(
            {
                "id": ids["commitment"],
                "plan_id": plan,
                "position": position,
                "title": f"Metric {position}",
                "kind": "activity",
                "unit": "calls",
                "baseline": 20.0,
                "target": 25.5,
                "direction": "up",
                "rollup": "average",
            }
        )
    for week in range(13):
        ids["checkin"] += 1
        rows["checkins"].append(
            {
                "id": ids["checkin"],
                "plan_id": plan,
                "week_start": start + dt.timedelta(weeks=week),
                "confidence": 4,
                "win": "Booked a demo",
                "blocker": None,
                "submitted_at": NOW,
                "updated_at": NOW,
            }
        )
        rows["checkin_values"] += [
            {"checkin_id": ids["checkin"], "commitment_id": c, "value": 21.0 + week}
            for c in commitments
        ]
    rows["wins"] += [
        {
            "plan_id": plan,
            "author_id": member,
            "text": f"Win {n}",
            "happened_on": start,
            "created_at": NOW,
        }
        for n in range(3)
    ]
    rows["revisions"] += [
        {
            "plan_id": plan,
            "number": n,
            "author_id": member,
            "summary": "edited",
            "snapshot": {"aspiration": "Grow", "commitments": [{"target": 25.5}] * 4},
            "created_at": NOW,
        }
        for n in (1, 2)
    ]


def timed(work: Callable[[], Any], runs: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def read_everything(db: Database) -> int:
    with db.sessions.begin() as session:
        return sum(len(session.execute(select(t)).all()) for t in tables())


def insert_plainly(db: Database, document: dict[str, Any]) -> None:
    with db.sessions.begin() as session:
        for table in tables():
            found = document["tables"].get(table.name) or []
            if found:
                session.execute(
                    insert(table),
                    [{k: from_json(table, name=k, value=v) for k, v in r.items()} for r in found],
                )


def fresh(url: str | None, folder: Path, name: str) -> Database:
    database = Database(url or f"sqlite:///{folder / name}")
    Base.metadata.drop_all(database.engine)
    Base.metadata.create_all(database.engine)
    return database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--postgres", help="also import into this (emptied) PostgreSQL")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    source = Database(f"sqlite:///{folder / 'source.db'}")
    populate(source, members=args.members)
    one = Scope(slack_team_id="TBENCH", slack_user_id="U000001")
    member_s, exported = timed(lambda: export_data(source, scope=one, now=NOW))
    size = len(json.dumps(exported.document)) + len(exported.checkins)
    floor_member, _ = timed(lambda: read_member_floor(source))
    all_s, everything = timed(lambda: export_data(source, scope=Scope(), now=NOW, checkins=False))
    csv_s, _ = timed(lambda: export_data(source, scope=Scope(), now=NOW, rows=False))
    text = json.dumps(everything.document)
    floor_all, count = timed(lambda: read_everything(source))
    print(f"{args.members} members, {count} rows; one member's export {size / 1e3:.0f} kB")
    print(
        f"/myplan export, one member: {member_s * 1e3:.0f} ms (floor {floor_member * 1e3:.0f} ms)"
    )
    print(
        f"export --all: {all_s:.2f} s (floor {floor_all:.2f} s, {all_s / floor_all:.1f}x), "
        f"{len(text) / 1e6:.1f} MB; --format csv (the check-ins) {csv_s:.2f} s"
    )
    for label, url in (("SQLite", None), ("PostgreSQL", args.postgres)):
        if label == "PostgreSQL" and url is None:
            continue
        document = json.loads(text)
        target = fresh(url, folder, "target.db")
        started = time.perf_counter()
        import_data(target, document=document)
        import_s = time.perf_counter() - started
        plain = fresh(url, folder, "plain.db")
        started = time.perf_counter()
        insert_plainly(plain, document)
        plain_s = time.perf_counter() - started
        print(
            f"import into {label}: {import_s:.2f} s (plain inserts {plain_s:.2f} s, "
            f"{import_s / plain_s:.1f}x)"
        )
        target.dispose()
        plain.dispose()


def read_member_floor(db: Database) -> int:
    """The member's rows, one plain query per table, nothing rendered."""
    with db.sessions.begin() as session:
        plans = select(m.Plan.id).where(m.Plan.owner_id == 1)
        checkins = select(m.CheckIn.id).where(m.CheckIn.plan_id.in_(plans))
        queries = [
            select(m.Member).where(m.Member.id == 1),
            select(m.Plan).where(m.Plan.owner_id == 1),
            select(m.Commitment).where(m.Commitment.plan_id.in_(plans)),
            select(m.CheckIn).where(m.CheckIn.plan_id.in_(plans)),
            select(m.CheckInValue).where(m.CheckInValue.checkin_id.in_(checkins)),
            select(m.Win).where(m.Win.plan_id.in_(plans)),
            select(m.Revision).where(m.Revision.plan_id.in_(plans)),
        ]
        return sum(len(session.execute(query).all()) for query in queries)


if __name__ == "__main__":
    main()
