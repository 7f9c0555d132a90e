"""What one tick of the clock costs, idle and busy, at 2,000 and 20,000 members.

Builds the realistic dataset (benchmarks/dataset.py: teams of 20 checking in
on every weekday at 09:00 in five zones; ``--quarters`` of history, 2 by
default to keep the build short: a tick reads the current quarter only),
then runs the clock over a simulated Monday and Tuesday (and, as a second
span, over the quarter's last two days: review asks, their reminder, the
standards offer), one tick an hour
against the loopback Slack (limits off: this measures the tick, not Slack's
pace), each followed a minute later by the tick that finds nothing new: once
with the clock's memory (the same OutboxStore) and once as a clock just
started. A tick that sent something is busy; the ones after are idle.

Goal (issue 15): an idle tick under 50 ms at 2,000 members, a handful of
statements that does not grow with the members.

Run: python -m benchmarks.tick [--members 2000,20000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from dataclasses import dataclass, field

from sqlalchemy import event

from benchmarks.dataset import Size, build, scratch_database
from bot.app import make_client
from bot.config import Settings
from bot.db.session import Database
from bot.outbox.store import OutboxStore
from bot.scheduler.jobs import run_due
from tests.slack_emulator import RateLimits, SlackEmulator

MONDAY = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
# The quarter's end: its review window's last working days, its reminder and
# the standards offer (the dataset's fiscal year starts in January).
QUARTER_END = dt.datetime(2026, 12, 30, tzinfo=dt.UTC)
SPANS = {"week": MONDAY, "quarter-end": QUARTER_END}
IDLE_GOAL_MS = 50.0


@dataclass
class Figures:
    busy_ms: list[float] = field(default_factory=list)
    busy_statements: list[int] = field(default_factory=list)
    idle_ms: list[float] = field(default_factory=list)  # remembered
    idle_statements: list[int] = field(default_factory=list)
    fresh_ms: list[float] = field(default_factory=list)  # a clock just started
    fresh_statements: list[int] = field(default_factory=list)
    sent: int = 0


def _p(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(
    database_url: str, *, members: int, quarters: int, hours: int, start: dt.datetime
) -> Figures:
    slack = SlackEmulator(limits=RateLimits(enabled=False)).start()
    dataset = build(
        database_url,
        size=Size(members=members, teams=max(1, members // 20), quarters=quarters),
        today=MONDAY.date(),
        team_ids=[slack.team_id],
    )
    for workspace in dataset.workspaces:
        for channel in [*workspace.channels, workspace.leaders_channel]:
            slack.add_channel(channel, channel.lower())
        for user in workspace.users:
            slack.add_user(user, user.lower(), tz="UTC")
    db = Database(database_url)
    client = make_client(Settings(slack_bot_token=slack.bot_token, slack_api_url=slack.api_url))
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    figures = Figures()
    store = OutboxStore(db)

    def tick(now: dt.datetime, with_store: OutboxStore) -> tuple[float, int, int]:
        statements[0] = 0
        started = time.perf_counter()
        report = run_due(db=db, clients=lambda _t: client, now=now, store=with_store)
        elapsed = (time.perf_counter() - started) * 1000
        return elapsed, statements[0], sum(report.sent.values())

    for hour in range(hours):
        now = start + dt.timedelta(hours=hour)
        ms, count_, sent = tick(now, store)
        figures.sent += sent
        if sent:
            figures.busy_ms.append(ms)
            figures.busy_statements.append(count_)
        later = now + dt.timedelta(minutes=1)
        ms, count_, sent = tick(later, store)
        figures.sent += sent
        figures.idle_ms.append(ms)
        figures.idle_statements.append(count_)
        ms, count_, sent = tick(later + dt.timedelta(seconds=1), OutboxStore(db))
        figures.sent += sent
        figures.fresh_ms.append(ms)
        figures.fresh_statements.append(count_)
    event.remove(db.engine, "before_cursor_execute", count)
    db.dispose()
    slack.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--members", default="2000,20000")
    parser.add_argument("--quarters", type=int, default=2)
    parser.add_argument("--hours", type=int, default=48, help="hourly ticks in each span")
    parser.add_argument(
        "--spans",
        default="week,quarter-end",
        help="week: from Monday 00:00 UTC (prompts, reminders); quarter-end: from "
        "the review window's last days (review asks, their reminder, standards)",
    )
    args = parser.parse_args()
    for members in (int(n) for n in args.members.split(",")):
        for span in args.spans.split(","):
            with scratch_database(args.database_url) as url:
                started = time.perf_counter()
                f = run(
                    url,
                    members=members,
                    quarters=args.quarters,
                    hours=args.hours,
                    start=SPANS[span],
                )
                wall = time.perf_counter() - started
            _print(f, members=members, span=span, hours=args.hours, wall=wall)


def _print(f: Figures, *, members: int, span: str, hours: int, wall: float) -> None:
    goal = f"(goal < {IDLE_GOAL_MS:.0f} ms)" if members <= 2000 else ""
    print(
        f"{members} members, {members // 20} teams, {span}: {hours} hourly ticks, "
        f"{f.sent} messages ({wall:.0f} s with the build):"
    )
    print(
        f"  busy tick ({len(f.busy_ms)}): median {statistics.median(f.busy_ms or [0]):.0f} ms, "
        f"max {max(f.busy_ms or [0]):.0f} ms, up to {max(f.busy_statements or [0])} statements"
    )
    print(
        f"  idle tick, remembered: p50 {_p(f.idle_ms, 0.5):.1f} ms, "
        f"max {max(f.idle_ms):.1f} ms {goal}, up to {max(f.idle_statements)} statements"
    )
    print(
        f"  idle tick, clock just started: p50 {_p(f.fresh_ms, 0.5):.1f} ms, "
        f"max {max(f.fresh_ms):.1f} ms {goal}, up to {max(f.fresh_statements)} statements"
    )


if __name__ == "__main__":
    main()
