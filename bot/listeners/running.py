"""How listeners run: acked at once, then at work on the app's pool, guarded.

Bolt calls each listener in the request's thread (the app processes before
responding); a ``ListenerRunner``, one per app, decides when Slack gets its
ack and hands the work to its pool, so no Slack call ever delays an ack, and
no database read does except a modal submission's own (its ack carries what
the save found). ``Registrar`` wraps every listener as it is registered:
listener modules never wrap anything themselves.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_sdk.errors import SlackApiError

from bot.blocks.forms import refusal
from bot.domain.errors import DomainError
from bot.listeners.admission import (
    BUSY,
    SUBMISSION_EXTRA_WAIT_SECONDS,
    Kind,
    after_response,
    arrival,
    guard_trigger,
)
from bot.listeners.replies import tell
from bot.listeners.routing import Routes, ignored, outdated
from bot.usecases.common import Actor

log = logging.getLogger(__name__)

Listener = Callable[..., None]

# Slack gives up on an ack after 3 s; past that, waiting helps nobody.
ACK_WAIT_SECONDS = 3.0
# Threads for the listeners in flight, and for those let in when a request
# has waited ADMISSION_WAIT_SECONDS for a place.
LISTENER_THREADS = 64
# Listeners at work at once in an app, queued ones included. Past this, a
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
# A request waits at most this long for a place, then is shed (admission.py):
# answered "busy" at once rather than let in to pile up behind the rest.
ADMISSION_WAIT_SECONDS = 0.25

TOO_SLOW = (
    "Sorry, this is taking longer than it should. Wait a minute, then look before you "
    "try again: it may have been saved."
)
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on our side and nothing was changed. "
    "It has been logged; please try again in a minute."
)


class ListenerRunner:
    """One app's listener pool and its bound on work in flight."""

    def __init__(
        self,
        *,
        in_flight: int = LISTENERS_IN_FLIGHT,
        admission_wait: float = ADMISSION_WAIT_SECONDS,
        threads: int = LISTENER_THREADS,
    ) -> None:
        self._in_flight = threading.BoundedSemaphore(in_flight)
        self._admission_wait = admission_wait
        self._threads = threads
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()
        self._busy = 0
        self._idle = threading.Condition()
        self.shed = 0  # requests answered "busy" (admission.py), for the benchmarks

    def pool(self) -> ThreadPoolExecutor:
        """Started on first use, so after gunicorn's fork."""
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self._threads, thread_name_prefix="listener"
                )
            return self._pool

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no listener is at work; False if some still are after ``timeout``."""
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout)

    def shutdown(self) -> None:
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    def guarded(
        self, listener: Listener, *, acks_itself: bool = False, kind: Kind = Kind.ACTION
    ) -> Listener:
        """Ack Slack at once and run the listener on the pool.

        A command, click, shortcut or event is acked before its listener
        starts (its own ack() then does nothing). A modal's submission is
        answered by its listener (``acks_itself``: errors on fields, or the
        next view), so the request waits for that ack, woken by an event
        rather than by Bolt's 10 ms poll, and the listener carries on after it.
        A request that finds no place is shed as its ``kind`` allows
        (admission.py), and the listener's client opens a view only while the
        request's trigger is fresh.

        Nothing a listener raises escapes, and every modal is answered: a
        domain error is told to the person (on the modal's first input when
        its listener had not answered yet), anything else is logged with its
        traceback and answered "something went wrong", so Slack never hears
        Bolt's 404. Bolt reads the listener's parameters through __wrapped__
        and passes them by name."""
        kind = Kind.VIEW if acks_itself else kind

        @functools.wraps(listener)
        def run(**kwargs: Any) -> None:
            arrived = arrival()
            deadline = arrived + ACK_WAIT_SECONDS
            if not self._admit(kind):
                self._shed(kind, kwargs)
                return
            kwargs = guard_trigger(kwargs, arrived=arrived)
            acked = threading.Event()
            answer = _answer_for(kwargs, acked=acked, acks_itself=acks_itself)
            if answer is not None:
                kwargs = {**kwargs, "ack": answer.ack}
            elif "ack" in kwargs:
                kwargs = {**kwargs, "ack": _already_acked}

            def work() -> None:
                try:
                    _run_guarded(listener, kwargs, answer=answer)
                finally:
                    acked.set()
                    self._in_flight.release()
                    with self._idle:
                        self._busy -= 1
                        self._idle.notify_all()

            with self._idle:
                self._busy += 1
            if answer is None:
                # Acked already: the work starts once the ack has been sent.
                after_response(lambda: self.pool().submit(work))
                return
            self.pool().submit(work)
            if not acked.wait(max(0.0, deadline - time.monotonic())):
                log.warning("listener %s did not answer in time", listener.__name__)
                answer.refuse(TOO_SLOW)

        return run

    def _admit(self, kind: Kind) -> bool:
        if self._in_flight.acquire(timeout=self._admission_wait):
            return True
        # What the person typed is in a submission: it waits a little longer.
        return kind is Kind.VIEW and self._in_flight.acquire(timeout=SUBMISSION_EXTRA_WAIT_SECONDS)

    def _shed(self, kind: Kind, kwargs: dict[str, Any]) -> None:
        """No place for this request: answer it at once as busy, doing nothing."""
        with self._idle:
            self.shed += 1
        log.warning("busy: shed a %s after %.2f s", kind.value, time.monotonic() - arrival())
        ack = kwargs.get("ack")
        if kind is Kind.VIEW:
            if ack is not None:
                ack(**refusal(kwargs.get("view"), BUSY))
            return
        if kind is Kind.COMMAND:
            if ack is not None:
                ack(text=BUSY)
            return
        if ack is not None:
            ack()
        if kind is not Kind.EVENT:  # an App Home opened keeps the view it had
            self.pool().submit(_tell_actor, kwargs, BUSY)


class _Answer:
    """A modal's one answer: its listener's ack, or, when the listener fails
    or is late, a refusal in its place. Whichever comes first is sent."""

    def __init__(self, bolt_ack: Any, *, view: Any, acked: threading.Event) -> None:
        self._bolt_ack = bolt_ack
        self._view = view
        self._acked = acked
        self._lock = threading.Lock()
        self._given = False

    def ack(self, *args: Any, **fields: Any) -> Any:
        with self._lock:
            if self._given:
                return None
            self._given = True
        try:
            return self._bolt_ack(*args, **fields)
        finally:
            self._acked.set()

    def refuse(self, message: str) -> bool:
        """Answer with ``message`` if nothing was answered yet; True if it was."""
        with self._lock:
            if self._given:
                return False
        self.ack(**refusal(self._view, message))
        return True


def _answer_for(
    kwargs: dict[str, Any], *, acked: threading.Event, acks_itself: bool
) -> _Answer | None:
    """The modal's answer to give; None when Slack is acked now (or by Bolt)."""
    bolt_ack = kwargs.get("ack")
    if bolt_ack is None:
        acked.set()  # an event: Bolt acks it when this returns
        return None
    if not acks_itself:
        bolt_ack()
        acked.set()
        return None
    return _Answer(bolt_ack, view=kwargs.get("view"), acked=acked)


