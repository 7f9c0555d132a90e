"""How listeners run: acked at once, then at work on a pool, guarded.

Bolt calls each listener in the request's thread (the app processes before
responding); the wrapper here decides when Slack gets its ack and hands the
work to a pool, so no Slack call ever delays an ack, and no database read
does except a modal submission's own (its ack carries what the save found).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from bot.domain.errors import DomainError
from bot.listeners.common import tell
from bot.services import Services
from bot.services.members import MemberRef

log = logging.getLogger(__name__)

Listener = TypeVar("Listener", bound=Callable[..., None])

# Slack gives up on an ack after 3 s; past that, waiting helps nobody.
ACK_WAIT_SECONDS = 3.0
# Threads for the listeners in flight, and for those let in when a request
# has waited ADMISSION_WAIT_SECONDS for a place.
LISTENER_THREADS = 64
# Listeners at work at once in a process, queued ones included. Past this, a
# new request waits (at most ADMISSION_WAIT_SECONDS) for one to finish before
# it is acked: under overload Slack's clients slow down, instead of work
# piling up behind fast acks until modals' triggers (good for 3 s) expire.
# Measured with benchmarks.ack_latency on PostgreSQL, 5 processes on 2 shared
# cores: with 16 at once, 50-70 requests/s left the threads fighting over the
# GIL, each request cost more CPU and the backlog never drained (p99 ~3 s);
# with 8, p99 was 6-23 ms in 4 runs of 5 (the fifth, on a disturbed machine,
# fell behind); with 4 it held every time, but 4 slow Slack calls would then
# hold up every ack. Unbounded, in the run as fast as the clients go, 737 of
# 1,000 modals missed their trigger.
LISTENERS_IN_FLIGHT = 8
# A request waits at most this long for a place, then goes ahead anyway: the
# bound slows an overload down, and never costs an ack more than this.
ADMISSION_WAIT_SECONDS = 0.25
_in_flight = threading.BoundedSemaphore(LISTENERS_IN_FLIGHT)
_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def listener_pool() -> ThreadPoolExecutor:
    """One pool per process, started on first use (so after gunicorn's fork)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=LISTENER_THREADS, thread_name_prefix="listener")
        return _pool


@dataclass(frozen=True)
class PendingMember:
    """Who is acting, looked up on a pool thread once Slack has its ack: the
    lookup reads the database, and the middleware that finds it runs first."""

    services: Services
    slack_team_id: str
    slack_user_id: str

    def resolve(self) -> MemberRef:
        return self.services.members.ensure_member(
            slack_team_id=self.slack_team_id, slack_user_id=self.slack_user_id
        )


def guarded(listener: Listener, *, acks_itself: bool = False) -> Listener:
    """Ack Slack at once and run the listener on the listener pool.

    Bolt calls this in the request's thread (the app processes before
    responding), so the request returns as soon as Slack is acked. A
    command, click, shortcut or event is acked before its listener starts
    (its own ack() then does nothing). A modal's submission is answered by
    its listener (``acks_itself``: errors on fields, or the next view), so
    the request waits for that ack, woken by an event rather than by Bolt's
    10 ms poll, and the listener carries on after it.

    Nothing a listener raises escapes: a domain error is told to the person,
    anything else is logged with its traceback. Bolt reads the listener's
    parameters through __wrapped__ and passes them all by name."""

    @functools.wraps(listener)
    def run(**kwargs: Any) -> None:
        deadline = time.monotonic() + ACK_WAIT_SECONDS
        admitted = _in_flight.acquire(timeout=ADMISSION_WAIT_SECONDS)
        acked = threading.Event()
        bolt_ack = kwargs.get("ack")
        if bolt_ack is None:
            acked.set()  # an event: Bolt acks it when this returns
        elif acks_itself:

            def ack(*args: Any, **fields: Any) -> Any:
                try:
                    return bolt_ack(*args, **fields)
                finally:
                    acked.set()

            kwargs["ack"] = ack
        else:
            bolt_ack()
            acked.set()
            kwargs["ack"] = _already_acked

        def work() -> None:
            try:
                _run_guarded(listener, kwargs)
            finally:
                acked.set()  # it returned without acking: Bolt says so in its log
                if admitted:
                    _in_flight.release()

        listener_pool().submit(work)
        acked.wait(max(0.0, deadline - time.monotonic()))

    return cast(Listener, run)


SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on our side and nothing was changed. "
    "It has been logged; please try again in a minute."
)


def _already_acked(*_: Any, **__: Any) -> None:
    pass


def _run_guarded(listener: Callable[..., None], kwargs: dict[str, Any]) -> None:
    try:
        if isinstance(kwargs.get("member"), PendingMember):
            kwargs["member"] = kwargs["member"].resolve()
        listener(**kwargs)
    except DomainError as error:
        _tell_actor(kwargs, str(error))
    except Exception:
        log.exception("listener %s failed", listener.__name__)
        _tell_actor(kwargs, SOMETHING_WENT_WRONG)


def _tell_actor(kwargs: dict[str, Any], text: str) -> None:
    member = kwargs.get("member")
    tell(
        respond=kwargs.get("respond"),
        client=kwargs.get("client"),
        slack_user_id=member.slack_user_id if member is not None else None,
        text=text,
    )
