"""The conversation on a plan: comments and answers, suggested edits, saved feedback.

Who sees what of it (read from the database at each read):

- the owner and their manager chain see all of it: every comment and answer,
  every suggested edit, the feedback the owner saved;
- anyone else who may comment (a teammate on a team plan, anyone on a public
  one) sees their own comments and the answers to them, nothing else: a
  conversation between the owner and their manager is not for the workspace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain.content import (
    PlanInput,
    input_as_json,
    input_from_json,
    snapshot,
    validate_plan,
)
from bot.domain.conversation import CommentView, Conversation, FeedbackView
from bot.domain.errors import IllegalTransition, NotFound, PermissionDenied, ValidationError
from bot.domain.keys import is_id
from bot.domain.permissions import require
from bot.domain.plans import is_editable
from bot.domain.revisions import diff
from bot.domain.text import clean_text, required_text
from bot.services.people import load_member, viewer_of
from bot.services.plans import PlanService, SaveResult
from bot.services.read_model import (
    PlanView,
    load_plan,
    plan_by_id,
    plan_content,
    plan_facts,
    plan_quarter,
    plan_view,
)
from bot.services.revisions import lock_plan

SHOWN_COMMENTS = 6  # the latest comments a card shows
SHOWN_FEEDBACK = 5
__all__ = ["CommentView", "Commented", "Conversation", "ConversationService", "FeedbackView"]


@dataclass(frozen=True, kw_only=True)
class Commented:
    plan: PlanView  # as the author sees it
    comment: CommentView
    # Who is told: the owner of a comment on their plan; the author of the
    # comment the owner answers; the manager of an owner's own comment.
    notify_member_id: int | None


class ConversationService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def conversation(self, *, viewer_id: int, plan_id: int) -> Conversation:
        session = self._session
        viewer = load_member(session, viewer_id)
        plan = plan_by_id(session, plan_id)  # a card's plan: read already, parts not needed
        require(viewer_of(viewer), plan_facts(session, plan, viewer=viewer), to="view")
        return _conversation(session, plan, viewer=viewer)

    def visible_comment(self, *, viewer_id: int, plan_id: int, comment_id: int) -> CommentView:
        """One comment of the plan, if ``viewer_id`` may read it (to answer it)."""
        session = self._session
        viewer = load_member(session, viewer_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(viewer), plan_facts(session, plan, viewer=viewer), to="comment")
        row = self._visible_comment(comment_id, plan=plan, viewer=viewer)
        return _view(row, author_name=_name(load_member(session, row.author_id)))

    def comment(
        self,
        *,
        actor_id: int,
        plan_id: int,
        text: str,
        now: dt.datetime,
        reply_to: int | None = None,
    ) -> Commented:
        """A comment on a plan, or an answer to one of its comments."""
        clean = required_text(
            text, field="comment", what="a comment", missing="Write the comment first."
        )
        session = self._session
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="comment")
        parent = None
        if reply_to is not None:
            parent = self._visible_comment(reply_to, plan=plan, viewer=actor)
        row = m.PlanComment(
            plan_id=plan.id,
            author_id=actor.id,
            revision=plan.revision,
            text=clean,
            is_suggestion=False,
            reply_to_id=parent.id if parent else None,
            created_at=now,
        )
        session.add(row)
        session.flush()
        if actor.id != plan.owner_id:
            notify: int | None = plan.owner_id
        elif parent is not None and parent.author_id != actor.id:
            notify = parent.author_id
        else:
            notify = plan.owner.manager_id
        return Commented(
            plan=plan_view(session, plan, viewer=actor),
            comment=_view(row, author_name=_name(actor)),
            notify_member_id=notify,
        )

    def suggest(
        self, *, actor_id: int, plan_id: int, plan_input: PlanInput, note: str, now: dt.datetime
    ) -> Commented:
        """A suggested edit: the plan as the suggester would have it, checked
        as the owner's own edit would be, kept for the owner to apply."""
        session = self._session
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="suggest")
        if not is_editable(plan.state):
            raise IllegalTransition(
                f"This plan is {plan.state.label.lower()}: it can no longer be edited."
            )
        errors: dict[str, str] = {}
        kept_note = clean_text(note, field="comment", errors=errors, what="the note")
        content = validate_plan(plan_input, quarter=plan_quarter(plan))
        if errors:
            raise ValidationError(errors)
        current = plan_content(plan)
        changes = [
            change.line
            for change in diff(
                snapshot(current), snapshot(replace(content, manager=current.manager))
            )
        ]
        if not changes:
            raise ValidationError(
                {"aspiration": "This suggestion changes nothing yet: change what you suggest."}
            )
        row = m.PlanComment(
            plan_id=plan.id,
            author_id=actor.id,
            revision=plan.revision,
            text=kept_note,
            is_suggestion=True,
            suggested={"plan": input_as_json(plan_input), "changes": changes},
            created_at=now,
        )
        session.add(row)
        session.flush()
        return Commented(
            plan=plan_view(session, plan, viewer=actor),
            comment=_view(row, author_name=_name(actor)),
            notify_member_id=plan.owner_id,
        )

    def apply_suggestion(self, *, actor_id: int, comment_id: int, now: dt.datetime) -> SaveResult:
        """The owner takes up a suggested edit as it was made: one click, a new
        revision. A suggestion made on an older revision is refused (the plan
        changed since; applying it would undo that change)."""
        session = self._session
        if not is_id(comment_id):
            raise NotFound("That suggestion is gone.")
        plan_id = session.scalar(
            select(m.PlanComment.plan_id).where(m.PlanComment.id == comment_id)
        )
        if plan_id is None:
            raise NotFound("That suggestion is gone.")
        lock_plan(session, plan_id)
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="edit")
        row = session.get(m.PlanComment, comment_id)
        if row is None or not row.is_suggestion or not isinstance(row.suggested, dict):
            raise NotFound("That suggestion is gone.")
        if row.applied_revision is not None:
            raise IllegalTransition(
                f"You applied this suggestion already: it is revision {row.applied_revision}."
            )
        if row.revision != plan.revision:
            raise IllegalTransition(
                f"This suggestion was made on revision {row.revision}, and your plan is at "
                f"revision {plan.revision} now: applying it would undo what changed since. "
                "Edit your plan with `/myplan edit`, or ask for the suggestion again."
            )
        try:
            typed = input_from_json(row.suggested.get("plan"))
        except ValueError as error:
            raise NotFound("That suggestion is gone.") from error
        side = plan_content(plan).manager  # a suggestion leaves the manager's side as it is
        typed = replace(
            typed,
            one_on_one_cadence=str(side.one_on_one_cadence_weeks or "") or None,
            coaching_focus=side.coaching_focus,
            other_support=side.other_support,
        )
        result = PlanService(session).save(
            actor_id=actor.id, plan_id=plan.id, plan_input=typed, now=now
        )
        row.applied_revision = result.plan.revision
        session.flush()
        return result

    def manager_one_on_one(
        self, *, actor_id: int, plan_id: int, week: dt.date, happened: bool
    ) -> str:
        """The manager's own answer to a week's "did the 1:1 happen?" on their
        report's check-in; returns the report's name."""
        session = self._session
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="view")
        if plan.owner.manager_id != actor.id:
            raise PermissionDenied("Only their manager answers for the 1:1.")
        checkin = session.scalar(
            select(m.CheckIn).where(
                m.CheckIn.plan_id == plan.id,
                m.CheckIn.week_start == week,
                m.CheckIn.skipped.is_(False),
            )
        )
        if checkin is None:
            raise NotFound("There is no check-in that week to answer for.")
        checkin.manager_one_on_one = happened
        session.flush()
        return _name(plan.owner)

    def _visible_comment(self, comment_id: int, *, plan: m.Plan, viewer: m.Member) -> m.PlanComment:
        """A comment of ``plan`` that ``viewer`` may see (and so answer)."""
        session = self._session
        row = session.get(m.PlanComment, comment_id) if is_id(comment_id) else None
        if row is None or row.plan_id != plan.id:
            raise NotFound("That comment is gone.")
        shown = {c.id for c in _conversation(session, plan, viewer=viewer, limit=None).comments}
        if row.id not in shown:
            raise NotFound("That comment is gone.")
        return row


