"""Review requests: the owner's by DM, the manager's in their digest of the
day (one message however many reports' windows open, not a DM per report)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from slack_sdk import WebClient

from bot.blocks.review import review_request_blocks
from bot.db.session import Database
from bot.domain.quarters import zone
from bot.outbox.delivery import Outcome
from bot.outbox.digest import send_digest
from bot.outbox.keys import digest_key, review_reminder_key, review_request_key
from bot.outbox.pacing import Pacer
from bot.outbox.store import OutboxStore
from bot.scheduler.digests import Counts
from bot.usecases.digest import manager_digest
from bot.usecases.scheduled import ReviewsDue

if TYPE_CHECKING:
    from bot.scheduler.jobs import Outbox


def review_requests(outbox: Outbox, *, due: ReviewsDue) -> None:
    """When the review window opens in the owner's zone, the owner gets one DM
    to review, and their manager the review in their digest of the day; on its
    last working day, one reminder each if not done."""
    label = due.quarter.label
    outbox.store.learn_settled(
        workspace_id=outbox.workspace_id,
        keys=[
            key(row.plan_id, recipient)
            for row in due.roster
            for recipient in (row.slack_user_id, row.manager_slack_user_id)
            if recipient
            for key in (review_request_key, review_reminder_key)
        ],
    )
    asked: dict[int, dict[str, int]] = {}
    for row in due.roster:
        tz = zone(row.timezone)
        if not due.window.is_open(outbox.now, tz):
            continue
        reminded = due.window.reminder_due(outbox.now, tz)
        if row.manager_id is not None and row.manager_slack_user_id:
            asked.setdefault(row.manager_id, {}).update(
                (key(row.plan_id, row.manager_slack_user_id), row.plan_id)
                for key in (review_request_key, *([review_reminder_key] if reminded else []))
            )
        blocks = review_request_blocks(
            plan_id=row.plan_id, quarter_label=label, owner_name=row.name, for_owner=True
        )
        asks = [("review-request", review_request_key, f"Time to review your {label} plan.")]
        if reminded:
            text = f"A reminder: the {label} review of your plan closes with the quarter."
            asks.append(("review-reminder", review_reminder_key, text))
        for kind, key, text in asks:
            outbox.send(
                kind=kind,
                key=key(row.plan_id, row.slack_user_id),
                channel=row.slack_user_id,
                text=text,
                blocks=blocks,
                what=f"{kind} to {row.slack_user_id}",
            )
    review_digests(
        db=outbox.db,
        store=outbox.store,
        client=outbox.client,
        pacer=outbox.pacer,
        workspace_id=outbox.workspace_id,
        now=outbox.now,
        asked=asked,
        report=outbox.report,
    )


def review_digests(
    *,
    db: Database,
    store: OutboxStore,
    client: WebClient,
    pacer: Pacer | None,
    workspace_id: int,
    now: dt.datetime,
    asked: dict[int, dict[str, int]],
    report: Counts,
) -> None:
    """``asked``: for each manager (member id), the keys of what is due to ask
    them now (a review opened, its reminder), each with its plan. Each key is
    claimed once; a manager with any fresh claim gets today's digest posted or
    edited, once, listing those plans' reviews."""
    fresh: dict[int, list[int]] = defaultdict(list)
    for manager_id, keys in asked.items():
        for key in keys:
            if store.settled(workspace_id=workspace_id, key=key):
                continue
            claim = store.claim(
                workspace_id=workspace_id, key=key, kind="review-digest", due_at=now, now=now
            )
            if claim.fresh:
                fresh[manager_id].append(claim.id)
            else:
                store.remember_settled(workspace_id=workspace_id, key=key)
    for manager_id, claims in fresh.items():
        digest = manager_digest(
            db, manager_id=manager_id, now=now, reviewing=frozenset(asked[manager_id].values())
        )
        if not digest.waiting:  # they wrote every reflection already: nothing to ask
            for claim_id in claims:
                store.mark_failed(delivery_id=claim_id, error="nothing waits")
            continue
        if pacer is not None:
            pacer.wait(digest.manager_slack_user_id)
        sent = send_digest(store=store, client=client, digest=digest, now=now)
        where = store.sent_ts(workspace_id=workspace_id, key=digest_key(manager_id, digest.day))
        for claim_id in claims:
            if sent and where is not None:
                store.mark_sent(delivery_id=claim_id, channel_id=where[0], ts=where[1], now=now)
            else:
                store.mark_failed(delivery_id=claim_id, error="digest not sent")
        report.count(
            "manager-digest",
            outcome=Outcome.SENT if sent else Outcome.FAILED,
            what=f"digest to {digest.manager_slack_user_id}",
        )
