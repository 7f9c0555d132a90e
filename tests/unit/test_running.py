"""How listeners run: acked at once, the work on a pool, a bound on work in flight."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from bot.domain.errors import PermissionDenied
from bot.listeners import running
from bot.listeners.admission import BUSY, Kind
from bot.listeners.running import ListenerRunner

guarded = ListenerRunner().guarded


class Ack:
    """Bolt's ack, as seen by the wrapper: records when and with what it was called."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.at: list[float] = []

    def __call__(self, **fields: Any) -> None:
        self.calls.append(fields)
        self.at.append(time.monotonic())


def test_a_command_is_acked_before_its_listener_runs() -> None:
    started = threading.Event()
    release = threading.Event()

    def listener(ack: Any) -> None:
        started.set()
        release.wait(5)
        ack(text="ignored: Slack already has its ack")

    ack = Ack()
    before = time.monotonic()
    guarded(listener)(ack=ack)
    assert ack.calls == [{}]
    assert ack.at[0] - before < 0.5
    assert started.wait(2)
    release.set()


def test_a_modal_submission_answers_with_its_listeners_ack_and_goes_on_after_it() -> None:
    after_ack = threading.Event()

    def listener(ack: Any) -> None:
        ack(response_action="errors", errors={"aspiration": "Say where you want to grow."})
        time.sleep(0.2)
        after_ack.set()

    ack = Ack()
    guarded(listener, acks_itself=True)(ack=ack)
    assert ack.calls == [
        {"response_action": "errors", "errors": {"aspiration": "Say where you want to grow."}}
    ]
    assert not after_ack.is_set()  # the request returned while the listener carried on
    assert after_ack.wait(2)


def test_a_domain_error_is_told_to_the_person_not_raised() -> None:
    told: list[str] = []

    def respond(**fields: Any) -> None:
        told.append(fields["text"])

    def listener(ack: Any, respond: Any) -> None:
        raise PermissionDenied("You can't see that plan.")

    guarded(listener)(ack=Ack(), respond=respond)
    deadline = time.monotonic() + 2
    while not told and time.monotonic() < deadline:
        time.sleep(0.01)
    assert told == ["You can't see that plan."]


def test_past_the_bound_a_request_waits_for_work_in_flight_before_its_ack(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    guarded = ListenerRunner(in_flight=1, admission_wait=2.0).guarded
    release = threading.Event()

    def slow(ack: Any) -> None:
        release.wait(5)

    first, second = Ack(), Ack()
    guarded(slow)(ack=first)
    waiting = threading.Thread(target=guarded(slow), kwargs={"ack": second})
    waiting.start()
    time.sleep(0.3)
    assert (len(first.calls), len(second.calls)) == (1, 0)
    release.set()
    waiting.join(2)
    assert len(second.calls) == 1


def test_an_unexpected_error_is_logged_and_the_person_hears_something_went_wrong(
    caplog: pytest.LogCaptureFixture,
) -> None:
    told: list[str] = []

    def respond(**fields: Any) -> None:
        told.append(fields["text"])

    def listener(ack: Any, respond: Any) -> None:
        raise RuntimeError("the database went away")

    with caplog.at_level("ERROR"):
        guarded(listener)(ack=Ack(), respond=respond)
        deadline = time.monotonic() + 2
        while not told and time.monotonic() < deadline:
            time.sleep(0.01)
    assert told == [running.SOMETHING_WENT_WRONG]
    assert "the database went away" in caplog.text


def test_a_request_waits_no_longer_than_the_admission_wait_then_is_shed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = ListenerRunner(in_flight=1, admission_wait=0.2)
    release = threading.Event()
    ran: list[str] = []

    def slow(ack: Any) -> None:
        ran.append("slow")
        release.wait(5)

    runner.guarded(slow, kind=Kind.COMMAND)(ack=Ack())
    late = Ack()
    started = time.monotonic()
    runner.guarded(slow, kind=Kind.COMMAND)(ack=late)  # the place is still taken
    assert late.calls == [{"text": BUSY}]  # "busy" in the ack: the person sees it at once
    assert 0.15 < late.at[0] - started < 1.0
    release.set()
    assert runner.wait_idle(2)
    assert ran == ["slow"]  # the shed command did nothing
    assert runner.shed == 1


MODAL = {
    "type": "modal",
    "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}},
        {"type": "input", "block_id": "aspiration", "label": {}, "element": {}},
        {"type": "input", "block_id": "strengths", "label": {}, "element": {}},
    ],
}


def test_a_modal_whose_listener_raises_before_acking_gets_errors_on_its_first_input(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def listener(ack: Any, view: Any) -> None:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    ack = Ack()
    with caplog.at_level("ERROR"):
        guarded(listener, acks_itself=True)(ack=ack, view=MODAL)
    assert ack.calls == [
        {"response_action": "errors", "errors": {"aspiration": running.SOMETHING_WENT_WRONG}}
    ]
    assert "OverflowError" in caplog.text  # the bug is logged, with its traceback


def test_a_domain_error_a_modal_listener_did_not_catch_is_shown_on_the_form() -> None:
    def listener(ack: Any, view: Any) -> None:
        raise PermissionDenied("You can't see that plan.")

    ack = Ack()
    guarded(listener, acks_itself=True)(ack=ack, view=MODAL)
    assert ack.calls == [
        {"response_action": "errors", "errors": {"aspiration": "You can't see that plan."}}
    ]


def test_a_modal_with_no_input_gets_a_small_view_in_its_place() -> None:
    def listener(ack: Any, view: Any) -> None:
        raise RuntimeError("boom")

    ack = Ack()
    guarded(listener, acks_itself=True)(ack=ack, view={"type": "modal", "blocks": None})
    (call,) = ack.calls
    assert call["response_action"] == "update"
    assert running.SOMETHING_WENT_WRONG in str(call["view"])


def test_a_modal_listener_that_returns_without_acking_is_answered_for() -> None:
    ack = Ack()
    guarded(lambda ack, view: None, acks_itself=True)(ack=ack, view=MODAL)
    assert ack.calls[0]["response_action"] == "errors"


def test_after_its_ack_a_modal_listeners_failure_is_told_not_acked_again() -> None:
    told: list[str] = []

    def listener(ack: Any, view: Any, respond: Any) -> None:
        ack()
        raise RuntimeError("after the ack")

    class Respond:
        response_url = "https://hooks.example/1"

        def __call__(self, **fields: Any) -> None:
            told.append(fields["text"])

    ack = Ack()
    guarded(listener, acks_itself=True)(ack=ack, view=MODAL, respond=Respond())
    deadline = time.monotonic() + 2
    while not told and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ack.calls == [{}]
    assert told == [running.SOMETHING_WENT_WRONG]


def test_a_modal_listener_past_slacks_deadline_is_answered_in_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(running, "ACK_WAIT_SECONDS", 0.2)
    release = threading.Event()

    def listener(ack: Any, view: Any) -> None:
        release.wait(5)
        ack()  # too late: the person was already answered

    ack = Ack()
    guarded(listener, acks_itself=True)(ack=ack, view=MODAL)
    release.set()
    time.sleep(0.1)
    assert ack.calls == [{"response_action": "errors", "errors": {"aspiration": running.TOO_SLOW}}]
