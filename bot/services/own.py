"""What a person wrote, theirs to edit or delete: the wins on their plans,
their comments on any plan, their check-ins. Each is looked up from the
database and refused to anyone else, whatever id a payload carries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain.errors import NotFound
from bot.domain.quarters import Quarter
from bot.domain.text import required_text
from bot.outbox.keys import leaders_reply_key, manager_copy_key

LISTED = 15  # per list: two blocks each, within a message's 50


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One thing the person wrote, as their list shows it."""

    id: int
    text: str
    when: dt.date
    where: str  # "Q4 FY2026", or "Q4 FY2026 · Lee Chen's plan"


@dataclass(frozen=True, kw_only=True)
class CommentChange:
    """A comment changed or deleted, and whose DM told of it (to follow)."""

    plan_id: int
    owner_slack_user_id: str
    before: str
    after: str | None  # None: deleted


@dataclass(frozen=True, kw_only=True)
class CheckinRemoved:
    plan_id: int
    monday: dt.date
    posts: tuple[tuple[str, str], ...]  # its thread reply, leaders' reply, manager's copies


def _quarter(plan: m.Plan) -> str:
    return Quarter(plan.fiscal_year, plan.quarter).label


class OwnService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def wins(self, *, member_id: int) -> list[Entry]:
        rows = self._session.execute(
            select(m.Win, m.Plan)
            .join(m.Plan, m.Plan.id == m.Win.plan_id)
            .where(m.Plan.owner_id == member_id)
            .order_by(m.Win.happened_on.desc(), m.Win.id.desc())
            .limit(LISTED)
        )
        return [
            Entry(id=win.id, text=win.text, when=win.happened_on, where=_quarter(plan))
            for win, plan in rows
        ]

    def _win(self, *, actor_id: int, win_id: int) -> m.Win:
        win = self._session.get(m.Win, win_id)
        if win is None or self._session.get_one(m.Plan, win.plan_id).owner_id != actor_id:
            raise NotFound("That win is not on your plan (or was deleted).")
        return win

    def win_text(self, *, actor_id: int, win_id: int) -> str:
        return self._win(actor_id=actor_id, win_id=win_id).text

    def comment_text(self, *, actor_id: int, comment_id: int) -> str:
        return self._comment(actor_id=actor_id, comment_id=comment_id).text

    def _comment(self, *, actor_id: int, comment_id: int) -> m.PlanComment:
        comment = self._session.get(m.PlanComment, comment_id)
        if comment is None or comment.author_id != actor_id:
            raise NotFound("That comment is not yours (or was deleted).")
        return comment

    def edit_win(self, *, actor_id: int, win_id: int, text: str) -> int:
        """The win's new text; returns its plan's id."""
        win = self._win(actor_id=actor_id, win_id=win_id)
        win.text = required_text(text, field="win", what="a win", missing="Say what the win was.")
        self._session.flush()
        return win.plan_id

    def delete_win(self, *, actor_id: int, win_id: int) -> int:
        win = self._win(actor_id=actor_id, win_id=win_id)
        self._session.delete(win)
        self._session.flush()
        return win.plan_id

    def comments(self, *, member_id: int) -> list[Entry]:
        rows = self._session.execute(
            select(m.PlanComment, m.Plan, m.Member)
            .join(m.Plan, m.Plan.id == m.PlanComment.plan_id)
            .join(m.Member, m.Member.id == m.Plan.owner_id)
            .where(m.PlanComment.author_id == member_id)
            .order_by(m.PlanComment.created_at.desc(), m.PlanComment.id.desc())
            .limit(LISTED)
        )
        return [
            Entry(
                id=comment.id,
                text=comment.text,
                when=comment.created_at.date(),
                where=_quarter(plan)
                if owner.id == member_id
                else f"{_quarter(plan)} · {owner.display_name or owner.slack_user_id}'s plan",
            )
            for comment, plan, owner in rows
        ]

    def change_comment(self, *, actor_id: int, comment_id: int, text: str | None) -> CommentChange:
        """Edit (``text``) or delete (None) the actor's own comment."""
        session = self._session
        comment = self._comment(actor_id=actor_id, comment_id=comment_id)
        owner = session.get_one(m.Plan, comment.plan_id).owner
        change = CommentChange(
            plan_id=comment.plan_id,
            owner_slack_user_id=owner.slack_user_id,
            before=comment.text,
            after=None
            if text is None
            else required_text(
                text, field="comment", what="a comment", missing="Write the comment first."
            ),
        )
        if change.after is None:
            session.delete(comment)
        else:
            comment.text = change.after
        session.flush()
        return change

    def checkins(self, *, member_id: int) -> list[Entry]:
        rows = self._session.execute(
            select(m.CheckIn, m.Plan)
            .join(m.Plan, m.Plan.id == m.CheckIn.plan_id)
            .where(m.Plan.owner_id == member_id)
            .order_by(m.CheckIn.week_start.desc())
            .limit(LISTED)
        )
        return [
            Entry(
                id=checkin.plan_id,
                text=_checkin_line(checkin),
                when=checkin.week_start,
                where=_quarter(plan),
            )
            for checkin, plan in rows
        ]

    def delete_checkin(self, *, actor_id: int, plan_id: int, monday: dt.date) -> CheckinRemoved:
        """Delete the actor's check-in of the week of ``monday``, and the records
        of where it was posted; returns those posts, to delete in Slack."""
        session = self._session
        plan = session.get(m.Plan, plan_id)
        checkin = session.scalar(
            select(m.CheckIn).where(m.CheckIn.plan_id == plan_id, m.CheckIn.week_start == monday)
        )
        if plan is None or plan.owner_id != actor_id or checkin is None:
            raise NotFound("That check-in is not yours (or was deleted).")
        posts = [(checkin.reply_channel_id, checkin.reply_ts)]
        # Its manager's copies, to whichever manager had it: one key per manager.
        copies = manager_copy_key(plan_id, monday, manager_id=0).removesuffix("0")
        deliveries = session.scalars(
            select(m.Delivery).where(
                m.Delivery.workspace_id == plan.owner.workspace_id,
                (m.Delivery.key == leaders_reply_key(actor_id, monday))
                | m.Delivery.key.startswith(copies, autoescape=True),
            )
        ).all()
        for delivery in deliveries:
            posts.append((delivery.channel_id, delivery.ts))
            session.delete(delivery)  # a new check-in that week is posted afresh
        session.delete(checkin)  # and its values with it
        session.flush()
        return CheckinRemoved(
            plan_id=plan_id,
            monday=monday,
            posts=tuple((channel, ts) for channel, ts in posts if channel and ts),
        )


def _checkin_line(checkin: m.CheckIn) -> str:
    if checkin.skipped:
        return f"skipped: {checkin.skip_reason}" if checkin.skip_reason else "skipped"
    parts = [f"confidence {checkin.confidence}/5" if checkin.confidence else "checked in"]
    parts += [f"win: {checkin.win}"] if checkin.win else []
    parts += [f"blocker: {checkin.blocker}"] if checkin.blocker else []
    return " · ".join(parts)
