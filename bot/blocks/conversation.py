"""The comment / suggest-an-edit modal and the save-a-message modal."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from bot.blocks import builder
from bot.blocks.forms import Unreadable, field_values, metadata, metadata_id, one, slack_id
from bot.blocks.primitives import (
    Blocks,
    button,
    context,
    mrkdwn_section,
    option,
    plain,
    text_input,
)
from bot.blocks.text import escape_mrkdwn, truncate
from bot.domain import fields
from bot.domain.content import ManagerSide
from bot.domain.conversation import CommentView
from bot.domain.errors import DomainError, ValidationError
from bot.domain.plans import is_editable
from bot.ids import INPUT, Action, Block, Callback
from bot.services.plans import ManagerSideInput
from bot.services.read_model import PlanCard, PlanView

LINK_MAX = 500  # the column that keeps a message's permalink
COMMENT_SHOWN_MAX = 2900  # a section's text holds 3000


def comment_modal(
    *, plan_id: int, owner_name: str, reply_to: CommentView | None = None
) -> dict[str, Any]:
    """A comment on a plan, or (``reply_to``) an answer to one of its comments."""
    blocks: Blocks = []
    if reply_to is not None:
        blocks.append(
            context(
                truncate(
                    f"*{escape_mrkdwn(reply_to.author_name)}* wrote: "
                    f"{escape_mrkdwn(reply_to.text)}",
                    COMMENT_SHOWN_MAX,
                )
            )
        )
    label = (
        f"Your answer to {truncate(reply_to.author_name, 60)}"
        if reply_to is not None
        else f"Your comment on {truncate(owner_name, 60)}'s plan"
    )
    blocks.append(text_input(Block.COMMENT.value, label, multiline=True))
    return {
        "type": "modal",
        "callback_id": Callback.COMMENT.value,
        "private_metadata": json.dumps(
            {"plan_id": plan_id, "reply_to": reply_to.id if reply_to else None}
        ),
        "title": plain("Answer" if reply_to is not None else "Comment"),
        "submit": plain("Send"),
        "blocks": blocks,
    }


@dataclass(frozen=True, kw_only=True)
class CommentSubmission:
    plan_id: int
    text: str
    reply_to: int | None


def read_comment(view: dict[str, Any]) -> CommentSubmission:
    """Raises Unreadable on forged metadata or state."""
    meta = metadata(view)
    reply_to = meta.get("reply_to")
    return CommentSubmission(
        plan_id=metadata_id(meta, "plan_id"),
        text=one(field_values(view), Block.COMMENT.value) or "",
        reply_to=None if reply_to is None else metadata_id(meta, "reply_to"),
    )


def comment_errors(error: DomainError | ValueError) -> dict[str, str]:
    message = (
        error.errors.get(fields.COMMENT, str(error))
        if isinstance(error, ValidationError)
        else str(error)
    )
    return {Block.COMMENT.value: message}


def suggestion_modal(plan: PlanView, *, owner_name: str) -> dict[str, Any]:
    """Suggest an edit: the builder on the plan as it is, for the suggester to
    change; the owner applies it in one click. The manager's side is not in it:
    the manager changes that with *Edit my side*."""
    view = builder.plan_builder_modal(
        plan_id=plan.id,
        quarter_label=plan.quarter.label,
        plan=builder.plan_input_of(plan.content),
        slots=builder.builder_slots(len(plan.commitments)),
        manager_side=False,
    )
    view["blocks"] = [
        context(
            truncate(
                f"Change {escape_mrkdwn(owner_name)}'s plan as you suggest it: they see what "
                "it changes and apply it in one click.",
                COMMENT_SHOWN_MAX,
            )
        ),
        *[
            block
            for block in view["blocks"]
            # no "Add a commitment" (it would open the owner's builder), no side
            if block.get("type") != "actions" and block.get("type") != "context"
        ],
        text_input(
            Block.COMMENT.value, "A note with your suggestion", multiline=True, optional=True
        ),
    ]
    view["callback_id"] = Callback.SUGGESTION.value
    view["title"] = plain("Suggest an edit")
    view["submit"] = plain("Send")
    return view


def read_suggestion(view: dict[str, Any]) -> tuple[builder.BuilderSubmission, str]:
    """The suggested plan as typed, and its note. Raises Unreadable when forged."""
    typed = builder.read_submission(view)
    return typed, one(field_values(view), Block.COMMENT.value) or ""


def suggestion_errors(error: DomainError, *, view: dict[str, Any]) -> dict[str, str]:
    if isinstance(error, ValidationError):
        errors = dict(error.errors)
        note = errors.pop(fields.COMMENT, None)
        placed = builder.errors_for(ValidationError(errors), view=view) if errors else {}
        if note:
            placed[Block.COMMENT.value] = note
        return placed
    return builder.refusal(str(error))


def manager_side_modal(*, plan_id: int, owner_name: str, side: ManagerSide) -> dict[str, Any]:
    """The manager's side of a report's plan, written by the manager."""
    return {
        "type": "modal",
        "callback_id": Callback.MANAGER_SIDE.value,
        "private_metadata": json.dumps({"plan_id": plan_id}),
        "title": plain("Your side of the plan"),
        "submit": plain("Save"),
        "close": plain("Cancel"),
        "blocks": [
            context(
                truncate(
                    f"What you commit to for {escape_mrkdwn(owner_name)} this quarter: it is "
                    "part of the plan, measured in the check-ins, and they acknowledge it.",
                    COMMENT_SHOWN_MAX,
                )
            ),
            text_input(
                fields.ONE_ON_ONE_CADENCE,
                "A 1:1 every N weeks",
                initial=str(side.one_on_one_cadence_weeks or "") or None,
                optional=True,
                max_length=2,
                placeholder="1",
            ),
            text_input(
                fields.COACHING_FOCUS,
                "Coaching focus",
                initial=side.coaching_focus,
                optional=True,
                multiline=True,
            ),
            text_input(
                fields.OTHER_SUPPORT,
                "Other support",
                initial=side.other_support,
                optional=True,
                multiline=True,
            ),
        ],
    }


def read_manager_side(view: dict[str, Any]) -> tuple[int, ManagerSideInput]:
    meta = metadata(view)
    values = field_values(view)
    return metadata_id(meta, "plan_id"), ManagerSideInput(
        one_on_one_cadence=one(values, fields.ONE_ON_ONE_CADENCE),
        coaching_focus=one(values, fields.COACHING_FOCUS) or "",
        other_support=one(values, fields.OTHER_SUPPORT) or "",
    )


_SIDE_BLOCKS = (fields.ONE_ON_ONE_CADENCE, fields.COACHING_FOCUS, fields.OTHER_SUPPORT)


def manager_side_errors(error: DomainError | ValueError) -> dict[str, str]:
    if isinstance(error, ValidationError):
        placed = {f: msg for f, msg in error.errors.items() if f in _SIDE_BLOCKS}
        if placed:
            return placed
    return {fields.ONE_ON_ONE_CADENCE: str(error)}


def conversation_blocks(card: PlanCard) -> Blocks:
    """What the reader may see of the plan's conversation: the feedback the
    owner saved, then the latest comments and suggested edits, each with the
    owner's Answer (and Apply) button."""
    plan, talk = card.plan, card.conversation
    blocks: Blocks = []
    if talk.feedback:
        lines = " · ".join(escape_mrkdwn(truncate(f.text, 300)) for f in talk.feedback)
        blocks.append(context(truncate(f":speech_balloon: Feedback saved: {lines}", 2900)))
    if not talk.comments:
        return blocks
    earlier = talk.total_comments - len(talk.comments)
    heading = "*Conversation*" + (f" · {earlier} earlier not shown" if earlier > 0 else "")
    blocks.append(context(heading))
    for comment in talk.comments:
        blocks.append(_comment_block(comment, plan=plan))
    return blocks


