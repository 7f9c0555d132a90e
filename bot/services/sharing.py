"""Sharing: a plan's visibility changed on purpose, and its one post in the
leaders channel, kept only while the plan is public and its owner leads."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain.permissions import require
from bot.domain.plans import Visibility
from bot.services.people import load_member, viewer_of
from bot.services.read_model import PlanView, load_plan, plan_facts, plan_view
from bot.services.revisions import lock_plan


class SharingService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def share(self, *, actor_id: int, plan_id: int) -> PlanView:
        """Make the owner's plan public: the whole workspace may see it."""
        return self._set_visibility(actor_id=actor_id, plan_id=plan_id, to=Visibility.PUBLIC)

    def unshare(self, *, actor_id: int, plan_id: int) -> PlanView:
        """Make the owner's plan private again: the owner and their manager chain."""
        return self._set_visibility(actor_id=actor_id, plan_id=plan_id, to=Visibility.PRIVATE)

    def _set_visibility(self, *, actor_id: int, plan_id: int, to: Visibility) -> PlanView:
        session = self._session
        lock_plan(session, plan_id)
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="edit")
        plan.visibility = to
        session.flush()
        return plan_view(session, plan, viewer=actor)

    def leaders_post(self, *, plan_id: int) -> tuple[str, str] | None:
        """Where the plan sits in the leaders channel (channel, ts), if it does."""
        session = self._session
        row = session.execute(
            select(m.Plan.shared_channel_id, m.Plan.shared_ts).where(m.Plan.id == plan_id)
        ).one_or_none()
        if row is None or row[0] is None or row[1] is None:
            return None
        return row[0], row[1]

    def visibility(self, *, plan_id: int) -> Visibility:
        """The plan's visibility as it is now in this transaction."""
        return load_plan(self._session, plan_id).visibility
