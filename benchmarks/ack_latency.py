"""Time to ack under load: myplan web against a bare Bolt app on the same server.

Sends N signed requests (half `/myplan` commands, half button clicks) from C
concurrent clients to `myplan web`, then the same load to a bare Bolt app that
only acks, served by the same gunicorn configuration, in the same run; prints
p50/p99 of each and the ratio. Goal: myplan's p99 at most 1.5x the bare app's.
Run: python -m benchmarks.ack_latency [--requests 2000] [--clients 20]
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
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.config import parse_database_url
from bot.db.session import Database
from bot.domain.content import CommitmentInput, PlanInput
from bot.services import Services
from tests.slack_emulator import RateLimits, SlackDriver, SlackEmulator

PLAN = PlanInput(
    aspiration="Grow",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="1", target="2")
    ],
)


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
    driver: SlackDriver, users: list[str], plan_ids: dict[str, int], requests: int, clients: int
) -> list[float]:
    times: list[float] = []
    lock = threading.Lock()
    per_client = requests // clients

    errors: list[BaseException] = []

    def client(index: int) -> None:
        try:
            run_client(index)
        except BaseException as error:  # reported below, with the run stopped
            errors.append(error)

    def run_client(index: int) -> None:
        user = users[index % len(users)]
        mine: list[float] = []
        for i in range(per_client):
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
            mine.append(ack.seconds)
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
        "--database-url",
        help="PostgreSQL URL to run on (a fresh schema is made and dropped); default: SQLite",
    )
    args = parser.parse_args()

    slack = SlackEmulator(limits=RateLimits(enabled=False)).start()
    users = [f"UBENCH{i:03d}" for i in range(args.clients)]
    for user in users:
        slack.add_user(user, user.lower())
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

    results: dict[str, list[float]] = {}
    runs: list[tuple[str, str]] = [
        ("bare Bolt app", "benchmarks.bare_app"),
        ("myplan web", "bot web"),
    ]
    for name, module in runs:
        process, url = start(module, {**base_env, "PORT": str(free_port())})
        try:
            driver = SlackDriver(slack, url)
            load(driver, users, plan_ids, min(200, args.requests), args.clients)  # warm up
            time.sleep(3)
            replies, views = len(slack.responses), len(slack.calls_to("views.open"))
            started = time.perf_counter()
            results[name] = load(driver, users, plan_ids, args.requests, args.clients)
            if name == "myplan web":
                # Fast acks count only if the work behind them is done too: a
                # reply per command, a modal per click (within the trigger's 3 s).
                expected = args.requests // args.clients * args.clients // 2
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and (
                    len(slack.responses) - replies < expected
                    or len(slack.calls_to("views.open")) - views < expected
                ):
                    time.sleep(0.05)
                done_replies = len(slack.responses) - replies
                done_views = len(slack.calls_to("views.open")) - views
                expired = sum(1 for call in slack.calls if call.error == "expired_trigger_id")
                print(
                    f"work done behind the acks: {done_replies}/{expected} replies, "
                    f"{done_views}/{expected} modals opened, {expired} expired triggers, "
                    f"all within {time.perf_counter() - started:.1f}s of the first request"
                )
        finally:
            process.terminate()
            process.wait(timeout=30)
    slack.stop()
    if schema is not None:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))

    for name, times in results.items():
        print(
            f"{name:14} p50 {percentile(times, 50) * 1000:6.1f} ms   "
            f"p99 {percentile(times, 99) * 1000:6.1f} ms   max {max(times) * 1000:6.1f} ms   "
            f"({len(times)} requests)"
        )
    ratio = percentile(results["myplan web"], 99) / percentile(results["bare Bolt app"], 99)
    verdict = "ok" if ratio <= 1.5 else "ABOVE GOAL"
    print(f"p99 ratio myplan/bare: {ratio:.2f}x (goal <= 1.5x: {verdict})")


if __name__ == "__main__":
    main()