def _name(member: m.Member) -> str:
    return member.display_name or "someone"


def _view(row: m.PlanComment, *, author_name: str) -> CommentView:
    changes: Sequence[object] = ()
    if row.is_suggestion and isinstance(row.suggested, dict):
        kept = row.suggested.get("changes")
        changes = kept if isinstance(kept, list) else ()
    return CommentView(
        id=row.id,
        author_id=row.author_id,
        author_name=author_name,
        text=row.text,
        revision=row.revision,
        created_at=row.created_at,
        reply_to_id=row.reply_to_id,
        is_suggestion=row.is_suggestion,
        changes=tuple(str(line) for line in changes),
        applied_revision=row.applied_revision,
    )


def plan_conversation(session: Session, plan: m.Plan, *, viewer: m.Member) -> Conversation:
    """The conversation on a plan already loaded (App Home's own plan), as
    ``viewer`` may see it: two statements, the plan not read again."""
    return _conversation(session, plan, viewer=viewer)


def _conversation(
    session: Session, plan: m.Plan, *, viewer: m.Member, limit: int | None = SHOWN_COMMENTS
) -> Conversation:
    """Two statements: the comments with their authors' names, the feedback."""
    facts = plan_facts(session, plan, viewer=viewer)
    inner = viewer.id == plan.owner_id or viewer.id in facts.manager_chain
    rows = session.execute(
        select(m.PlanComment, m.Member.display_name)
        .join(m.Member, m.Member.id == m.PlanComment.author_id)
        .where(m.PlanComment.plan_id == plan.id)
        .order_by(m.PlanComment.id)
    ).all()
    views = [_view(row, author_name=name or "someone") for row, name in rows]
    if not inner:
        mine = {v.id for v in views if v.author_id == viewer.id}
        views = [v for v in views if v.id in mine or v.reply_to_id in mine]
    feedback: list[FeedbackView] = []
    if inner:
        feedback = [
            FeedbackView(text=text, message_link=link)
            for text, link in session.execute(
                select(m.Feedback.text, m.Feedback.message_link)
                .where(m.Feedback.plan_id == plan.id)
                .order_by(m.Feedback.id)
            )
        ]
    shown = views if limit is None else views[-limit:]
    return Conversation(
        comments=tuple(shown),
        feedback=tuple(feedback[-SHOWN_FEEDBACK:]),
        total_comments=len(views),
    )
