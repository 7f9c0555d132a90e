"""Prose for messages: Jinja templates with a Slack mrkdwn escape filter.

Slack's mrkdwn needs only ``&``, ``<`` and ``>`` escaped; with them escaped,
``<!channel>`` or ``<@U123>`` typed into a plan is shown, never a ping.
Jinja's HTML autoescape would be wrong here (it escapes quotes), so it is off
and every template escapes user text with ``| mrkdwn``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


def escape_mrkdwn(text: object) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bot", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["mrkdwn"] = escape_mrkdwn
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context).strip()


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def progress_bar(fraction: float, width: int = 10) -> str:
    filled = max(0, min(width, round(fraction * width)))
    return "\u2588" * filled + "\u2591" * (width - filled)
