"""Two clock processes share the work and each workspace's limit (issue 15).

Real subprocesses (tests/clock_process.py: a minute of `myplan clock`, started
on cue) against a strict loopback Slack: limits per workspace, a burst of only
one second's worth, so two clocks sending for one workspace at once would be
answered 429. Several workspaces in OAuth mode, each with its own token.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from bot.db.migrate import upgrade
from bot.db.session import Database
from tests.slack_emulator import RateLimits, SlackEmulator
from tests.workspaces import CLIENT_ID, PROMPT, REMINDERS, Shape, build, received

SHAPE = Shape(workspaces=4, teams=2, members=15)
POSTS_PER_MINUTE = 600  # the bot paces to what the loopback Slack allows


@pytest.fixture
def strict_slack() -> Iterator[SlackEmulator]:
    limits = RateLimits(
        post_per_workspace_per_minute=POSTS_PER_MINUTE, post_workspace_burst_seconds=1.0
    )
    slack = SlackEmulator(limits=limits).start()
    slack.latency = 0.02
    yield slack
    slack.stop()


def clocks(*, database_url: str, slack: SlackEmulator, now: str, count: int) -> list[Any]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MYPLAN_"))},
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack.api_url,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": "client-secret",
        "MYPLAN_POSTS_PER_MINUTE": str(POSTS_PER_MINUTE),
    }
    command = [sys.executable, "-m", "tests.clock_process", "--now", now, "--clocks", str(count)]
    processes = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(count)
    ]
    outputs = [process.communicate(timeout=180) for process in processes]
    assert [process.returncode for process in processes] == [0] * count, outputs
    return [json.loads(out.splitlines()[-1]) for out, _ in outputs]


def test_two_clocks_split_the_workspaces_and_keep_to_each_ones_limit(
    database_url: str, strict_slack: SlackEmulator
) -> None:
    upgrade(database_url)
    db = Database(database_url)
    try:
        build(db, strict_slack, shape=SHAPE)
    finally:
        db.dispose()
    runs = []
    for now in (PROMPT, REMINDERS):
        runs.append(
            clocks(database_url=database_url, slack=strict_slack, now=now.isoformat(), count=2)
        )
    got = received(strict_slack, shape=SHAPE)
    assert (got.throttled, got.duplicates, got.lost) == (0, 0, 0)
    assert got.posted == SHAPE.messages
    assert all(not report["failed"] for run in runs for report in run), runs
    # Each clock sent for some of the workspaces: the work was split, not repeated.
    reminders = [report["sent"].get("checkin-reminder", 0) for report in runs[1]]
    assert sum(reminders) == SHAPE.workspaces * SHAPE.teams * SHAPE.members
    assert all(sent > 0 for sent in reminders), reminders
    assert all(sent % (SHAPE.teams * SHAPE.members) == 0 for sent in reminders), reminders
