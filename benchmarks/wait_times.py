"""What people wait for, at the design load, on the realistic dataset, beside a bare Bolt app.

benchmarks/dataset.py builds the 2,000-member workspace (ten quarters, ~1M
check-in values, 41 public leader plans) for the loopback Slack's team, which
runs in a process of its own. `myplan web` then serves a mix of what people
do, on a schedule (50 requests/s by default, a request sent late counting its
lateness): App Home opened (wait: Home published), `/myplan` and `/myplan
@leader` (wait: the reply posted), "Edit plan" and `/myplan checkin` (wait:
the modal open), and the check-in's submission (wait: the modal closed and
the reply in the team's thread). Each wait is measured from the moment the
request was due to the moment the loopback Slack got the call that shows it.

The same schedule runs again with a neighbour process taking one core, and
against a bare Bolt app that acks everything at once, in the request's thread
(benchmarks/bare_app.py, BARE_ACK_IN_REQUEST_THREAD=1): its ack p99 and CPU a
request are the baseline. Last, clients send as fast as they get acks, for the
capacity in requests a second per core of server CPU, beside the bare app's.

Every figure is printed beside its goal. The machine's load average is
printed too: on shared cores the figures are noisy.

Run: python -m benchmarks.wait_times [--database-url postgresql://...] [--seconds 20]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.managers import BaseManager
from typing import Any, cast

from sqlalchemy import create_engine, insert, select

from benchmarks.ack_latency import (
    BenchSlack,
    RemoteSlack,
    free_port,
    machine_cpu,
    server_cpu_seconds,
    start,
)
from benchmarks.dataset import Size, build, channel_id, scratch_database, user_id
from bot.config import parse_database_url
from bot.db import models as m
from bot.domain.quarters import week_start
from bot.listeners.admission import BUSY
from bot.outbox.keys import prompt_key
from tests.slack_emulator import RateLimits, SlackDriver, SlackEmulator
from tests.slack_emulator.driver import ACK_LIMIT_SECONDS

WAIT_P99_GOAL_MS = 300.0
ACK_RATIO_GOAL = 1.5
CPU_RATIO_GOAL = 3.0
DEFAULT_RATE = 50.0
# Who sends: members of teams 1-10 (team 1's leader among them), each doing
# the everyday things in turn.
ACTIVE_TEAMS = range(1, 11)
# One person's turn: what they do, in order (a check-in is opened, then submitted).
TURN = ("home", "myplan", "checkin", "submit", "edit", "someone", "home", "myplan")
WAITED_FOR = {
    "home": "Home published",
    "myplan": "reply posted",
    "someone": "reply posted",
    "edit": "modal open",
    "checkin": "modal open",
    "submit": "modal closed and thread reply",
}


class WaitSlack(BenchSlack):
    """The loopback Slack, remembering when each thing a person waits for arrived."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.replied: list[tuple[float, str, str]] = []  # when, user, text

    def handle_response_url(self, key: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        status, answer = super().handle_response_url(key, body)
        if status == 200:
            entry = self.response_urls[key]
            self.replied.append((self.clock(), entry.user, str(body.get("text", ""))))
        return status, answer

    def describe(self) -> dict[str, Any]:
        return {**super().describe(), "bot_user_id": self.bot_user_id}

    def outcomes(self) -> dict[str, list[tuple[float, str, str]]]:
        """(when, who, detail) of each modal opened, Home published, reply and
        channel post, and each trigger that had expired."""
        found: dict[str, list[tuple[float, str, str]]] = {
            "modal": [],
            "expired": [],
            "home": [],
            "post": [],
        }
        with self._lock:
            for call in self.calls:
                if call.method == "views.open":
                    trigger = self.triggers.get(str(call.args.get("trigger_id")))
                    who = trigger.user if trigger else ""
                    if call.error == "expired_trigger_id":
                        found["expired"].append((call.at, who, ""))
                    elif call.error is None:
                        found["modal"].append((call.at, who, ""))
                elif call.method == "views.publish" and call.error is None:
                    found["home"].append((call.at, str(call.args.get("user_id")), ""))
                elif call.method in ("chat.postMessage", "chat.update") and call.error is None:
                    channel = str(call.args.get("channel"))
                    found["post"].append((call.at, channel, str(call.args.get("text", ""))))
            found["reply"] = list(self.replied)
        return found

    def post(self, channel: str, text: str) -> str:
        """A message the bot posted before the run (a team's weekly parent): its ts."""
        status, body, _ = self.handle(
            "chat.postMessage", {"channel": channel, "text": text}, self.bot_token
        )
        assert status == 200, body
        assert body.get("ok"), body
        return str(body["ts"])

    def submission(self, user: str) -> dict[str, Any] | None:
        """The view_submission's view for the modal on top of ``user``'s stack,
        every input as the modal filled it in (a check-in: as stored)."""
        view = self.open_modal(user)
        if view is None:
            return None
        state = SlackDriver(self, "http://127.0.0.1:9")._state(view, {})
        return self.view_payload(view, state)


class WaitRemote(RemoteSlack):
    """What the driver reads of the loopback Slack in its own process."""

    def __init__(self, proxy: Any) -> None:
        super().__init__(proxy)
        self.bot_user_id = str(proxy.describe()["bot_user_id"])


class WaitSlackProcess(BaseManager):
    pass


WaitSlackProcess.register(
    "WaitSlack",
    WaitSlack,
    exposed=(
        "serve",
        "stop",
        "add_user",
        "add_channel",
        "describe",
        "progress",
        "issue_trigger",
        "issue_response_url",
        "outcomes",
        "submission",
        "post",
    ),
)


@dataclass
class Sent:
    kind: str
    user: str
    due: float
    ack: float  # seconds from due to the ack
    busy: bool  # answered "busy, try again"
    refused: bool = False  # a submission answered with errors on its fields


@dataclass
class Run:
    sent: list[Sent]
    seconds: float
    cpu_ms: float
    busy: float
    waits: dict[str, list[float]] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)
    expired: int = 0


