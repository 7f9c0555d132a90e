"""Slack-facing code: one module per surface, each with register(on).

Listeners parse the payload (with bot/blocks' readers), call one use case
(bot/usecases/), render what it returns (bot/blocks/) and reply. They know
nothing of SQL; the app's runner wraps each one as it is registered.
"""

from __future__ import annotations

from bot.listeners import (
    checkins,
    commands,
    conversation,
    events,
    history,
    own,
    plans,
    reviews,
    shortcuts,
    team,
    workspace,
)
from bot.listeners.running import Registrar


def register(on: Registrar) -> None:
    for surface in (
        commands,
        plans,
        conversation,
        checkins,
        own,
        reviews,
        workspace,
        events,
        shortcuts,
        history,
        team,
    ):
        surface.register(on)
