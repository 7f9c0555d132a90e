"""A full process sheds what can wait, and never spends a modal's trigger late."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.listeners.admission import BUSY, TRIGGER_LATE, Kind, arriving
from bot.listeners.running import ListenerRunner
from tests.unit.test_running import MODAL, Ack


class Told:
    """A response_url: what the person was told where they acted."""

    response_url = "https://hooks.example/1"

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.event = threading.Event()

    def __call__(self, **fields: Any) -> None:
        self.texts.append(fields["text"])
        self.event.set()


@pytest.fixture
def full() -> Iterator[ListenerRunner]:
    """A runner with its one place taken until the test ends."""
    runner = ListenerRunner(in_flight=1, admission_wait=0.05)
    release = threading.Event()
    runner.guarded(lambda ack: release.wait(5), kind=Kind.COMMAND)(ack=Ack())
    yield runner
    release.set()
    assert runner.wait_idle(5)


def never(**_: Any) -> None:
    raise AssertionError("a shed request's listener ran")


def test_a_click_past_the_bound_is_acked_and_told_busy(full: ListenerRunner) -> None:
    ack, told = Ack(), Told()
    full.guarded(never, kind=Kind.ACTION)(ack=ack, respond=told)
    assert ack.calls == [{}]
    assert told.event.wait(2)
    assert told.texts == [BUSY]


def test_an_event_past_the_bound_is_dropped(full: ListenerRunner) -> None:
    full.guarded(never, kind=Kind.EVENT)()  # App Home opened: its last view stays
    assert full.shed == 1


def test_a_submission_waits_longer_then_is_refused_on_its_first_field(
    full: ListenerRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.listeners.running.SUBMISSION_EXTRA_WAIT_SECONDS", 0.3)
    ack = Ack()
    started = time.monotonic()
    full.guarded(never, acks_itself=True)(ack=ack, view=MODAL)
    assert ack.at[0] - started >= 0.3  # longer than other requests wait
    # The modal stays open with every answer in it: submitting again is enough.
    assert ack.calls == [{"response_action": "errors", "errors": {"aspiration": BUSY}}]


def test_a_submission_that_finds_a_place_while_waiting_is_saved() -> None:
    runner = ListenerRunner(in_flight=1, admission_wait=0.05)
    release = threading.Event()
    runner.guarded(lambda ack: release.wait(5), kind=Kind.COMMAND)(ack=Ack())
    threading.Timer(0.2, release.set).start()
    ack = Ack()
    runner.guarded(lambda ack, view: ack(), acks_itself=True)(ack=ack, view=MODAL)
    assert ack.calls == [{}]
    assert runner.shed == 0


class Unreachable(WebClient):
    def __init__(self) -> None:
        super().__init__(token="xoxb-test", base_url="http://127.0.0.1:9/")
        self.sent: list[str] = []

    def api_call(self, api_method: str, *args: Any, **kwargs: Any) -> Any:
        self.sent.append(api_method)
        return {"ok": True}


def open_view(client: WebClient, **_: Any) -> None:
    client.views_open(trigger_id="1.2.3", view={"type": "modal"})


def test_a_modal_is_opened_while_its_trigger_is_fresh() -> None:
    runner, client, told = ListenerRunner(), Unreachable(), Told()
    with arriving() as after:
        runner.guarded(open_view, kind=Kind.ACTION)(client=client, respond=told)
    for start in after:  # as the edge does, once the ack is sent
        start()
    assert runner.wait_idle(2)
    assert client.sent == ["views.open"]
    assert told.texts == []


def test_a_trigger_too_old_is_not_spent_and_the_person_is_told() -> None:
    runner, client, told = ListenerRunner(), Unreachable(), Told()
    with arriving(at=time.monotonic() - 2.8) as after:  # the request waited 2.8 s to be served
        runner.guarded(open_view, kind=Kind.COMMAND)(ack=Ack(), client=client, respond=told)
    for start in after:
        start()
    assert told.event.wait(2)
    assert client.sent == []  # Slack would have answered expired_trigger_id
    assert told.texts == [TRIGGER_LATE]
