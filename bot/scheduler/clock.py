"""The clock: APScheduler runs the due-work check every minute.

One scheduler per process and no shared job store: every job is idempotent
(see bot/outbox/delivery.py), so a restart changes nothing. Clock processes
share the work through a lease per workspace (bot/outbox/leases.py): each
minute they split the workspaces, and only one sends for a workspace at a
time, so together they keep to its rate.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.config import DEFAULT_RETENTION_DAYS
from bot.db.session import Database
from bot.outbox.leases import Leases
from bot.outbox.pacing import Pacers
from bot.outbox.store import OutboxStore
from bot.scheduler.fanout import TickReport
from bot.scheduler.jobs import ClientFor, run_due
from bot.scheduler.retention import purge_due

log = logging.getLogger(__name__)


def tick(
    *,
    db: Database,
    clients: ClientFor,
    now: dt.datetime,
    pacers: Pacers | None = None,
    store: OutboxStore | None = None,
    leases: Leases | None = None,
    retention_days: int = DEFAULT_RETENTION_DAYS,
) -> TickReport:
    report = run_due(db=db, clients=clients, now=now, pacers=pacers, store=store, leases=leases)
    purge_due(db=db, now=now, retention_days=retention_days)
    if report.sent or report.failed:
        log.info("tick at %s: sent %s, failed %s", now.isoformat(), report.sent, report.failed)
    return report


def _job(
    *,
    db: Database,
    clients: ClientFor,
    clock: Callable[[], dt.datetime],
    pacers: Pacers,
    retention_days: int,
) -> Callable[[], None]:
    store = OutboxStore(db)  # one for the clock's life: it remembers what was settled
    leases = Leases(db)
    leases.seen()  # from its first minute, the other clocks leave this one its share

    def job() -> None:
        # The minute, so that every clock ticking it names the same instant.
        now = clock().replace(second=0, microsecond=0)
        tick(
            db=db,
            clients=clients,
            now=now,
            pacers=pacers,
            store=store,
            leases=leases,
            retention_days=retention_days,
        )

    return job


def _schedule(scheduler: BlockingScheduler | BackgroundScheduler, job: Callable[[], None]) -> None:
    # Every minute on the minute; a run that overlaps the next is skipped, and
    # runs missed while the process slept are coalesced into one.
    scheduler.add_job(
        job,
        CronTrigger(second=0),
        id="due-work",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=300,
    )


def run_forever(
    *,
    db: Database,
    clients: ClientFor,
    clock: Callable[[], dt.datetime],
    pacers: Pacers,
    retention_days: int = DEFAULT_RETENTION_DAYS,
) -> None:
    scheduler = BlockingScheduler(timezone=dt.UTC)
    job = _job(db=db, clients=clients, clock=clock, pacers=pacers, retention_days=retention_days)
    _schedule(scheduler, job)
    scheduler.start()


def start_in_background(
    *,
    db: Database,
    clients: ClientFor,
    clock: Callable[[], dt.datetime],
    pacers: Pacers,
    retention_days: int = DEFAULT_RETENTION_DAYS,
) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=dt.UTC)
    job = _job(db=db, clients=clients, clock=clock, pacers=pacers, retention_days=retention_days)
    _schedule(scheduler, job)
    scheduler.start()
    return scheduler
