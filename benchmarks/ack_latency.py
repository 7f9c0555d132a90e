"""Time to ack under load: myplan web against a bare Bolt app on the same server.

Sends N signed requests (half `/myplan` commands, half button clicks) from C
concurrent clients to `myplan web`, then the same load to a bare Bolt app that
only acks, served by the same gunicorn configuration, in the same run; prints
p50/p99 of each and the ratio. Goal: myplan's p99 at most 1.5x the bare app's.
Run: python -m benchmarks.ack_latency [--requests 2000] [--clients 20] [--rate 50]

Two loads. The goal is judged at a scheduled rate (50 requests/s by default),
where a request sent late counts its lateness. Then each client sends as fast
as it gets acks: that measures capacity, and on a small machine it overloads
myplan (whose requests each do a plan's worth of work) long before it
overloads an app that does nothing; it is printed for information.

The bare app is Bolt as it comes: it acks from its executor and finds the ack
by polling every 10 ms. myplan acks in the request's thread
(listeners/running.py), so a third line shows the bare app doing the same,
the floor of what Bolt and gunicorn cost.

The loopback Slack runs in a process of its own, as Slack runs on machines of
its own: in the load generator's process, its Block Kit checks of every modal
myplan opens took the GIL from the client threads, and their ack times grew
by time spent waiting to read an answer that had already arrived.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from multiprocessing.managers import BaseManager
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.config import parse_database_url
from bot.db.session import Database
from bot.domain.content import CommitmentInput, PlanInput
from tests.slack_emulator import RateLimits, SlackDriver, SlackEmulator
from tests.slack_emulator.driver import ACK_LIMIT_SECONDS
from tests.support import PerCallServices as Services

PLAN = PlanInput(
    aspiration="Grow",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="1", target="2")
    ],
)


class BenchSlack(SlackEmulator):
    """The emulator, with what the load generator asks of it from another process."""

    def serve(self) -> None:
        self.start()

    def describe(self) -> dict[str, Any]:
        return {
            "signing_secret": self.signing_secret,
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "app_id": self.app_id,
            "bot_token": self.bot_token,
            "api_url": self.api_url,
            "users": {user.id: user.name for user in self.users.values()},
        }

    def progress(self) -> tuple[int, int, int]:
        """Replies posted, modals opened, triggers that had expired."""
        with self._lock:
            expired = sum(1 for call in self.calls if call.error == "expired_trigger_id")
            return len(self.responses), len(self.calls_to("views.open")), expired


class SlackProcess(BaseManager):
    pass


SlackProcess.register(
    "BenchSlack",
    BenchSlack,
    exposed=(
        "serve",
        "stop",
        "add_user",
        "describe",
        "progress",
        "issue_trigger",
        "issue_response_url",
    ),
)


class RemoteSlack:
    """What SlackDriver reads of the emulator, with triggers and reply URLs issued over there."""

    def __init__(self, proxy: Any) -> None:
        self.proxy = proxy
        described = proxy.describe()
        self.signing_secret = described["signing_secret"]
        self.team_id = described["team_id"]
        self.team_domain = described["team_domain"]
        self.app_id = described["app_id"]
        self.bot_token = described["bot_token"]
        self.api_url = described["api_url"]
        self.users = {
            user_id: SimpleNamespace(id=user_id, name=name)
            for user_id, name in described["users"].items()
        }
        self.channels: dict[str, Any] = {}

    def dm_channel_id(self, user_id: str) -> str:
        return "D" + user_id[1:]

    def issue_trigger(self, user_id: str) -> str:
        return str(self.proxy.issue_trigger(user_id))

    def issue_response_url(self, user_id: str, channel_id: str) -> str:
        return str(self.proxy.issue_response_url(user_id, channel_id))

    def progress(self) -> tuple[int, int, int]:
        replies, views, expired = self.proxy.progress()
        return int(replies), int(views), int(expired)


# 50 interactions a second is 3,000 a minute: every member of a 3,000-person
# workspace opening a plan or a check-in in the same minute, a Monday 09:00
# far busier than the weekly prompt makes it.
DEFAULT_RATE = 50.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(module: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", *module.split()],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{env['PORT']}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=1)
            return process, url
        except urllib.error.HTTPError:
            return process, url  # the bare app has no /healthz: it answers, so it is up
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"{module} did not start")


def load(
    driver: SlackDriver,
    users: list[str],
    plan_ids: dict[str, int],
    requests: int,
    clients: int,
    rate: float | None,
) -> list[float]:
    """Times to ack. With ``rate``, requests are due on a fixed schedule
    (``rate`` a second across all clients) and a request sent late counts its
    lateness too, so a slow server cannot hide by slowing the load down.
    Without it, each client sends its next request as soon as it has an ack."""
    times: list[float] = []
    lock = threading.Lock()
    per_client = requests // clients
    errors: list[BaseException] = []
    begin = time.perf_counter() + 0.2

    def client(index: int) -> None:
        try:
            run_client(index)
        except BaseException as error:  # reported below, with the run stopped
            errors.append(error)

    def run_client(index: int) -> None:
        user = users[index % len(users)]
        mine: list[float] = []
        for i in range(per_client):
            late = 0.0
            if rate is not None:
                due = begin + (i * clients + index) / rate
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                late = max(0.0, time.perf_counter() - due)
            # The everyday mix: `/myplan` (your plan card) and the "Edit plan"
            # button (opens the builder), with `help` now and then.
            if i % 2 == 0:
                ack = driver.slash_command(user, "help" if i % 10 == 0 else "")
            else:
                ack = driver.block_action(
                    user,
                    {
                        "type": "button",
                        "action_id": "plan_edit",
                        "value": str(plan_ids[user]),
                        "text": {"type": "plain_text", "text": "Edit plan"},
                    },
                )
            assert ack.status == 200, ack.body
            mine.append(late + ack.seconds)
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return times


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--rate",
        type=float,
        default=DEFAULT_RATE,
        help="requests a second for the goal's run (default %(default)s)",
    )
    parser.add_argument("--rate-only", action="store_true", help="skip the as-fast-as-possible run")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL to run on (a fresh schema is made and dropped); default: SQLite",
    )
    args = parser.parse_args()

    manager = SlackProcess()
    manager.start()
    proxy = manager.BenchSlack(limits=RateLimits(enabled=False))  # type: ignore[attr-defined]
    users = [f"UBENCH{i:03d}" for i in range(args.clients)]
    for user in users:
        proxy.add_user(user, user.lower())
    proxy.serve()
    slack = RemoteSlack(proxy)
    workdir = Path(tempfile.mkdtemp())
    database_url = f"sqlite:///{workdir / 'bench.db'}"
    schema = None
    if args.database_url:
        schema = f"bench_{os.getpid()}"
        admin = create_engine(parse_database_url(args.database_url))
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        database_url = (
            make_url(parse_database_url(args.database_url))
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    base_env = {
        **os.environ,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
    }
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], env=base_env, check=True, capture_output=True
    )
    db = Database(database_url)
    services = Services.build(db)
    plan_ids = {}
    now = __import__("datetime").datetime.now(__import__("datetime").UTC)
    for user in users:
        member = services.members.ensure_member(
            slack_team_id=slack.team_id, slack_user_id=user, display_name=user
        )
        services.members.mark_onboarded(member_id=member.id, now=now)
        plan = services.plans.start_plan(owner_id=member.id, today=now.date())
        services.plans.save(actor_id=member.id, plan_id=plan.id, plan_input=PLAN, now=now)
        plan_ids[user] = plan.id
    db.dispose()

    loads: list[float | None] = [args.rate] + ([] if args.rate_only else [None])
    results: dict[tuple[str, float | None], Run] = {}
    runs: list[tuple[str, str, dict[str, str]]] = [
        ("bare Bolt app", "benchmarks.bare_app", {}),
        ("bare, inline", "benchmarks.bare_app", {"BARE_ACK_IN_REQUEST_THREAD": "1"}),
        ("myplan web", "bot web", {}),
    ]
    for name, module, extra_env in runs:
        process, url = start(module, {**base_env, **extra_env, "PORT": str(free_port())})
        try:
            driver = SlackDriver(cast(SlackEmulator, slack), url)
            driver.fail_slow_acks = False  # counted below, as Slack would count them
            load(driver, users, plan_ids, min(200, args.requests), args.clients, None)  # warm up
            for rate in loads:
                print(f"{name}: {'as fast as possible' if rate is None else rate}", flush=True)
                results[name, rate] = measure(
                    driver, slack, process.pid, users, plan_ids, args, rate, name == "myplan web"
                )
        finally:
            process.terminate()
            process.wait(timeout=30)
    manager.shutdown()
    if schema is not None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    for rate in loads:
        print()
        if rate is None:
            print(f"Load: {args.clients} clients, each sending as soon as it has its ack")
            print("(the server's capacity: for information, not the goal)")
        else:
            print(
                f"Load: {rate:g} requests/s from {args.clients} clients, on a schedule (the goal)"
            )
        for name, _, _ in runs:
            run = results[name, rate]
            print(
                f"  {name:14} p50 {percentile(run.times, 50) * 1000:6.1f} ms   "
                f"p99 {percentile(run.times, 99) * 1000:6.1f} ms   "
                f"max {max(run.times) * 1000:6.1f} ms   "
                f"{len(run.times) / run.seconds:5.0f} requests/s   "
                f"server CPU {run.cpu_ms:5.1f} ms a request   machine {run.busy:4.0%} busy"
            )
            late = sum(1 for seconds in run.times if seconds >= ACK_LIMIT_SECONDS)
            if late:
                print(f"  {'':14} {late} acks took 3 s or more: Slack would have shown an error")
            if run.work:
                print(f"  {'':14} {run.work}")
        mine = percentile(results["myplan web", rate].times, 99)
        ratio = mine / percentile(results["bare Bolt app", rate].times, 99)
        floor = mine / percentile(results["bare, inline", rate].times, 99)
        if rate is None:
            print(f"  p99 ratio myplan/bare: {ratio:.2f}x")
        else:
            verdict = "ok" if ratio <= 1.5 else "ABOVE GOAL"
            print(f"  p99 ratio myplan/bare: {ratio:.2f}x (goal <= 1.5x: {verdict})")
        print(f"  p99 ratio myplan/bare acking inline: {floor:.2f}x (for information)")


@dataclass
class Run:
    times: list[float]
    seconds: float
    cpu_ms: float  # the server's processes' CPU time per request
    busy: float  # the share of the machine's CPUs in use during the run
    work: str  # what was done behind the acks, for myplan


def server_cpu_seconds(pid: int) -> float:
    """CPU time of a server and its worker processes so far (Linux /proc)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone since the listing
        if stat.parent.name == str(pid) or int(fields[1]) == pid:
            ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return ticks / os.sysconf("SC_CLK_TCK")


