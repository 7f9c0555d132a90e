"""Reading what a person submitted in a modal, and putting refusals back on it.

Generic over surfaces: each surface module (builder, checkin, review, ...)
reads its own fields by domain name and maps a ValidationError's domain names
to its block ids with these."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from bot.blocks.text import truncate
from bot.domain.errors import DomainError
from bot.domain.keys import read_id
from bot.ids import INPUT

SLACK_ID = re.compile(r"[A-Z0-9]{1,32}")


OUT_OF_DATE = "This form is out of date: close it, then open it again with `/myplan`."


class Unreadable(DomainError):
    """A submitted view whose state or metadata is not what the modal sent
    (a forged or broken client): refused as out of date, whatever is wrong."""

    def __init__(self, message: str = OUT_OF_DATE) -> None:
        super().__init__(message)


def field_values(view: dict[str, Any]) -> dict[str, Any]:
    """block id -> the submitted value of its input: a string, a list of
    strings, or None. Raises Unreadable on any other shape."""
    values: dict[str, Any] = {}
    for block_id, actions in _dict(_dict(view).get("state")).get("values", {}).items():
        if not isinstance(actions, dict) or not isinstance(block_id, str):
            raise Unreadable()
        element: Any = actions.get(INPUT) or next(iter(actions.values()), {})
        values[block_id] = _value(_dict(element, strict=True))
    return values


def _dict(value: Any, *, strict: bool = False) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if strict or value is not None:
        raise Unreadable()
    return {}


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise Unreadable()


def _option(option: Any) -> str | None:
    return None if option is None else _text(_dict(option, strict=True).get("value"))


def _value(element: dict[str, Any]) -> Any:
    for key in (
        "selected_user",
        "selected_conversation",
        "selected_channel",
        "selected_date",
        "selected_time",
    ):
        if key in element:
            return _text(element[key])
    if "selected_option" in element:
        return _option(element["selected_option"])
    if "selected_users" in element:
        users = element["selected_users"] or []
        if not isinstance(users, list):
            raise Unreadable()
        return [user for user in users if isinstance(user, str)]
    if "selected_options" in element:
        chosen = element["selected_options"] or []
        if not isinstance(chosen, list):
            raise Unreadable()
        return [value for option in chosen if (value := _option(option)) is not None]
    return _text(element.get("value"))


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The modal's private_metadata as the object it was sent as; Unreadable
    if it is not one (null, a number, a list, not JSON)."""
    raw = _dict(view).get("private_metadata")
    try:
        data = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise Unreadable()
    return data


def metadata_id(meta: dict[str, Any], key: str) -> int:
    """An id the metadata names, bounded (NO_ID, which names nothing, if forged)."""
    return read_id(meta.get(key))


def submitted_blocks(view: dict[str, Any]) -> set[str]:
    """The block ids the submission carries a state for."""
    state = view.get("state") if isinstance(view, dict) else None
    values = state.get("values") if isinstance(state, dict) else None
    return set(values) if isinstance(values, dict) else set()


def place_errors(
    errors: Mapping[str, str],
    *,
    block_of: Callable[[str], str | None],
    present: set[str],
    fallback: str,
) -> dict[str, str]:
    """Each message on the block of its field when that block was submitted,
    else on ``fallback``; two messages on one block are joined."""
    placed: dict[str, str] = {}
    for field, message in errors.items():
        block = block_of(field)
        target = block if block is not None and block in present else fallback
        placed[target] = f"{placed[target]} {message}" if target in placed else message
    return placed


def first_input_block(view: Any) -> str | None:
    """The block id of the view's first input, if it has one."""
    blocks = view.get("blocks") if isinstance(view, dict) else None
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("type") == "input":
            block_id = block.get("block_id")
            if isinstance(block_id, str) and block_id:
                return block_id
    return None


def refusal(view: Any, message: str) -> dict[str, Any]:
    """An ack that tells the person ``message`` about the modal they submitted:
    on its first input, or, with none, in a small view in its place."""
    block = first_input_block(view)
    if block is not None:
        return {"response_action": "errors", "errors": {block: truncate(message, 2000)}}
    return {
        "response_action": "update",
        "view": {
            "type": "modal",
            "title": {"type": "plain_text", "text": "myplan"},
            "close": {"type": "plain_text", "text": "Close"},
            "blocks": [
                {"type": "section", "text": {"type": "plain_text", "text": truncate(message, 3000)}}
            ],
        },
    }


def one(values: dict[str, Any], block_id: str) -> str | None:
    """The one string a block was answered with (None if unanswered);
    Unreadable when a single input carries a list."""
    value = values.get(block_id)
    if value is None or isinstance(value, str):
        return value
    raise Unreadable()


def iso_date(raw: Any) -> dt.date:
    """A date a picker or the metadata sent (YYYY-MM-DD); Unreadable otherwise."""
    if isinstance(raw, str) and len(raw) == 10:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass
    raise Unreadable()


def slack_id(raw: Any) -> str | None:
    """A Slack id (U..., C...) a picker or the metadata sent, None if none;
    Unreadable if it cannot be one (or is too long for its column)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str) and SLACK_ID.fullmatch(raw):
        return raw
    raise Unreadable()
