"""One week's check-in prompts and reminders for a large workspace, under Slack's limits.

5,000 members in 250 team channels: a prompt per channel, then a reminder DM per
member who has not checked in, sent by the scheduler against the loopback Slack
enforcing chat.postMessage's limits (about 1/s per channel and a workspace-wide
rate; --scale speeds every limit up together to keep the run short). Prints the
wall time against the lower bound those limits allow, and counts duplicates and
losses from what Slack received. Goal: at most 1.1x the bound, 0 duplicates, 0
lost. Then measures the clock's peak memory with 10,000 members in a fresh
process (goal: at most 150 MB).

Then many workspaces (benchmarks/fanout_workspaces.py: clock processes of
their own, in OAuth mode, 100 ms of Slack latency on every call):
- workspaces: 1 workspace of 500 members at Slack's own limits, and 200
  workspaces side by side (limits scaled down so that their sum fits what this
  machine can send), each against the bound of one workspace's limit (goal:
  within 1.1x);
- clocks: 32 workspaces sent by 1, 2 and 4 clocks, each holding at most 8
  workspaces at once (a clock holds 256: this stands for more workspaces than
  one clock holds), against a loopback Slack that answers 429 past each
  workspace's limit: 0 answers of 429, 0 duplicates, 0 lost, two clocks faster
  than one.

Run: python -m benchmarks.fanout [--members 5000] [--channels 250] [--scale 20]
     [--only single memory workspaces clocks]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import insert, select

from benchmarks import fanout_workspaces
from bot.app import make_client
from bot.config import Settings
from bot.db import models as m
from bot.db.base import Base
from bot.db.session import Database
from bot.domain.plans import PlanState
from bot.outbox.pacing import Pacers
from bot.scheduler.jobs import run_due
from tests.slack_emulator import RateLimits, SlackEmulator
from tests.support import PerCallServices as Services
from tests.workspaces import Shape

LATENCY = 0.1  # seconds of Slack's round trip, on every call
ONE = Shape(workspaces=1, teams=25, members=20)
MANY = Shape(workspaces=200, teams=2, members=10)
MANY_SCALE = 0.02  # 12 posts a minute each: 200 of them, 40 a second, fit 2 shared cores
SHARED = Shape(workspaces=32, teams=1, members=10)
SHARED_SCALE = 0.1
SHARED_AT_ONCE = 8
PROMPT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # Monday 09:00 UTC
REMINDERS = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)  # Tuesday 15:00 UTC
POSTS_PER_MINUTE = 600


def populate(db: Database, *, slack_team_id: str, members: int, channels: int) -> None:
    """A workspace with ``channels`` teams of equal size, every member with an active plan."""
    Base.metadata.create_all(db.engine)
    with db.sessions.begin() as session:
        workspace = session.scalar(
            insert(m.Workspace)
            .values(
                slack_team_id=slack_team_id,
                name="Bench",
                fiscal_start_month=1,
                default_stretch=0.1,
                created_at=PROMPT,
            )
            .returning(m.Workspace.id)
        )
        session.execute(
            insert(m.Team),
            [
                {
                    "workspace_id": workspace,
                    "name": f"team {i}",
                    "channel_id": f"CB{i:05d}",
                    "checkin_weekday": 0,
                    "checkin_time": dt.time(9),
                    "timezone": "UTC",
                }
                for i in range(channels)
            ],
        )
        team_ids = list(session.scalars(select(m.Team.id).order_by(m.Team.id)))
        session.execute(
            insert(m.Member),
            [
                {
                    "workspace_id": workspace,
                    "slack_user_id": f"UB{i:06d}",
                    "display_name": f"member {i}",
                    "timezone": "UTC",
                    "team_id": team_ids[i % channels],
                    "is_slack_admin": False,
                    "is_settings_admin": False,
                    "created_at": PROMPT,
                }
                for i in range(members)
            ],
        )
        member_ids = list(session.scalars(select(m.Member.id).order_by(m.Member.id)))
        session.execute(
            insert(m.Plan),
            [
                {
                    "owner_id": member_id,
                    "fiscal_year": 2026,
                    "quarter": 4,
                    "state": PlanState.ACTIVE,
                    "aspiration": "Grow",
                    "revision": 1,
                    "created_at": PROMPT,
                    "updated_at": PROMPT,
                }
                for member_id in member_ids
            ],
        )


def week(services: Services, slack: SlackEmulator, pacers: Pacers | None) -> tuple[float, float]:
    client = make_client(Settings(slack_bot_token=slack.bot_token, slack_api_url=slack.api_url))
    started = time.perf_counter()
    run_due(db=services.db, clients=lambda _team: client, now=PROMPT, pacers=pacers)
    prompts = time.perf_counter() - started
    started = time.perf_counter()
    run_due(db=services.db, clients=lambda _team: client, now=REMINDERS, pacers=pacers)
    return prompts, time.perf_counter() - started


def fanout(args: argparse.Namespace) -> None:
    limits = RateLimits(scale=args.scale, post_per_workspace_per_minute=POSTS_PER_MINUTE)
    slack = SlackEmulator(limits=limits).start()
    for i in range(args.channels):
        slack.add_channel(f"CB{i:05d}", f"team-{i}")
    for i in range(args.members):
        slack.add_user(f"UB{i:06d}", f"member{i}", tz="UTC")
    database_url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'fanout.db'}"
    db = Database(database_url)
    populate(db, slack_team_id=slack.team_id, members=args.members, channels=args.channels)
    pacers = Pacers(
        posts_per_minute=POSTS_PER_MINUTE * args.scale, channel_posts_per_second=args.scale
    )
    prompts, reminders = week(Services.build(db), slack, pacers)

    rate = POSTS_PER_MINUTE * args.scale / 60  # messages per second the workspace cap allows
    messages = args.channels + args.members
    bound = messages / rate
    keys = Counter(
        (msg.metadata or {}).get("event_payload", {}).get("key")
        for messages_in in slack.messages.values()
        for msg in messages_in
    )
    duplicates = sum(count - 1 for count in keys.values() if count > 1)
    lost = messages - len([key for key in keys if key])
    throttled = sum(1 for call in slack.calls if call.status == 429)
    wall = prompts + reminders
    print(
        f"{args.channels} prompts in {prompts:.2f}s, {args.members} reminders in {reminders:.2f}s"
    )
    print(
        f"limits: {POSTS_PER_MINUTE}/min per workspace and 1/s per channel, x{args.scale:g}; "
        f"{throttled} answers of 429"
    )
    print(
        f"wall {wall:.2f}s against a lower bound of {bound:.2f}s = {wall / bound:.3f}x "
        f"(goal <= 1.1x); {duplicates} duplicates, {lost} lost (goal 0, 0)"
    )
    slack.stop()
    db.dispose()


def memory_child(members: int, channels: int) -> None:
    """In a fresh process: the clock's work for a week, then its peak RSS."""
    slack = SlackEmulator(limits=RateLimits(enabled=False))
    # The Slack stand-in runs in another process, so it does not count here.
    api = os.environ["BENCH_SLACK_API_URL"]
    db = Database(os.environ["BENCH_DATABASE_URL"])
    client = make_client(Settings(slack_bot_token=slack.bot_token, slack_api_url=api))
    services = Services.build(db)
    run_due(db=services.db, clients=lambda _team: client, now=PROMPT)
    run_due(db=services.db, clients=lambda _team: client, now=REMINDERS)
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)  # kB on Linux


