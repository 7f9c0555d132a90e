"""What Slack may post to /slack/events, as types: anything else is malformed.

The request edge (bot/edge.py) checks every signed body against these before
Bolt sees it, so no listener meets a click without an action, a view without
a type or a command without a trigger. Only the fields the app reads are
required; Slack's others pass through untouched (``extra="allow"``). Types
are strict: a number where Slack sends a string is refused, never coerced.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from bot.ids import DIGEST_BLOCK

# Slack's ids (T..., U..., C..., V...): upper-case letters and digits, and no
# longer than the columns that keep them (String(32)).
SlackId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{1,32}$")]
Token = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class _Shape(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class Team(_Shape):
    id: SlackId


class User(_Shape):
    id: SlackId


class Action(_Shape):
    action_id: Token
    type: Token
    value: str | None = None


class Values(_Shape):
    # block id -> action id -> the element's state (its own shape per element).
    values: dict[str, dict[str, dict[str, Any]]]


class View(_Shape):
    id: Token
    type: Literal["modal", "home"]
    callback_id: str = ""
    private_metadata: Any = ""  # a string from Slack; the readers refuse anything else
    hash: str = ""
    state: Values = Values(values={})


class _Interaction(_Shape):
    team: Team
    user: User


class BlockActions(_Interaction):
    type: Literal["block_actions"]
    trigger_id: Token
    actions: Annotated[list[Action], Field(min_length=1)]
    view: View | None = None


class ViewSubmission(_Interaction):
    type: Literal["view_submission"]
    view: View


class ViewClosed(_Interaction):
    type: Literal["view_closed"]
    view: View


class Message(_Shape):
    ts: Token
    text: str = ""
    user: SlackId | None = None


class Channel(_Shape):
    id: SlackId


class MessageShortcut(_Interaction):
    type: Literal["message_action"]
    callback_id: Token
    trigger_id: Token
    channel: Channel
    message: Message


class GlobalShortcut(_Interaction):
    type: Literal["shortcut"]
    callback_id: Token
    trigger_id: Token


Interaction = Annotated[
    BlockActions | ViewSubmission | ViewClosed | MessageShortcut | GlobalShortcut,
    Field(discriminator="type"),
]


class Command(_Shape):
    """A slash command, form-encoded: every field is a string."""

    command: Annotated[str, StringConstraints(pattern=r"^/\w{1,32}$")]
    team_id: SlackId
    user_id: SlackId
    channel_id: SlackId
    trigger_id: Token
    response_url: Annotated[str, StringConstraints(pattern=r"^https?://\S{1,2000}$")]
    text: Annotated[str, StringConstraints(max_length=4000)] = ""


class SslCheck(_Shape):
    ssl_check: Literal["1"]


class Event(_Shape):
    type: Token
    # Most events name the user by id; user_change carries the whole user object.
    user: SlackId | dict[str, Any] | None = None
    # member_left_channel's and app_home_opened's channel: an id, bounded before any query.
    channel: SlackId | None = None
    tab: str | None = None


class EventCallback(_Shape):
    type: Literal["event_callback"]
    team_id: SlackId
    event: Event


class UrlVerification(_Shape):
    type: Literal["url_verification"]
    challenge: Token


Envelope = Annotated[EventCallback | UrlVerification, Field(discriminator="type")]

INTERACTION: TypeAdapter[Any] = TypeAdapter(Interaction)
ENVELOPE: TypeAdapter[Any] = TypeAdapter(Envelope)


def button_value(body: dict[str, Any]) -> dict[str, Any]:
    """A clicked button's value: a JSON object, or a bare id read as ``plan``;
    empty when forged. Only a hint: every use is checked against the database."""
    value = body["actions"][0].get("value") or ""
    try:
        data = json.loads(value) if value.startswith("{") else {"plan": value}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def in_digest(body: dict[str, Any]) -> bool:
    """Whether the clicked button was in a manager's digest (its block id says so)."""
    block_id = body["actions"][0].get("block_id")
    return isinstance(block_id, str) and block_id.startswith(DIGEST_BLOCK)
