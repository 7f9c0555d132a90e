from __future__ import annotations

from bot.outbox.pacing import Pacer


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_posts_are_spaced_by_the_workspace_rate_and_the_channel_rate() -> None:
    fake = FakeTime()
    pacer = Pacer(
        posts_per_minute=120, channel_posts_per_second=1, clock=fake.clock, sleep=fake.sleep
    )
    starts = []
    for channel in ["C1", "C2", "C3", "C1"]:
        pacer.wait(channel)
        starts.append(round(fake.now - 100, 3))
    # 2 per second across the workspace; C1's second post waits for its channel's second.
    assert starts == [0.0, 0.5, 1.0, 1.5]
    pacer.wait("C1")
    assert round(fake.now - 100, 3) == 2.5  # one second after C1's previous post


def test_idle_time_is_not_banked_as_a_burst() -> None:
    fake = FakeTime()
    pacer = Pacer(posts_per_minute=60, clock=fake.clock, sleep=fake.sleep)
    pacer.wait("C1")
    fake.now += 10
    assert pacer.wait("C2") == 0
    assert pacer.wait("C3") == 1.0
