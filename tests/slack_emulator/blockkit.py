"""Block Kit checks: what Slack refuses, found before Slack would refuse it.

Round-trips every view and block through ``slack_sdk.models`` (which enforce
most documented limits and drop what they do not know), then adds the limits
slack_sdk does not check. Each violation names the path of the field.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

MESSAGE_BLOCKS_MAX = 50
VIEW_BLOCKS_MAX = 100
VIEW_BYTES_MAX = 250_000
TEXT_INPUT_MAX = 3000
MESSAGE_TEXT_MAX = 40_000


def first_difference(expected: Any, actual: Any, path: str) -> str | None:
    """The path of the first place where two JSON values differ."""
    if isinstance(expected, Mapping) and isinstance(actual, Mapping):
        for key in expected:
            if key not in actual:
                return f"{path}.{key} (dropped by slack_sdk: unknown or invalid)"
            found = first_difference(expected[key], actual[key], f"{path}.{key}")
            if found:
                return found
        for key in actual:
            if key not in expected:
                return f"{path}.{key} (added by slack_sdk)"
        return None
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return f"{path} (length {len(expected)} became {len(actual)})"
        for index, (a, b) in enumerate(zip(expected, actual, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if expected == actual else f"{path} ({expected!r} became {actual!r})"


def _walk(value: Any, path: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(value, Mapping):
        yield path, value
        for key, child in value.items():
            yield from _walk(child, f"{path}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _walk(child, f"{path}[{index}]")


def _extra_checks(blocks: Sequence[Any], path: str) -> list[str]:
    problems = []
    for where, node in _walk(list(blocks), path):
        if node.get("type") == "plain_text_input" and "max_length" in node:
            limit = node["max_length"]
            if not isinstance(limit, int) or not 1 <= limit <= TEXT_INPUT_MAX:
                problems.append(f"{where}.max_length: must be 1-{TEXT_INPUT_MAX}, got {limit!r}")
        if node.get("type") == "plain_text_input" and isinstance(node.get("initial_value"), str):
            limit = node.get("max_length", TEXT_INPUT_MAX)
            if isinstance(limit, int) and len(node["initial_value"]) > limit:
                problems.append(f"{where}.initial_value: longer than max_length {limit}")
    return problems


def check_blocks(
    blocks: Any, path: str = "blocks", *, limit: int = MESSAGE_BLOCKS_MAX
) -> list[str]:
    """Problems with a list of blocks as sent in a message (or a view's blocks)."""
    if not isinstance(blocks, list):
        return [f"{path}: must be a list of blocks, got {type(blocks).__name__}"]
    problems = []
    if len(blocks) > limit:
        problems.append(f"{path}: {len(blocks)} blocks, Slack allows at most {limit}")
    for index, raw in enumerate(blocks):
        where = f"{path}[{index}]"
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: must be an object")
            continue
        try:
            block = Block.parse(dict(raw))
            if block is None:
                problems.append(f"{where}.type: unknown block type {raw.get('type')!r}")
                continue
            rendered = block.to_dict()
        except (SlackObjectFormationError, KeyError, TypeError, ValueError) as error:
            problems.append(f"{where}: {error}")
            continue
        difference = first_difference(dict(raw), rendered, where)
        if difference:
            problems.append(difference)
    problems += _extra_checks(blocks, path)
    return problems


def check_view(view: Any, path: str = "view") -> list[str]:
    """Problems with a modal or home view."""
    key = _cache_key(view)
    return list(_check_view_text(key, path)) if key is not None else _check_view(view, path)


def check_message(args: Mapping[str, Any], path: str = "message") -> list[str]:
    """Problems with a chat.postMessage / chat.update / postEphemeral body."""
    key = _cache_key({"text": args.get("text"), "blocks": args.get("blocks")})
    return list(_check_message_text(key, path)) if key is not None else _check_message(args, path)


# The same layout is checked again and again (every person's builder modal,
# every reply); a check is a pure function of the payload, so it is kept.
# slack_sdk's models take ~9 ms to check a builder modal: uncached, the
# emulator spent more CPU on a request than the bot did.
CHECK_CACHE_SIZE = 4096


def _cache_key(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, sort_keys=True)
    except (TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=CHECK_CACHE_SIZE)
def _check_view_text(text: str, path: str) -> tuple[str, ...]:
    return tuple(_check_view(text, path))


@functools.lru_cache(maxsize=CHECK_CACHE_SIZE)
def _check_message_text(text: str, path: str) -> tuple[str, ...]:
    return tuple(_check_message(json.loads(text), path))


def _check_view(view: Any, path: str) -> list[str]:
    if isinstance(view, str):
        try:
            view = json.loads(view)
        except json.JSONDecodeError as error:
            return [f"{path}: not JSON ({error})"]
    if not isinstance(view, Mapping):
        return [f"{path}: must be an object"]
    problems = []
    size = len(json.dumps(view, separators=(",", ":")).encode())
    if size > VIEW_BYTES_MAX:
        problems.append(f"{path}: {size} bytes, Slack allows at most {VIEW_BYTES_MAX}")
    if view.get("type") not in ("modal", "home"):
        problems.append(f"{path}.type: must be modal or home, got {view.get('type')!r}")
    block_problems = check_blocks(view.get("blocks", []), f"{path}.blocks", limit=VIEW_BLOCKS_MAX)
    try:
        rendered = View(**dict(view)).to_dict()
    except (SlackObjectFormationError, TypeError, KeyError, ValueError) as error:
        # slack_sdk names no path when a block inside the view is bad; the
        # block-by-block check does.
        return [*problems, *(block_problems or [f"{path}: {error}"])]
    difference = first_difference(dict(view), rendered, path)
    if difference:
        problems.append(difference)
    return problems + block_problems


def _check_message(args: Mapping[str, Any], path: str) -> list[str]:
    problems = []
    text = args.get("text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_MAX:
        problems.append(f"{path}.text: {len(text)} characters, Slack allows {MESSAGE_TEXT_MAX}")
    if "blocks" in args and args["blocks"] is not None:
        problems += check_blocks(args["blocks"], f"{path}.blocks")
    return problems
