"""A manager's digest in their DM: posted once a day, edited in place after."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.digest import digest_message
from bot.outbox.delivery import Outcome, deliver
from bot.outbox.keys import digest_key
from bot.outbox.store import OutboxStore
from bot.usecases.digest import Digest

log = logging.getLogger(__name__)
# Another request posting today's digest right now: how long to wait for its
# record before editing it (a post takes a round trip or two to Slack, more
# when Slack asks us to slow down).
POSTING_WAIT_S, POSTING_POLL_S = 10.0, 0.05


class _Sent:
    """This process's digests: one send at a time per digest (a lock stripe
    per key), and the newest read wins."""

    STRIPES = 64

    def __init__(self) -> None:
        self._stripes = [threading.Lock() for _ in range(self.STRIPES)]
        self.read_at: dict[str, float] = {}

    def lock(self, key: str) -> threading.Lock:
        if len(self.read_at) > 10_000:  # earlier days' digests: nobody edits them
            self.read_at.clear()
        return self._stripes[hash(key) % self.STRIPES]


_SENT = _Sent()


def send_digest(
    *,
    store: OutboxStore,
    client: WebClient,
    digest: Digest,
    now: dt.datetime,
    post: bool = True,
) -> bool:
    """Today's digest as it stands: the first time something waits today it is
    posted (a notification), after that the same message is edited. With
    ``post`` False (the manager acted on something) it is only edited, if
    there is one today. False when nothing was sent or edited."""
    key = digest_key(digest.manager_id, digest.day)
    with _SENT.lock(key):
        if _SENT.read_at.get(key, 0.0) > digest.read_at:
            return True  # a digest read after this one went out already
        sent = _send(store=store, client=client, digest=digest, key=key, now=now, post=post)
        if sent:
            _SENT.read_at[key] = digest.read_at
        return sent


def _send(
    *,
    store: OutboxStore,
    client: WebClient,
    digest: Digest,
    key: str,
    now: dt.datetime,
    post: bool,
) -> bool:
    text, blocks = digest_message(digest)
    existing = store.sent_ts(workspace_id=digest.workspace_id, key=key)
    if existing is None:
        if not (post and digest.waiting):
            return False
        store.forget_settled(workspace_id=digest.workspace_id, key=key)
        result = deliver(
            store=store,
            client=client,
            workspace_id=digest.workspace_id,
            key=key,
            kind="manager-digest",
            channel=digest.manager_slack_user_id,
            due_at=now,
            now=now,
            text=text,
            blocks=blocks,
        )
        if result.outcome is Outcome.SENT or result.outcome is Outcome.FAILED:
            return result.outcome is Outcome.SENT
        existing = _posted(store, workspace_id=digest.workspace_id, key=key)
        if existing is None:
            log.warning("today's digest %s is being posted elsewhere; not edited", key)
            return False
    try:
        client.chat_update(channel=existing[0], ts=existing[1], text=text, blocks=blocks)
    except SlackApiError:
        log.exception("could not edit the digest %s", key)
        return False
    return True


def _posted(store: OutboxStore, *, workspace_id: int, key: str) -> tuple[str, str] | None:
    """Where the digest another request (or process) is posting went, once recorded."""
    deadline = time.monotonic() + POSTING_WAIT_S
    while time.monotonic() < deadline:
        found = store.sent_ts(workspace_id=workspace_id, key=key)
        if found is not None:
            return found
        time.sleep(POSTING_POLL_S)
    return None
