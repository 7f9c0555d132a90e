"""Slack-facing code: one module per surface, each with register(app)."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners import actions, checkins, commands, events, reviews, shortcuts, views


def register(app: App) -> None:
    for surface in (commands, views, actions, events, shortcuts, checkins, reviews):
        surface.register(app)
