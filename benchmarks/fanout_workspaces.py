"""Many workspaces' week, sent by one or more clock processes (issue 15, items 3 and 4).

Each clock is a process of its own (tests/clock_process.py: a minute of
`myplan clock`, in OAuth mode, started on cue once every clock is alive),
against the loopback Slack in this process, which answers 429 past each
workspace's limits and takes ``latency`` seconds over every call. A week is the
prompt tick (a post per team) then the reminder tick (a DM per member). The time
is the clocks' own, from their cue to the last one done (process start-up,
1-2 s of imports, is not counted); the bound is what the limits allow: each
workspace's messages at its rate, all workspaces at once.

Used by benchmarks/fanout.py (--workspaces, --clocks).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

from benchmarks.dataset import scratch_database
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.outbox.leases import AT_ONCE
from tests.slack_emulator import RateLimits, SlackEmulator
from tests.workspaces import CLIENT_ID, PROMPT, REMINDERS, Received, Shape, build, received

POSTS_PER_MINUTE = 600.0  # Slack's workspace-wide chat.postMessage rate, about


@dataclass(frozen=True, kw_only=True)
class Week:
    shape: Shape
    clocks: int
    scale: float
    latency: float
    seconds: float  # the two ticks, cue to the last clock done
    per_clock: list[int]  # messages each clock sent
    got: Received

    @property
    def bound(self) -> float:
        """Each workspace's messages at its rate; the workspaces side by side."""
        rate = POSTS_PER_MINUTE * self.scale / 60
        return self.shape.teams * (1 + self.shape.members) / rate

    def line(self, *, goal: str = "goal <= 1.1x") -> str:
        s = self.shape
        return (
            f"{s.workspaces} workspace(s) of {s.teams * s.members} members ({s.teams} teams), "
            f"{self.clocks} clock(s), limits x{self.scale:g}, "
            f"latency {self.latency * 1000:.0f} ms: "
            f"{self.seconds:.2f}s against the bound of {self.bound:.2f}s = "
            f"{self.seconds / self.bound:.3f}x ({goal}); sent per clock {self.per_clock}; "
            f"{self.got.throttled} answers of 429, {self.got.duplicates} duplicates, "
            f"{self.got.lost} lost (goal 0, 0, 0)"
        )


def week(
    *,
    shape: Shape,
    clocks: int,
    scale: float,
    latency: float,
    at_once: int = AT_ONCE,
    database_url: str | None = None,
) -> Week:
    """One week of ``shape`` sent by ``clocks`` clock processes, on a scratch
    database (a SQLite file, or a schema in the PostgreSQL ``database_url``)."""
    limits = RateLimits(scale=scale, post_per_workspace_per_minute=POSTS_PER_MINUTE)
    slack = SlackEmulator(limits=limits).start()
    try:
        with scratch_database(database_url) as url:
            upgrade(url)
            db = Database(url)
            build(db, slack, shape=shape)
            db.dispose()
            slack.latency = latency
            seconds, per_clock = 0.0, [0] * clocks
            for now in (PROMPT, REMINDERS):
                reports = _tick(
                    url=url, slack=slack, now=now, clocks=clocks, scale=scale, at_once=at_once
                )
                seconds += max(report["seconds"] for report in reports)
                for i, report in enumerate(reports):
                    per_clock[i] += sum(report["sent"].values())
    finally:
        slack.stop()
    return Week(
        shape=shape,
        clocks=clocks,
        scale=scale,
        latency=latency,
        seconds=seconds,
        per_clock=per_clock,
        got=received(slack, shape=shape),
    )


def _tick(
    *, url: str, slack: SlackEmulator, now: dt.datetime, clocks: int, scale: float, at_once: int
) -> list[dict[str, Any]]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MYPLAN_"))},
        "DATABASE_URL": url,
        "SLACK_API_URL": slack.api_url,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": "client-secret",
        "MYPLAN_POSTS_PER_MINUTE": f"{POSTS_PER_MINUTE * scale:g}",
    }
    command = [
        sys.executable,
        "-m",
        "tests.clock_process",
        "--now",
        now.isoformat(),
        "--clocks",
        str(clocks),
        "--at-once",
        str(at_once),
    ]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) for _ in range(clocks)
    ]
    outputs = [process.communicate()[0] for process in processes]
    if any(process.returncode for process in processes):
        raise SystemExit(f"a clock failed: {outputs}")
    return [json.loads(out.splitlines()[-1]) for out in outputs]
