"""What a full web process does with a request, and a modal's trigger spent only while fresh.

A process works on at most ListenerRunner's bound of listeners at once. A
request that finds no place within the admission wait is shed, as what it is
allows, rather than let in to pile up behind the rest: a command is answered
"busy" in its ack, a click or shortcut is acked and told "busy", an event
(App Home opened: its previous view stays) is dropped, and a modal's
submission, which carries what the person typed, waits a little longer and is
then refused on its first field, the modal left open with every answer in it.

Slack's trigger_id is good for 3 s after Slack sent the request; a view opened
with an older one fails with expired_trigger_id, after the person has waited
for nothing. The request's client opens or pushes a view only while its
trigger has TRIGGER_BUDGET_SECONDS of its life left; past that the person is
told at once instead (a DomainError: running.py tells it where they acted).
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any

from slack_sdk import WebClient

from bot.domain.errors import DomainError

log = logging.getLogger(__name__)

# From the request's arrival: Slack's 3 s less what its own delivery and the
# views.open call itself take.
TRIGGER_BUDGET_SECONDS = 2.5
# A submission waits this much longer than other requests for a place.
SUBMISSION_EXTRA_WAIT_SECONDS = 1.0

BUSY = "myplan is very busy right now, so nothing was done. Please try again in a minute."
TRIGGER_LATE = (
    "Sorry, that took too long to open, so nothing was opened or changed. Please try again."
)


class Kind(StrEnum):
    COMMAND = "command"
    ACTION = "action"
    SHORTCUT = "shortcut"
    EVENT = "event"
    VIEW = "view"  # a modal's submission


class TriggerExpired(DomainError):
    """A view was about to be opened with a trigger too old for Slack to accept."""


_arrivals = threading.local()


@contextmanager
def arriving(at: float | None = None) -> Iterator[list[Callable[[], object]]]:
    """Where a request comes in (the HTTP edge): its arrival, for the listener
    that Bolt runs for it in this same thread. Yields what is to start once
    the response is sent (``after_response``): the edge runs it then."""
    _arrivals.at = time.monotonic() if at is None else at
    after: list[Callable[[], object]] = []
    _arrivals.after = after
    try:
        yield after
    finally:
        _arrivals.at = None
        _arrivals.after = None


def after_response(task: Callable[[], object]) -> None:
    """``task`` started once this thread's response has gone to Slack, so the
    work behind an ack does not compete with the ack for the GIL; at once
    where no edge serves the request (Socket Mode, a test calling Bolt)."""
    after: list[Callable[[], object]] | None = getattr(_arrivals, "after", None)
    if after is None:
        task()
    else:
        after.append(task)


def arrival() -> float:
    """When the request this thread is serving arrived (now, if no edge said)."""
    at = getattr(_arrivals, "at", None)
    return time.monotonic() if at is None else float(at)


def trigger_guarded(client: WebClient, *, deadline: float) -> WebClient:
    """A shallow copy of the request's client (same token, session, retries,
    class) that refuses to open or push a view past ``deadline``."""
    guarded = copy.copy(client)
    call = guarded.api_call

    def api_call(api_method: str, *args: Any, **kwargs: Any) -> Any:
        if api_method in ("views.open", "views.push") and time.monotonic() > deadline:
            age = time.monotonic() - deadline + TRIGGER_BUDGET_SECONDS
            log.warning("did not call %s with a trigger %.1f s old", api_method, age)
            raise TriggerExpired(TRIGGER_LATE)
        return call(api_method, *args, **kwargs)

    guarded.__dict__["api_call"] = api_call
    return guarded


def guard_trigger(kwargs: dict[str, Any], *, arrived: float) -> dict[str, Any]:
    """The listener's arguments, its client guarding the request's trigger."""
    client = kwargs.get("client")
    if isinstance(client, WebClient):
        deadline = arrived + TRIGGER_BUDGET_SECONDS
        return {**kwargs, "client": trigger_guarded(client, deadline=deadline)}
    return kwargs
