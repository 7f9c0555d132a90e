"""The small pieces every layout is built from: text, sections, buttons, inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from bot.blocks.text import truncate
from bot.domain.text import TEXT_MAX
from bot.ids import INPUT, Action

Blocks = list[dict[str, Any]]
SECTION_MAX = 3000


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def mrkdwn_section(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "type": "section",
        "text": {"type": "mrkdwn", "text": truncate(text, SECTION_MAX)},
        **extra,
    }


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, 2000)}]}


def button(text: str, *, action: Action, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text),
        "action_id": action.value,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def text_input(
    block_id: str,
    label: str,
    *,
    initial: str | None = None,
    multiline: bool = False,
    optional: bool = False,
    placeholder: str | None = None,
    hint: str | None = None,
    max_length: int = TEXT_MAX,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": INPUT,
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain(placeholder)
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": optional,
        "element": element,
    }
    if hint:
        block["hint"] = plain(hint)
    return block


def option(value: str, text: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def select(
    block_id: str,
    label: str,
    *,
    options: Sequence[tuple[str, str]],
    initial: str | None = None,
    optional: bool = False,
) -> dict[str, Any]:
    """A static select of (value, text) options, ``initial`` chosen if it is one."""
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": INPUT,
        "options": [option(value, text) for value, text in options],
    }
    chosen = [(value, text) for value, text in options if value == initial]
    if chosen:
        element["initial_option"] = option(*chosen[0])
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": optional,
        "element": element,
    }


def date_picker(block_id: str, label: str, *, initial: dt.date | None) -> dict[str, Any]:
    """An optional date input."""
    element: dict[str, Any] = {"type": "datepicker", "action_id": INPUT}
    if initial:
        element["initial_date"] = initial.isoformat()
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label),
        "optional": True,
        "element": element,
    }


def conversation_select(initial: str | None) -> dict[str, Any]:
    """A channel picker element (public and private, no bot DMs)."""
    element: dict[str, Any] = {
        "type": "conversations_select",
        "action_id": INPUT,
        "filter": {"include": ["public", "private"], "exclude_bot_users": True},
    }
    if initial:
        element["initial_conversation"] = initial
    return element
