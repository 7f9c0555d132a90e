"""The tick's fan-out: workspaces side by side, each at its own limit.

Slack's limits are per workspace (bot/outbox/pacing.py), so every workspace
is worked on at once, each by at most TEAMS_AT_ONCE threads (its teams, each
team's messages one after another): with Slack's latency a few sends in flight
keep a workspace at its rate, and more would only wait in its pacer. With
leases (bot/outbox/leases.py) the clocks split the workspaces: a clock holds at
most its share at once, and a thread that finishes one takes the next free.

Threads wait for the database's pool (bot/db/session.py): most of a thread's
time is Slack's latency and the pacer's wait, not a connection.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.outbox.delivery import Outcome
from bot.outbox.leases import AT_ONCE, Lease, Leases
from bot.services.rhythm import TeamRow

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    sent: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def count(self, kind: str, *, outcome: Outcome, what: str) -> None:
        with self._lock:
            if outcome in (Outcome.SENT, Outcome.RECOVERED):
                self.sent[kind] = self.sent.get(kind, 0) + 1
            elif outcome is Outcome.FAILED:
                self.failed.append(what)


TEAMS_AT_ONCE = 4
# Workspaces worked on at once, each with up to TEAMS_AT_ONCE threads; with
# leases, what Leases.share says (at most Leases.at_once).
WORKSPACES_AT_ONCE = AT_ONCE

TeamWork = Callable[[TeamRow, Lease | None], None]


def by_workspace(teams: list[TeamRow]) -> dict[int, list[TeamRow]]:
    grouped: dict[int, list[TeamRow]] = {}
    for team in teams:
        grouped.setdefault(team.workspace_id, []).append(team)
    return grouped


def fan_out(
    *, teams: list[TeamRow], work: TeamWork, now: dt.datetime, leases: Leases | None = None
) -> None:
    """Run ``work`` for every team, workspaces side by side; with ``leases``,
    only the workspaces this clock takes, as it takes them."""
    grouped = by_workspace(teams)
    if not grouped:
        return
    if leases is None:
        with _pool(len(grouped), "workspace") as pool:
            list(pool.map(lambda ws: _workspace(grouped[ws], work=work, lease=None), grouped))
        return
    ids = sorted(grouped)
    leases.prepare(ids)
    slots = leases.share(workspaces=len(ids))

    def slot(_: int) -> None:
        while (lease := leases.take(workspace_ids=ids, now=now)) is not None:
            try:
                _workspace(grouped[lease.workspace_id], work=work, lease=lease)
            finally:
                leases.finish(lease, now=now)

    with _pool(slots, "workspace", limit=slots) as pool:
        list(pool.map(slot, range(slots)))


def _workspace(teams: list[TeamRow], *, work: TeamWork, lease: Lease | None) -> None:
    if len(teams) == 1:
        work(teams[0], lease)
        return
    with _pool(len(teams), "team", limit=TEAMS_AT_ONCE) as pool:
        list(pool.map(lambda team: work(team, lease), teams))


def _pool(size: int, name: str, *, limit: int = WORKSPACES_AT_ONCE) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=max(1, min(size, limit)), thread_name_prefix=name)
