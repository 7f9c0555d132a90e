"""A plan's conversation as its viewer may see it: plain values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class CommentView:
    id: int
    author_id: int
    author_name: str
    text: str
    revision: int
    created_at: dt.datetime
    reply_to_id: int | None
    is_suggestion: bool
    changes: tuple[str, ...] = ()  # what a suggested edit changes
    applied_revision: int | None = None


@dataclass(frozen=True, kw_only=True)
class FeedbackView:
    text: str
    message_link: str | None


@dataclass(frozen=True, kw_only=True)
class Conversation:
    """What the viewer may see of a plan's conversation, oldest first."""

    comments: tuple[CommentView, ...] = ()
    feedback: tuple[FeedbackView, ...] = ()
    total_comments: int = 0  # all the viewer may see, of which the latest are in ``comments``