def _comment_block(comment: CommentView, *, plan: PlanView) -> dict[str, Any]:
    author = escape_mrkdwn(comment.author_name)
    when = f"{comment.created_at:%b %-d}, on revision {comment.revision}"
    if comment.is_suggestion:
        status = (
            f" · applied as revision {comment.applied_revision}"
            if comment.applied_revision is not None
            else ""
        )
        changes = "\n".join(f"• {escape_mrkdwn(line)}" for line in comment.changes)
        note = f"\n>{escape_mrkdwn(comment.text)}" if comment.text else ""
        text = f"*{author}* suggests an edit ({when}){status}:{note}\n{changes}"
    else:
        verb = "answered" if comment.reply_to_id is not None else "wrote"
        text = f"*{author}* {verb} ({when}):\n>{escape_mrkdwn(comment.text)}"
    block = mrkdwn_section(truncate(text, COMMENT_SHOWN_MAX))
    if plan.access.edit and comment.author_id != plan.owner_id:
        applicable = (
            comment.is_suggestion
            and comment.applied_revision is None
            and comment.revision == plan.revision
            and is_editable(plan.state)
        )
        block["accessory"] = (
            button("Apply", action=Action.APPLY_SUGGESTION, value=str(comment.id))
            if applicable
            else button("Answer", action=Action.ANSWER, value=answer_value(plan, comment))
        )
    return block


def answer_value(plan: PlanView, comment: CommentView) -> str:
    return json.dumps({"plan": plan.id, "comment": comment.id})


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


def manager_copy_blocks(text: str, *, plan_id: int, monday: dt.date) -> Blocks:
    """The manager's copy of a check-in, with the manager's own answer to
    "did the 1:1 happen?": the count on the plan comes from both answers."""

    def value(met: bool) -> str:
        return json.dumps({"plan": plan_id, "week": monday.isoformat(), "met": met})

    return [
        mrkdwn_section(truncate(text, COMMENT_SHOWN_MAX)),
        {
            "type": "actions",
            "elements": [
                button("We had our 1:1", action=Action.MANAGER_ONE_ON_ONE, value=value(True)),
                button("No 1:1 this week", action=Action.MANAGER_ONE_ON_ONE, value=value(False)),
            ],
        },
    ]
