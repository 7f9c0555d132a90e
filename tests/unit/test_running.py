"""How listeners run: acked at once, the work on a pool, a bound on work in flight."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from bot.domain.errors import PermissionDenied
from bot.listeners import running
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


def test_a_request_waits_no_longer_than_the_admission_wait(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    guarded = ListenerRunner(in_flight=1, admission_wait=0.2).guarded
    release = threading.Event()

    def slow(ack: Any) -> None:
        release.wait(5)

    guarded(slow)(ack=Ack())
    late = Ack()
    started = time.monotonic()
    guarded(slow)(ack=late)  # the place is still taken: it goes ahead after 0.2 s
    assert len(late.calls) == 1
    assert 0.15 < late.at[0] - started < 1.0
    release.set()
