"""One clock process, as `myplan clock` runs one minute of it, started on cue.

    python -m tests.clock_process --now 2026-11-23T09:00:00Z --clocks 2

Reads the environment as `myplan` does (DATABASE_URL, SLACK_API_URL, and
SLACK_CLIENT_ID/SECRET for many workspaces or SLACK_BOT_TOKEN for one), says
it is alive in the leases, waits until ``--clocks`` clocks are (so that clocks
started together split the workspaces, as running clocks do each minute), then
runs the tick at ``--now`` with the clock's leases and pacers (holding at
most ``--at-once`` workspaces at once, 256 as a clock does), and prints
what it sent as JSON: {"sent": {...}, "failed": [...], "seconds": 1.2}.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

from slack_sdk import WebClient

from bot.app import installation_store, make_client
from bot.config import Settings
from bot.db.session import Database
from bot.outbox.leases import AT_ONCE, Leases
from bot.outbox.pacing import Pacers
from bot.scheduler.clock import tick
from bot.scheduler.jobs import ClientFor


def clients_for(settings: Settings, db: Database) -> ClientFor:
    if not settings.oauth_mode:
        client = make_client(settings)
        return lambda _team: client
    store = installation_store(settings, db)

    def installed(slack_team_id: str) -> WebClient | None:
        bot = store.find_bot(enterprise_id=None, team_id=slack_team_id)
        return make_client(settings, token=bot.bot_token) if bot and bot.bot_token else None

    return installed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--now", required=True, type=dt.datetime.fromisoformat)
    parser.add_argument("--clocks", type=int, default=1, help="clocks to wait for")
    parser.add_argument("--at-once", type=int, default=AT_ONCE, help="workspaces held at once")
    args = parser.parse_args()
    settings = Settings.from_env()
    db = Database(settings.database_url)
    leases = Leases(db, at_once=args.at_once)
    deadline = time.monotonic() + 60
    while leases.seen() < args.clocks and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.perf_counter()
    report = tick(
        db=db,
        clients=clients_for(settings, db),
        now=args.now,
        pacers=Pacers(posts_per_minute=settings.posts_per_minute),
        leases=leases,
    )
    seconds = time.perf_counter() - started
    leases.leave()
    print(json.dumps({"sent": report.sent, "failed": report.failed, "seconds": seconds}))


if __name__ == "__main__":
    main()