class Load:
    """The clients: each serves its own people, a turn at a time."""

    def __init__(
        self,
        driver: SlackDriver,
        slack: RemoteSlack,
        people: list[str],
        *,
        leader: str,
        plan_ids: dict[str, int],
    ) -> None:
        self.driver = driver
        self.slack = slack
        self.people = people
        self.leader = leader
        self.plan_ids = plan_ids
        self.step: dict[str, int] = {}

    def send(self, kind: str, user: str) -> tuple[float, bool, bool]:
        driver = self.driver
        if kind == "home":
            ack = driver.open_app_home(user)
        elif kind == "myplan":
            ack = driver.slash_command(user, "")
        elif kind == "checkin":
            ack = driver.slash_command(user, "checkin")
        elif kind == "someone":
            ack = driver.slash_command(user, f"<@{self.leader}|leader>")
        elif kind == "edit":
            ack = driver.block_action(
                user,
                {
                    "type": "button",
                    "action_id": "plan_edit",
                    "value": str(self.plan_ids[user]),
                    "text": {"type": "plain_text", "text": "Edit plan"},
                },
            )
        else:
            view = self.slack.proxy.submission(user)
            if view is None:
                return 0.0, False, True  # its check-in modal never opened
            ack = driver.post_payload(
                {
                    "type": "view_submission",
                    "team": {"id": self.slack.team_id, "domain": self.slack.team_domain},
                    "user": {"id": user, "username": user.lower(), "team_id": self.slack.team_id},
                    "api_app_id": self.slack.app_id,
                    "token": "verification_token",
                    "trigger_id": self.slack.issue_trigger(user),
                    "view": view,
                    "response_urls": [],
                }
            )
        assert ack.status == 200, (kind, ack.status, ack.body)
        return ack.seconds, BUSY in str(ack.body), '"errors"' in str(ack.body)

    def run(self, *, rate: float | None, seconds: float, clients: int) -> list[Sent]:
        """Requests from ``clients``, on a schedule of ``rate`` a second (or as
        fast as acks come), each person starting a turn at a different place
        (never at a submission: its check-in opens first)."""
        submit = TURN.index("submit")
        self.step = {
            user: (i % len(TURN)) + (1 if i % len(TURN) == submit else 0)
            for i, user in enumerate(self.people)
        }
        sent: list[Sent] = []
        lock = threading.Lock()
        begin = time.monotonic() + 0.2
        total = int(rate * seconds) if rate else 10**9
        errors: list[BaseException] = []

        def client(index: int) -> None:
            mine = self.people[index::clients]
            i = 0
            while True:
                n = i * clients + index
                if n >= total:
                    break
                due = begin + n / rate if rate else time.monotonic()
                if rate is None and due > begin + seconds:
                    break
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                user = mine[i % len(mine)]
                step = self.step.get(user, 0)
                self.step[user] = step + 1
                kind = TURN[step % len(TURN)]
                late = max(0.0, time.monotonic() - due)
                try:
                    ack, busy, refused = self.send(kind, user)
                except BaseException as error:
                    errors.append(error)
                    return
                with lock:
                    sent.append(
                        Sent(
                            kind=kind,
                            user=user,
                            due=due,
                            ack=late + ack,
                            busy=busy,
                            refused=refused and not busy,
                        )
                    )
                i += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        return sent