def memory(args: argparse.Namespace) -> None:
    slack = SlackEmulator(limits=RateLimits(enabled=False)).start()
    for i in range(args.channels):
        slack.add_channel(f"CB{i:05d}", f"team-{i}")
    for i in range(args.memory_members):
        slack.add_user(f"UB{i:06d}", f"member{i}", tz="UTC")
    database_url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'memory.db'}"
    db = Database(database_url)
    populate(db, slack_team_id=slack.team_id, members=args.memory_members, channels=args.channels)
    db.dispose()
    env = {**os.environ, "BENCH_SLACK_API_URL": slack.api_url, "BENCH_DATABASE_URL": database_url}
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.fanout", "--memory-child", str(args.memory_members)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    peak_mb = int(out) / 1024
    sent = len(slack.calls_to("chat.postMessage"))
    print(
        f"clock process peak memory with {args.memory_members} members: {peak_mb:.0f} MB "
        f"(goal <= 150 MB); {sent} messages sent"
    )
    slack.stop()


def workspaces(args: argparse.Namespace) -> None:
    for shape, scale in ((ONE, 1.0), (MANY, MANY_SCALE)):
        run = fanout_workspaces.week(
            shape=shape, clocks=1, scale=scale, latency=LATENCY, database_url=args.database_url
        )
        print(run.line())


def clocks(args: argparse.Namespace) -> None:
    runs = [
        fanout_workspaces.week(
            shape=SHARED,
            clocks=count,
            scale=SHARED_SCALE,
            latency=LATENCY,
            at_once=SHARED_AT_ONCE,
            database_url=args.database_url,
        )
        for count in (1, 2, 4)
    ]
    for run in runs:
        print(run.line(goal=f"each clock holding at most {SHARED_AT_ONCE} workspaces at once"))
    one, two, four = (run.seconds for run in runs)
    print(
        f"clocks: 1 in {one:.2f}s, 2 in {two:.2f}s ({one / two:.2f}x faster), "
        f"4 in {four:.2f}s ({one / four:.2f}x faster) (goal: 2 faster than 1)"
    )


PARTS: dict[str, Callable[[argparse.Namespace], None]] = {
    "single": fanout,
    "memory": memory,
    "workspaces": workspaces,
    "clocks": clocks,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--channels", type=int, default=250)
    parser.add_argument("--scale", type=float, default=20.0)
    parser.add_argument("--memory-members", type=int, default=10_000)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: a fresh SQLite file)")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--only", nargs="+", choices=PARTS, default=list(PARTS))
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.channels)
        return
    for part in args.only:
        PARTS[part](args)


if __name__ == "__main__":
    main()