class Registrar:
    """Where listener modules register their listeners, each wrapped once by
    the app's runner and routed by its id (routing.py): a new listener is one
    function and one line."""

    def __init__(self, app: App, runner: ListenerRunner) -> None:
        self._runner = runner
        self._routes = Routes(app, unknown=self._unknown)

    def command(self, name: str, listener: Listener) -> None:
        guarded = self._runner.guarded(listener, kind=Kind.COMMAND)
        self._routes.add("command", name=name, listener=guarded)

    def action(self, action_id: str, listener: Listener) -> None:
        guarded = self._runner.guarded(listener, kind=Kind.ACTION)
        self._routes.add("action", name=action_id, listener=guarded)

    def shortcut(self, callback_id: str, listener: Listener) -> None:
        guarded = self._runner.guarded(listener, kind=Kind.SHORTCUT)
        self._routes.add("shortcut", name=callback_id, listener=guarded)

    def event(self, event_type: str, listener: Listener) -> None:
        guarded = self._runner.guarded(listener, kind=Kind.EVENT)
        self._routes.add("event", name=event_type, listener=guarded)

    def view(self, callback_id: str, listener: Listener) -> None:
        """A modal's submission: its listener's own ack answers it."""
        guarded = self._runner.guarded(listener, acks_itself=True)
        self._routes.add("view", name=callback_id, listener=guarded)

    def _unknown(self, kind: str) -> Listener:
        """What answers a request of ``kind`` whose id no listener has."""
        if kind == "view":
            return self._runner.guarded(outdated, acks_itself=True)
        if kind == "event":
            return ignored  # nothing to do: not worth a place among the listeners at work
        return self._runner.guarded(outdated, kind=Kind(kind))


def _already_acked(*_: Any, **__: Any) -> None:
    pass


def _run_guarded(listener: Listener, kwargs: dict[str, Any], *, answer: _Answer | None) -> None:
    try:
        listener(**kwargs)
    except DomainError as error:
        if answer is None or not answer.refuse(str(error)):
            _tell_actor(kwargs, str(error))
    except SlackApiError as error:  # Slack's refusal (an expired trigger, a view gone): one line
        log.warning(
            "listener %s: Slack answered %s", listener.__name__, error.response.get("error")
        )
        if answer is None or not answer.refuse(SOMETHING_WENT_WRONG):
            _tell_actor(kwargs, SOMETHING_WENT_WRONG)
    except Exception:
        log.exception("listener %s failed", listener.__name__)
        if answer is None or not answer.refuse(SOMETHING_WENT_WRONG):
            _tell_actor(kwargs, SOMETHING_WENT_WRONG)
    else:
        if answer is not None and answer.refuse(SOMETHING_WENT_WRONG):
            log.error("listener %s returned without answering its modal", listener.__name__)


def _tell_actor(kwargs: dict[str, Any], text: str) -> None:
    actor = kwargs.get("actor")
    tell(
        respond=kwargs.get("respond"),
        client=kwargs.get("client"),
        slack_user_id=actor.slack_user_id if isinstance(actor, Actor) else None,
        text=text,
    )
