"""Plans: drafting, revisions, acknowledgement, wins and weekly check-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain import fields
from bot.domain.content import ManagerSideInput as ManagerSideInput
from bot.domain.content import (
    PlanContent,
    PlanInput,
    renamed_labels,
    snapshot,
    validate_manager_side,
    validate_plan,
)
from bot.domain.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    StaleRevision,
    ValidationError,
)
from bot.domain.permissions import require
from bot.domain.plans import PlanState, Visibility, is_editable, move
from bot.domain.quarters import local_date, quarter_of, week_start, zone
from bot.domain.revisions import Change, diff
from bot.domain.text import required_text
from bot.services.checkins import (
    CheckinAnswers,
    WeekCheckin,
    parse_checkin,
    read_week,
    week_states,
    write_checkin,
)
from bot.services.people import load_member, viewer_of
from bot.services.read_model import (
    PlanView,
    load_plan,
    plan_by_id,
    plan_content,
    plan_facts,
    plan_for_quarter,
    plan_quarter,
    plan_view,
)
from bot.services.revisions import (
    activate_if_acknowledged,
    lock_plan,
    record_acknowledgement,
    write_content,
)


@dataclass(frozen=True, kw_only=True)
class SaveResult:
    plan: PlanView
    changes: tuple[Change, ...]
    needs_acknowledgement_again: bool  # it was active: both acknowledge the new revision
    # A new revision of a proposed plan (it was proposed, or active): whoever
    # has not acknowledged it is asked to, with what changed.
    asks_again: bool = False


def _today(member: m.Member, now: dt.datetime) -> dt.date:
    return local_date(now, zone(member.timezone))


class PlanService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def start_plan(self, *, owner_id: int, today: dt.date) -> PlanView:
        """The owner's plan for the quarter containing ``today``, created as a
        draft when there is none yet."""
        session = self._session
        owner = load_member(session, owner_id)
        quarter = quarter_of(today, owner.workspace.fiscal_start_month)
        plan = plan_for_quarter(session, owner_id, quarter=quarter)
        if plan is None:
            plan = m.Plan(
                owner_id=owner_id,
                fiscal_year=quarter.fiscal_year,
                quarter=quarter.number,
                state=PlanState.DRAFT,
                visibility=Visibility.PRIVATE,
                revision=0,
            )
            session.add(plan)
            session.flush()
        return plan_view(session, plan, viewer=owner, today=today)

    def current_plan(self, *, owner_id: int, today: dt.date) -> PlanView | None:
        session = self._session
        owner = load_member(session, owner_id)
        quarter = quarter_of(today, owner.workspace.fiscal_start_month)
        plan = plan_for_quarter(session, owner_id, quarter=quarter)
        return None if plan is None else plan_view(session, plan, viewer=owner, today=today)

    def plan_of(self, *, viewer_id: int, owner_id: int, today: dt.date) -> PlanView | None:
        """Someone's plan for this quarter, if the viewer may see it."""
        session = self._session
        viewer = load_member(session, viewer_id)
        owner = load_member(session, owner_id)
        if owner.workspace_id != viewer.workspace_id:
            raise NotFound("You can't see that plan.")
        quarter = quarter_of(today, owner.workspace.fiscal_start_month)
        plan = plan_for_quarter(session, owner_id, quarter=quarter)
        if plan is None:
            return None
        require(viewer_of(viewer), plan_facts(session, plan, viewer=viewer), to="view")
        return plan_view(session, plan, viewer=viewer, today=today)

    def owner_of(self, *, plan_id: int) -> int:
        session = self._session
        return plan_by_id(session, plan_id).owner_id

    def checked_in(self, *, plan_id: int, day: dt.date) -> bool:
        session = self._session
        return (
            session.scalar(
                select(m.CheckIn.id).where(
                    m.CheckIn.plan_id == plan_id, m.CheckIn.week_start == week_start(day)
                )
            )
            is not None
        )

    def week_checkin(self, *, plan_id: int, day: dt.date) -> WeekCheckin | None:
        """The check-in of the week containing ``day``, as stored (not a skip)."""
        return read_week(self._session, plan_id=plan_id, week=week_start(day))

    def week_states(self, *, plan_id: int) -> dict[dt.date, bool]:
        """The weeks checked in (False) or skipped (True), by Monday."""
        return week_states(self._session, plan_id=plan_id)

    def get_plan(self, *, viewer_id: int, plan_id: int) -> PlanView:
        """A plan, if ``viewer_id`` may see it (checked from the database)."""
        session = self._session
        viewer = load_member(session, viewer_id)
        # Without its parts: plan_view reads those in rows, not objects.
        plan = plan_by_id(session, plan_id)
        require(viewer_of(viewer), plan_facts(session, plan, viewer=viewer), to="view")
        return plan_view(session, plan, viewer=viewer)

    def save(
        self, *, actor_id: int, plan_id: int, plan_input: PlanInput, now: dt.datetime
    ) -> SaveResult:
        """Replace the plan's content with what the owner entered, as a new
        revision. An edit after acknowledgement sends the plan back for both
        acknowledgements; the returned changes say what changed."""
        session = self._session
        lock_plan(session, plan_id)
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="edit")
        if not is_editable(plan.state):
            raise IllegalTransition(
                f"This plan is {plan.state.label.lower()}: it can no longer be edited."
            )
        content = validate_plan(plan_input, quarter=plan_quarter(plan), locale=actor.locale)
        if plan.state is not PlanState.DRAFT:
            # Once proposed, the manager's side is the manager's (set_manager_side):
            # what the owner's submission says of it is not theirs to change.
            content = replace(content, manager=plan_content(plan).manager)
        return self._revise(plan, actor=actor, content=content, now=now)

    def set_manager_side(
        self, *, actor_id: int, plan_id: int, side: ManagerSideInput, now: dt.datetime
    ) -> SaveResult:
        """The owner's direct manager writes their side of the plan (1:1
        cadence, coaching focus, other support), as a new revision."""
        session = self._session
        lock_plan(session, plan_id)
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="view")
        if plan.owner.manager_id != actor.id:
            raise PermissionDenied("Only the plan's manager writes the manager's side.")
        if not is_editable(plan.state):
            raise IllegalTransition(
                f"This plan is {plan.state.label.lower()}: it can no longer be edited."
            )
        manager = validate_manager_side(
            one_on_one_cadence=side.one_on_one_cadence,
            coaching_focus=side.coaching_focus,
            other_support=side.other_support,
        )
        content = replace(plan_content(plan), manager=manager)
        return self._revise(plan, actor=actor, content=content, now=now)

    def _revise(
        self, plan: m.Plan, *, actor: m.Member, content: PlanContent, now: dt.datetime
    ) -> SaveResult:
        """``content`` as the plan's next revision by ``actor``, when it changes
        anything. An active plan goes back to proposed: both acknowledge it."""
        session = self._session
        stored = plan_content(plan)
        after = snapshot(content)
        changes = tuple(diff(snapshot(stored), after, renamed=renamed_labels(stored, content)))
        if not changes and plan.revision > 0:
            return SaveResult(
                plan=plan_view(session, plan, viewer=actor, today=_today(actor, now)),
                changes=(),
                needs_acknowledgement_again=False,
            )
        plan.revision += 1
        write_content(session, plan, content=content)
        session.add(
            m.Revision(
                plan_id=plan.id,
                number=plan.revision,
                author_id=actor.id,
                snapshot=dict(after),
                summary="\n".join(change.line for change in changes),
                created_at=now,
            )
        )
        needs_again = plan.state is PlanState.ACTIVE
        if needs_again:
            plan.state = move(plan.state, PlanState.PROPOSED)
        session.flush()
        return SaveResult(
            plan=plan_view(session, plan, viewer=actor, today=_today(actor, now)),
            changes=changes,
            needs_acknowledgement_again=needs_again,
            asks_again=plan.state is PlanState.PROPOSED,
        )

    def propose(self, *, actor_id: int, plan_id: int, now: dt.datetime) -> PlanView:
        """The owner proposes the plan to their manager. Proposing is the
        owner's acknowledgement of the current revision."""
        session = self._session
        lock_plan(session, plan_id)
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="edit")
        if not plan.commitments:
            raise ValidationError(
                {"commitments": "Add at least one measurable commitment before proposing."}
            )
        plan.state = move(plan.state, PlanState.PROPOSED)
        record_acknowledgement(session, plan, member_id=actor_id, revision=plan.revision, now=now)
        return plan_view(session, plan, viewer=actor, today=_today(actor, now))

    def acknowledge(
        self, *, actor_id: int, plan_id: int, revision: int, now: dt.datetime
    ) -> PlanView:
        """Record that ``actor_id`` read ``revision``. When owner and manager
        have both acknowledged the current revision, the plan is active."""
        session = self._session
        lock_plan(session, plan_id)
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="acknowledge")
        # An active plan is acknowledged too: by a manager named mid-quarter,
        # who is asked to acknowledge the revision it runs on.
        if plan.state not in (PlanState.PROPOSED, PlanState.ACTIVE):
            raise IllegalTransition(
                "Only a proposed or active plan is acknowledged; "
                f"this one is {plan.state.label.lower()}."
            )
        if revision != plan.revision:
            raise StaleRevision(
                f"The plan changed since you read it (now revision {plan.revision}): "
                "read the new version, then acknowledge it.",
                revision=plan.revision,
            )
        record_acknowledgement(session, plan, member_id=actor_id, revision=revision, now=now)
        return plan_view(session, plan, viewer=actor, today=_today(actor, now))

    def reconsider(self, *, plan_id: int) -> PlanView:
        """After its owner's manager changed: a proposed plan everyone it
        needs has acknowledged is active (the owner said they have none)."""
        session = self._session
        lock_plan(session, plan_id)
        plan = load_plan(session, plan_id)
        activate_if_acknowledged(session, plan)
        return plan_view(session, plan, viewer=plan.owner)

    def add_win(
        self,
        *,
        actor_id: int,
        text: str,
        today: dt.date,
        message_link: str | None = None,
    ) -> PlanView:
        """Log a win on the actor's plan for the quarter containing ``today``."""
        clean = required_text(
            text,
            field="win",
            what="a win",
            missing="Say what the win was, like `/myplan win Closed Acme`.",
        )
        session = self._session
        actor = load_member(session, actor_id)
        quarter = quarter_of(today, actor.workspace.fiscal_start_month)
        plan = plan_for_quarter(session, actor_id, quarter=quarter)
        if plan is None:
            raise NotFound("Start your plan with `/myplan` first, then log wins on it.")
        plan.wins.append(
            m.Win(author_id=actor_id, text=clean, happened_on=today, message_link=message_link)
        )
        session.flush()
        return plan_view(session, plan, viewer=actor, today=today)

    def record_checkin(
        self,
        *,
        actor_id: int,
        plan_id: int,
        day: dt.date,
        values: Mapping[int, str],
        confidence: int | None,
        win: str | None = None,
        blocker: str | None = None,
        one_on_one_happened: bool | None = None,
        now: dt.datetime,
    ) -> PlanView:
        """Record (or replace) the week's check-in containing ``day``.
        ``values`` maps commitment id to what was typed; every measured
        commitment needs a value, and every problem is reported on its field."""
        session = self._session
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        if plan.owner_id != actor_id:
            require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="edit")
        if plan.state not in (PlanState.ACTIVE, PlanState.PROPOSED, PlanState.IN_REVIEW):
            raise IllegalTransition(
                "Check-ins start once the plan is proposed; this one is "
                f"{plan.state.label.lower()}."
            )
        quarter = plan_quarter(plan)
        # The week comes from the modal (its picker, its metadata), which a client
        # can forge; a week straddling two quarters may be checked in on either's plan.
        if week_start(day) not in quarter.week_starts():
            message = f"That week is not in this plan's quarter ({quarter.label})."
            raise ValidationError({fields.WEEK: message})
        parsed = parse_checkin(
            plan,
            values=values,
            confidence=confidence,
            win=win,
            blocker=blocker,
            locale=actor.locale,
        )
        write_checkin(
            session,
            plan,
            week=week_start(day),
            values=parsed,
            answers=CheckinAnswers(
                confidence=confidence,
                win=win,
                blocker=blocker,
                one_on_one_happened=one_on_one_happened,
            ),
            now=now,
        )
        session.flush()
        return plan_view(session, plan, viewer=actor, today=_today(actor, now))

    def add_feedback(
        self,
        *,
        actor_id: int,
        text: str,
        today: dt.date,
        from_slack_user_id: str | None = None,
        message_link: str | None = None,
    ) -> PlanView:
        """Keep feedback to act on with the actor's plan for this quarter."""
        clean = required_text(
            text, field="text", what="feedback", missing="There is no text to keep as feedback."
        )
        session = self._session
        actor = load_member(session, actor_id)
        quarter = quarter_of(today, actor.workspace.fiscal_start_month)
        plan = plan_for_quarter(session, actor_id, quarter=quarter)
        if plan is None:
            raise NotFound("Start your plan with `/myplan` first, then save feedback to it.")
        session.add(
            m.Feedback(
                plan_id=plan.id,
                text=clean,
                from_slack_user_id=from_slack_user_id,
                message_link=message_link,
            )
        )
        session.flush()
        return plan_view(session, plan, viewer=actor, today=today)
