"""The tick's fan-out: every workspace at once, each by a bounded number of threads."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

from bot.outbox.leases import Lease
from bot.scheduler.fanout import TEAMS_AT_ONCE, fan_out
from bot.services.rhythm import TeamRow

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
WAIT = 30.0  # a barrier that is never met fails the test after this, rather than hang


def team(team_id: int, *, workspace_id: int) -> TeamRow:
    return TeamRow(
        id=team_id,
        workspace_id=workspace_id,
        slack_team_id=f"T{workspace_id}",
        name=f"team {team_id}",
        channel_id=f"C{team_id}",
        checkin_weekday=0,
        checkin_time=dt.time(9),
        timezone="UTC",
        fiscal_start_month=1,
    )


def test_every_workspace_is_worked_on_at_once() -> None:
    # Grouped by workspace, as installs create them: one pool over the teams in
    # team-id order would never have the last workspace's team in the barrier.
    teams = [team(w * 10 + t, workspace_id=w) for w in range(12) for t in range(3)]
    first_of_each = threading.Barrier(12, timeout=WAIT)
    done: Counter[int] = Counter()
    lock = threading.Lock()

    def work(row: TeamRow, _lease: Lease | None) -> None:
        if row.id % 10 == 0:
            first_of_each.wait()  # broken (and raising) unless all 12 are here together
        with lock:
            done[row.workspace_id] += 1

    fan_out(teams=teams, work=work, now=NOW)
    assert not first_of_each.broken
    assert done == Counter({w: 3 for w in range(12)})


def test_a_workspace_has_at_most_its_few_teams_in_flight() -> None:
    teams = [team(t, workspace_id=1) for t in range(3 * TEAMS_AT_ONCE)]
    in_flight, most = 0, 0
    lock = threading.Lock()
    together = threading.Barrier(TEAMS_AT_ONCE, timeout=WAIT)

    def work(_row: TeamRow, _lease: Lease | None) -> None:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        together.wait()  # TEAMS_AT_ONCE at a time reach it, never more
        with lock:
            in_flight -= 1

    fan_out(teams=teams, work=work, now=NOW)
    assert most == TEAMS_AT_ONCE
