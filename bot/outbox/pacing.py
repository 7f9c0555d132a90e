"""Send at Slack's pace instead of bouncing off its 429s.

chat.postMessage allows about one message a second per channel and a
workspace-wide rate. A 429 costs a whole second of Retry-After (slack_sdk
sleeps for it), so a fan-out that relies on 429s runs far slower than the
limits allow; pacing each post to the limits keeps it at their bound, and the
retry handler stays for what pacing cannot foresee.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

DEFAULT_POSTS_PER_MINUTE = 600.0
DEFAULT_CHANNEL_POSTS_PER_SECOND = 1.0


class Pacer:
    def __init__(
        self,
        *,
        posts_per_minute: float = DEFAULT_POSTS_PER_MINUTE,
        channel_posts_per_second: float = DEFAULT_CHANNEL_POSTS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 60.0 / posts_per_minute
        self._channel_interval = 1.0 / channel_posts_per_second
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot = 0.0  # the workspace's next free sending instant
        self._channel_next: dict[str, float] = {}

    def wait(self, channel: str) -> float:
        """Block until a post to ``channel`` fits both limits; returns the wait."""
        with self._lock:
            now = self._clock()
            at = max(now, self._next_slot, self._channel_next.get(channel, 0.0))
            self._next_slot = at + self._interval
            self._channel_next[channel] = at + self._channel_interval
        delay = at - now
        if delay > 0:
            self._sleep(delay)
        return delay


class Pacers:
    """One pacer per workspace, kept across ticks: Slack's limits span them."""

    def __init__(
        self,
        *,
        posts_per_minute: float = DEFAULT_POSTS_PER_MINUTE,
        channel_posts_per_second: float = DEFAULT_CHANNEL_POSTS_PER_SECOND,
    ) -> None:
        self._posts_per_minute = posts_per_minute
        self._channel_posts_per_second = channel_posts_per_second
        self._pacers: dict[str, Pacer] = {}
        self._lock = threading.Lock()

    def __call__(self, slack_team_id: str) -> Pacer:
        with self._lock:
            if slack_team_id not in self._pacers:
                self._pacers[slack_team_id] = Pacer(
                    posts_per_minute=self._posts_per_minute,
                    channel_posts_per_second=self._channel_posts_per_second,
                )
            return self._pacers[slack_team_id]
