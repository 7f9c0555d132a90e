"""The retention: an uninstalled workspace's data is kept for the retention
(MYPLAN_RETENTION_DAYS, 30 days by default), then purged by the clock. A
reinstall within it keeps everything (bot/usecases/workspace.py:installed)."""

from __future__ import annotations

import datetime as dt
import logging

from bot.config import DEFAULT_RETENTION_DAYS
from bot.db.session import Database
from bot.usecases.data import AuditLine, purge_expired

log = logging.getLogger(__name__)


def purge_due(
    *, db: Database, now: dt.datetime, retention_days: int = DEFAULT_RETENTION_DAYS
) -> list[AuditLine]:
    """Purge each workspace uninstalled ``retention_days`` or more before ``now``:
    every row it owns, and its stored install; an audit line stays for each."""
    purged = purge_expired(db, now=now, retention=dt.timedelta(days=retention_days))
    for line in purged:
        log.info(
            "purged workspace %s, uninstalled over %s days ago: %s rows",
            line.slack_team_id,
            retention_days,
            line.rows_deleted,
        )
    return purged
