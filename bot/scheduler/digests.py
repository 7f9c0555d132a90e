"""The managers' morning digests: on each working day, from 09:00 their time,
a manager whose reports' proposed plans still wait for them gets the day's
digest, once (a request earlier that day posted it already: nothing more)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol

from slack_sdk import WebClient

from bot.db.session import Database
from bot.outbox.delivery import Outcome, WorkspaceUnavailable
from bot.outbox.digest import send_digest
from bot.outbox.keys import digest_key
from bot.outbox.pacing import Pacer
from bot.outbox.store import OutboxStore
from bot.usecases import digest as digests

log = logging.getLogger(__name__)


class Counts(Protocol):
    def count(self, kind: str, *, outcome: Outcome, what: str) -> None: ...


def morning_digests(
    *,
    db: Database,
    clients: Callable[[str], WebClient | None],
    store: OutboxStore,
    pacers: Callable[[str], Pacer] | None,
    now: dt.datetime,
    report: Counts,
) -> None:
    """One indexed statement when nothing is due; a digest read and sent for
    each manager due and not yet sent one today."""
    due = digests.morning_digests(db, now=now)
    for workspace_id in {d.workspace_id for d in due}:
        store.learn_settled(
            workspace_id=workspace_id,
            keys=[digest_key(d.manager_id, d.day) for d in due if d.workspace_id == workspace_id],
        )
    for manager in due:
        key = digest_key(manager.manager_id, manager.day)
        if store.settled(workspace_id=manager.workspace_id, key=key):
            continue
        client = clients(manager.slack_team_id)
        if client is None:
            continue
        try:
            digest = digests.manager_digest(db, manager_id=manager.manager_id, now=now)
            if not digest.waiting:
                continue
            if pacers is not None:
                pacers(manager.slack_team_id).wait(digest.manager_slack_user_id)
            sent = send_digest(store=store, client=client, digest=digest, now=now)
        except WorkspaceUnavailable as error:  # that workspace's: the others go on
            log.warning("workspace %s refused our token: %s", manager.slack_team_id, error)
            continue
        report.count(
            "manager-digest",
            outcome=Outcome.SENT if sent else Outcome.FAILED,
            what=f"morning digest to {digest.manager_slack_user_id}",
        )