def attribute(
    run: Run,
    found: dict[str, list[tuple[float, str, str]]],
    names: dict[str, str],
    teams: dict[str, str],
) -> None:
    """Each request's wait: from its due time to the first thing after it that
    shows its outcome to its person."""
    by = {key: sorted(values) for key, values in found.items()}
    for request in run.sent:
        if request.busy or request.refused:
            continue
        kind = request.kind
        if kind == "submit":
            at = _first(
                by["post"], after=request.due, who=teams[request.user], says=names[request.user]
            )
        else:
            key = {"home": "home", "myplan": "reply", "someone": "reply"}.get(kind, "modal")
            at = _first(by[key], after=request.due, who=request.user)
        if at is None:
            run.missing[kind] = run.missing.get(kind, 0) + 1
        else:
            wait = at - request.due
            if kind == "submit":
                wait = max(wait, request.ack)
            run.waits.setdefault(kind, []).append(wait)
    started = min((r.due for r in run.sent), default=0.0)
    ended = max((r.due + r.ack for r in run.sent), default=0.0) + 5.0
    run.expired = sum(1 for at, _, _ in found["expired"] if started <= at <= ended)


def _first(
    events: list[tuple[float, str, str]], *, after: float, who: str, says: str = ""
) -> float | None:
    for at, whom, detail in events:
        if at >= after and whom == who and says in detail:
            return at
    return None


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q / 100))]