def settle(slack: RemoteSlack) -> None:
    """Wait for the work behind earlier acks (the warm-up's, say) to finish,
    so that it neither slows this run nor counts in it."""
    last, steady_since = slack.progress(), time.monotonic()
    deadline = steady_since + 60
    while time.monotonic() < deadline and time.monotonic() - steady_since < 1:
        time.sleep(0.1)
        now = slack.progress()
        if now != last:
            last, steady_since = now, time.monotonic()


def machine_cpu() -> tuple[int, int]:
    """Busy and total CPU ticks of the whole machine so far (Linux /proc/stat)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split()[1:9]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def measure(
    driver: SlackDriver,
    slack: RemoteSlack,
    pid: int,
    users: list[str],
    plan_ids: dict[str, int],
    args: argparse.Namespace,
    rate: float | None,
    check_work: bool,
) -> Run:
    settle(slack)
    replies, views, expired_before = slack.progress()
    cpu_before = server_cpu_seconds(pid)
    machine_before = machine_cpu()
    started = time.perf_counter()
    times = load(driver, users, plan_ids, args.requests, args.clients, rate)
    seconds = time.perf_counter() - started
    machine_after = machine_cpu()
    busy = (machine_after[0] - machine_before[0]) / max(1, machine_after[1] - machine_before[1])
    work = ""
    if check_work:
        # Fast acks count only if the work behind them is done too: a reply
        # per command, a modal per click (within the trigger's 3 s).
        expected = args.requests // args.clients * args.clients // 2
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done_replies, done_views, expired = slack.progress()
            if done_replies - replies >= expected and done_views - views >= expected:
                break
            time.sleep(0.05)
        work = (
            f"behind the acks: {done_replies - replies}/{expected} replies, "
            f"{done_views - views}/{expected} modals, {expired - expired_before} expired "
            f"triggers, all done {time.perf_counter() - started - seconds:.1f}s after the last ack"
        )
    cpu_ms = (server_cpu_seconds(pid) - cpu_before) * 1000 / len(times)
    return Run(times=times, seconds=seconds, cpu_ms=cpu_ms, busy=busy, work=work)


if __name__ == "__main__":
    main()
