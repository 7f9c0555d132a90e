"""One's own wins, comments and check-ins: the lists with Edit and Delete,
and the modal that edits a win's or a comment's text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.blocks.forms import Unreadable, field_values, metadata, metadata_id, one
from bot.blocks.primitives import actions, button, context, mrkdwn_section, plain, text_input
from bot.blocks.text import escape_mrkdwn
from bot.domain.errors import DomainError, ValidationError
from bot.ids import Action, Block, Callback
from bot.services.own import Entry

# What each list is called, and its buttons' actions (Edit, Delete).
LISTS = {
    "wins": ("Your wins", Action.EDIT_WIN, Action.DELETE_WIN),
    "comments": ("Your comments", Action.EDIT_COMMENT, Action.DELETE_COMMENT),
    "checkins": ("Your check-ins", Action.CHECKIN, Action.DELETE_CHECKIN),
}
EMPTY = {
    "wins": "You have logged no wins yet: `/myplan win <what happened>`.",
    "comments": "You have written no comments.",
    "checkins": "You have not checked in yet: `/myplan checkin`.",
}


def _confirm(what: str) -> dict[str, Any]:
    return {
        "title": plain("Delete it?"),
        "text": plain(f"This deletes the {what} for good, and where myplan posted it."),
        "confirm": plain("Delete"),
        "deny": plain("Keep it"),
        "style": "danger",
    }


def entry_value(kind: str, entry: Entry) -> str:
    """What a button carries: the entry's id, or for a check-in its plan and week."""
    return f"{entry.id}:{entry.when.isoformat()}" if kind == "checkins" else str(entry.id)


def entries_blocks(kind: str, entries: list[Entry]) -> list[dict[str, Any]]:
    title, edit, delete = LISTS[kind]
    if not entries:
        return [mrkdwn_section(EMPTY[kind])]
    blocks: list[dict[str, Any]] = [
        mrkdwn_section(f"*{title}*, newest first: edit or delete any of them.")
    ]
    what = kind.removesuffix("s").replace("checkin", "check-in")
    for entry in entries:
        day = f"week of {entry.when:%b %-d}" if kind == "checkins" else f"{entry.when:%b %-d}"
        blocks.append(
            mrkdwn_section(f"*{day}* · {escape_mrkdwn(entry.where)}\n{escape_mrkdwn(entry.text)}")
        )
        value = entry.when.isoformat() if kind == "checkins" else entry_value(kind, entry)
        delete_button = button("Delete", action=delete, value=entry_value(kind, entry))
        delete_button.update(style="danger", confirm=_confirm(what))
        blocks.append(actions(button("Edit", action=edit, value=value), delete_button))
    if kind == "checkins":
        blocks.append(context("Edit opens the week's check-in with your answers as stored."))
    return blocks


def entry_modal(*, kind: str, entry_id: int, text: str) -> dict[str, Any]:
    """Edit the text of one's own win or comment."""
    what = "win" if kind == "win" else "comment"
    return {
        "type": "modal",
        "callback_id": Callback.EDIT_ENTRY.value,
        "private_metadata": json.dumps({"kind": what, "id": entry_id}),
        "title": plain(f"Edit your {what}"),
        "submit": plain("Save"),
        "blocks": [
            text_input(Block.ENTRY_TEXT.value, f"Your {what}", initial=text, multiline=True)
        ],
    }


@dataclass(frozen=True, kw_only=True)
class EntryEdit:
    kind: str  # "win" or "comment"
    id: int
    text: str


def read_entry_edit(view: dict[str, Any]) -> EntryEdit:
    """Raises Unreadable on forged metadata."""
    meta = metadata(view)
    kind = meta.get("kind")
    if kind not in ("win", "comment"):
        raise Unreadable()
    return EntryEdit(
        kind=str(kind),
        id=metadata_id(meta, "id"),
        text=one(field_values(view), Block.ENTRY_TEXT.value) or "",
    )


def entry_errors(error: DomainError | ValueError) -> dict[str, str]:
    if isinstance(error, ValidationError):
        return {Block.ENTRY_TEXT.value: " ".join(error.errors.values())}
    return {Block.ENTRY_TEXT.value: str(error)}


def forgotten_home() -> dict[str, Any]:
    """The App Home of someone just forgotten: nothing of theirs is left to show."""
    return {
        "type": "home",
        "blocks": [
            mrkdwn_section(
                "myplan holds nothing about you now: your plans, check-ins and wins were "
                "erased. `/myplan` starts a new plan."
            )
        ],
    }
