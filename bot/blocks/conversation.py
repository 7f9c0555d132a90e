"""The comment / suggest-an-edit modal and the save-a-message modal."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.blocks.forms import Unreadable, field_values, metadata, metadata_id, one, slack_id
from bot.blocks.primitives import option, plain, text_input
from bot.blocks.text import truncate
from bot.domain import fields
from bot.domain.errors import DomainError, ValidationError
from bot.ids import INPUT, Block, Callback

LINK_MAX = 500  # the column that keeps a message's permalink


def comment_modal(*, plan_id: int, suggestion: bool, owner_name: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": Callback.COMMENT.value,
        "private_metadata": json.dumps({"plan_id": plan_id, "suggestion": suggestion}),
        "title": plain("Suggest an edit" if suggestion else "Comment"),
        "submit": plain("Send"),
        "blocks": [
            text_input(
                Block.COMMENT.value,
                f"Your {'suggestion' if suggestion else 'comment'} for {truncate(owner_name, 60)}",
                multiline=True,
            ),
        ],
    }


@dataclass(frozen=True, kw_only=True)
class CommentSubmission:
    plan_id: int
    text: str
    suggestion: bool


def read_comment(view: dict[str, Any]) -> CommentSubmission:
    """Raises Unreadable on forged metadata or state."""
    meta = metadata(view)
    return CommentSubmission(
        plan_id=metadata_id(meta, "plan_id"),
        text=one(field_values(view), Block.COMMENT.value) or "",
        suggestion=meta.get("suggestion") is True,
    )


def comment_errors(error: DomainError | ValueError) -> dict[str, str]:
    message = (
        error.errors.get(fields.COMMENT, str(error))
        if isinstance(error, ValidationError)
        else str(error)
    )
    return {Block.COMMENT.value: message}


def save_message_modal(*, text: str, link: str | None, author: str | None) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": Callback.SAVE_MESSAGE.value,
        "private_metadata": json.dumps({"link": link, "author": author}),
        "title": plain("Save to my plan"),
        "submit": plain("Save"),
        "blocks": [
            {
                "type": "input",
                "block_id": Block.SAVE_AS.value,
                "label": plain("Save it as"),
                "element": {
                    "type": "radio_buttons",
                    "action_id": INPUT,
                    "options": [option("win", "A win"), option("feedback", "Feedback to act on")],
                    "initial_option": option("win", "A win"),
                },
            },
            text_input(Block.TEXT.value, "Text", initial=text, multiline=True),
        ],
    }


@dataclass(frozen=True, kw_only=True)
class SavedMessage:
    text: str
    as_feedback: bool  # else as a win
    link: str | None  # the message's permalink
    author: str | None  # the Slack user id who wrote it


def read_saved_message(view: dict[str, Any]) -> SavedMessage:
    """Raises Unreadable on forged metadata or state."""
    meta = metadata(view)
    values = field_values(view)
    link = meta.get("link")
    if link is not None and not (
        isinstance(link, str) and link.startswith("https://") and len(link) <= LINK_MAX
    ):
        raise Unreadable()
    return SavedMessage(
        text=one(values, Block.TEXT.value) or "",
        as_feedback=one(values, Block.SAVE_AS.value) == "feedback",
        link=link,
        author=slack_id(meta.get("author")),
    )


def saved_message_errors(error: DomainError) -> dict[str, str]:
    return {Block.TEXT.value: str(error)}