@contextmanager
def neighbour() -> Iterator[None]:
    """A process that keeps one core busy for as long as it runs."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        hog.kill()
        hog.wait()


def measure(load: Load, pid: int, *, rate: float | None, seconds: float, clients: int) -> Run:
    cpu_before, machine_before = server_cpu_seconds(pid), machine_cpu()
    started = time.monotonic()
    sent = load.run(rate=rate, seconds=seconds, clients=clients)
    wall = time.monotonic() - started
    machine_after = machine_cpu()
    time.sleep(1.0)  # the work behind the last acks
    cpu = server_cpu_seconds(pid) - cpu_before
    busy = (machine_after[0] - machine_before[0]) / max(1, machine_after[1] - machine_before[1])
    return Run(sent=sent, seconds=wall, cpu_ms=cpu * 1000 / max(1, len(sent)), busy=busy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="PostgreSQL URL (a scratch schema); default SQLite")
    parser.add_argument("--seconds", type=float, default=20.0, help="of each scheduled run")
    parser.add_argument("--rate", type=float, default=DEFAULT_RATE)
    parser.add_argument("--clients", type=int, default=25)
    parser.add_argument("--members", type=int, default=Size().members)
    args = parser.parse_args()
    print(
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.2f} before the run (shared cores: noisy)"
    )
    manager = WaitSlackProcess()
    manager.start()
    proxy = manager.WaitSlack(limits=RateLimits(enabled=False))  # type: ignore[attr-defined]
    try:
        with scratch_database(args.database_url) as url:
            run_all(proxy, url, args)
    finally:
        manager.shutdown()


def run_all(proxy: Any, url: str, args: argparse.Namespace) -> None:
    proxy.serve()
    slack_team = proxy.describe()["team_id"]
    size = Size(members=args.members, teams=max(1, args.members // 20))
    dataset = build(url, size=size, team_ids=[slack_team])
    workspace = dataset.workspaces[0]
    per_team = size.members // size.teams
    print(
        f"dataset: {size.members} members, {dataset.rows.get('checkin_values', 0):,} check-in "
        f"values, {len(workspace.public_plans)} public plans, built in {dataset.seconds:.0f} s"
    )
    active = [t for t in ACTIVE_TEAMS if t < size.teams]
    people = [user_id(0, t * per_team + i) for t in active for i in range(per_team)]
    # One turn each in a scheduled run: every kind of request as often as the turn has it.
    people = people[: max(args.clients, int(args.rate * args.seconds / len(TURN)))]
    names = {user_id(0, n): f"Person 0-{n}" for n in range(size.members)}
    teams = {user_id(0, n): channel_id(0, n // per_team) for n in range(size.members)}
    for n in range(size.members):
        proxy.add_user(user_id(0, n), f"person{n}", real_name=names[user_id(0, n)])
    for t in range(size.teams):
        members = [user_id(0, t * per_team + i) for i in range(per_team)]
        proxy.add_channel(channel_id(0, t), f"team-{t}", members=members)
    proxy.add_channel(workspace.leaders_channel, "leaders", members=workspace.leaders)
    threads_of_this_week(proxy, url, workspace=workspace.id, teams=active)
    slack = WaitRemote(proxy)
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": url,
    }
    leader = user_id(0, per_team)
    results: dict[str, Run] = {}
    for name, module, extra in (
        ("bare Bolt app", "benchmarks.bare_app", {"BARE_ACK_IN_REQUEST_THREAD": "1"}),
        ("myplan web", "bot web", {}),
    ):
        process, base = start(module, {**env, **extra, "PORT": str(free_port())})
        try:
            driver = SlackDriver(cast(SlackEmulator, slack), base)
            driver.fail_slow_acks = False  # counted, as Slack would count them
            load = Load(driver, slack, people, leader=leader, plan_ids=workspace.current_plans)
            load.run(rate=args.rate, seconds=3, clients=args.clients)  # warm up
            runs = (
                [("scheduled", False), ("neighbour", True)]
                if module == "bot web"
                else [("scheduled", False)]
            )
            for label, hog in runs:
                print(
                    f"{name}: {args.rate:g} requests/s for {args.seconds:g} s"
                    f"{' with a neighbour on one core' if hog else ''}",
                    flush=True,
                )
                with neighbour() if hog else _nothing():
                    results[f"{name} {label}"] = measure(
                        load,
                        process.pid,
                        rate=args.rate,
                        seconds=args.seconds,
                        clients=args.clients,
                    )
            print(f"{name}: as fast as acks come", flush=True)
            time.sleep(1)
            results[f"{name} capacity"] = measure(
                load,
                process.pid,
                rate=None,
                seconds=min(10.0, args.seconds),
                clients=args.clients,
            )
        finally:
            process.terminate()
            process.wait(timeout=30)
    found = proxy.outcomes()
    for key in ("myplan web scheduled", "myplan web neighbour"):
        attribute(results[key], found, names, teams)
    report(results, args)


def threads_of_this_week(proxy: Any, url: str, *, workspace: int, teams: list[int]) -> None:
    """This week's check-in thread of each team whose people send: posted, and
    recorded as sent, as the clock would have done at the team's prompt time."""
    monday = week_start(dt.date.today())
    engine = create_engine(parse_database_url(url))
    with engine.begin() as connection:
        rows = connection.execute(
            select(m.Team.id, m.Team.channel_id).where(m.Team.workspace_id == workspace)
        ).all()
        wanted = {channel_id(0, t) for t in teams}
        now = dt.datetime.now(dt.UTC)
        connection.execute(
            insert(m.Delivery),
            [
                {
                    "workspace_id": workspace,
                    "key": prompt_key(team, monday),
                    "kind": "checkin-prompt",
                    "state": m.DeliveryState.SENT,
                    "channel_id": channel,
                    "ts": proxy.post(channel, "Check-ins for this week"),
                    "attempts": 1,
                    "due_at": now,
                    "claimed_at": now,
                    "sent_at": now,
                }
                for team, channel in rows
                if channel in wanted
            ],
        )
    engine.dispose()


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def report(results: dict[str, Run], args: argparse.Namespace) -> None:
    bare, mine = results["bare Bolt app scheduled"], results["myplan web scheduled"]
    print(f"\nafter the run: load average {os.getloadavg()[0]:.2f}")
    for key in ("myplan web scheduled", "myplan web neighbour"):
        run = results[key]
        print(
            f"\n{key}: {len(run.sent)} requests in {run.seconds:.1f} s, machine "
            f"{run.busy:.0%} busy; what people wait for (goal p99 < {WAIT_P99_GOAL_MS:.0f} ms)"
        )
        for kind, label in WAITED_FOR.items():
            waits = run.waits.get(kind, [])
            p99 = percentile(waits, 99) * 1000
            verdict = "ok" if p99 < WAIT_P99_GOAL_MS and not run.missing.get(kind) else "ABOVE GOAL"
            print(
                f"  {kind:8} {label:30} n={len(waits):4}  p50 {percentile(waits, 50) * 1000:6.0f}"
                f" ms  p99 {p99:6.0f} ms  missing {run.missing.get(kind, 0)}  {verdict}"
            )
        shed = sum(1 for s in run.sent if s.busy)
        late = sum(1 for s in run.sent if s.ack >= ACK_LIMIT_SECONDS)
        refused = sum(1 for s in run.sent if s.refused)
        print(
            f"  expired triggers {run.expired} (goal 0: "
            f"{'ok' if run.expired == 0 else 'ABOVE GOAL'}), answered busy {shed}, "
            f"submissions refused {refused}, "
            f"acks of 3 s or more {late}"
        )
    # A submission's ack is its save (field errors come back in it); every
    # other request is acked before its work. Judged on those, shown apart.
    ack_mine = percentile([s.ack for s in mine.sent if s.kind != "submit"], 99)
    ack_bare = percentile([s.ack for s in bare.sent if s.kind != "submit"], 99)
    ratio = ack_mine / ack_bare
    print(
        f"\nack p99 of commands, clicks and events: myplan {ack_mine * 1000:.1f} ms, bare app "
        f"acking at once {ack_bare * 1000:.1f} ms: {ratio:.2f}x (goal <= {ACK_RATIO_GOAL}x: "
        f"{'ok' if ratio <= ACK_RATIO_GOAL else 'ABOVE GOAL'})"
    )
    saves = [s.ack for s in mine.sent if s.kind == "submit"]
    print(
        f"ack p99 of submissions (the check-in saved before its ack): myplan "
        f"{percentile(saves, 99) * 1000:.1f} ms, bare app "
        f"{percentile([s.ack for s in bare.sent if s.kind == 'submit'], 99) * 1000:.1f} ms"
    )
    cpu_ratio = mine.cpu_ms / bare.cpu_ms
    print(
        f"server CPU a request: myplan {mine.cpu_ms:.1f} ms, bare app {bare.cpu_ms:.1f} ms: "
        f"{cpu_ratio:.1f}x (goal <= {CPU_RATIO_GOAL:g}x: "
        f"{'ok' if cpu_ratio <= CPU_RATIO_GOAL else 'ABOVE GOAL'})"
    )
    for name in ("myplan web", "bare Bolt app"):
        run = results[f"{name} capacity"]
        per_core = 1000 / run.cpu_ms if run.cpu_ms else float("nan")
        shed = sum(1 for s in run.sent if s.busy)
        print(
            f"capacity, {name}: {len(run.sent) / run.seconds:.0f} requests/s on "
            f"{os.cpu_count()} shared cores, {per_core:.0f} requests/s per core of server CPU"
            f" ({run.cpu_ms:.1f} ms a request; {shed} answered busy)"
        )


if __name__ == "__main__":
    main()
