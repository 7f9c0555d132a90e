"""The quarterly review: open it, close the quarter, approve the team's standards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.domain.quarters import Quarter, zone
from bot.domain.rhythm import DEFAULT_CALENDAR, ReviewWindow, review_window
from bot.services import Services, use_case
from bot.services.calendar import Closed
from bot.services.people import MemberRef
from bot.services.read_model import PlanCard
from bot.services.reviews import ChosenBar, ReviewProposal
from bot.services.standards import Standard
from bot.usecases.common import Actor, acting, card_of, today_for

NO_PLAN_TO_REVIEW = "You have no plan this quarter to review."


@dataclass(frozen=True, kw_only=True)
class ReviewForm:
    proposal: ReviewProposal
    editable: bool  # only the owner closes the quarter; the manager sees the same numbers
    # Before the review window opens (in the owner's calendar): closing now is
    # early, asked to confirm first, undoable until the quarter ends.
    early: bool = False
    window: ReviewWindow | None = None
    quarter: Quarter | None = None


@dataclass(frozen=True, kw_only=True)
class Completed:
    next_plan: PlanCard
    closed: Closed | None


def _window_of(services: Services, member: MemberRef, *, quarter: Quarter) -> ReviewWindow:
    """The quarter's review window in the member's team's calendar."""
    team = services.rhythm.team_of_member(member_id=member.id)
    if team is None:
        return review_window(quarter, calendar=DEFAULT_CALENDAR)
    return review_window(quarter, working_days=team.review_window_days, calendar=team.calendar)


@use_case
def open_review(
    services: Services, *, actor: Actor, plan_id: int | None, now: dt.datetime
) -> ReviewForm | str:
    """The review of ``plan_id``, or of the actor's plan this quarter when None;
    a sentence instead when there is none."""
    member = acting(services, actor)
    if plan_id is None:
        plan = services.plans.current_plan(owner_id=member.id, today=today_for(member, now))
        if plan is None:
            return NO_PLAN_TO_REVIEW
        plan_id = plan.id
    proposal = services.reviews.proposal(actor_id=member.id, plan_id=plan_id)
    editable = proposal.plan.owner_id == member.id
    quarter = proposal.plan.quarter
    window = _window_of(services, member, quarter=quarter)
    early = editable and now < window.opens_at(zone(member.timezone))
    return ReviewForm(
        proposal=proposal, editable=editable, early=early, window=window, quarter=quarter
    )


@use_case
def complete_review(
    services: Services,
    *,
    actor: Actor,
    plan_id: int,
    reflection: str,
    chosen: Mapping[int, ChosenBar],
    reason: str | None,
    now: dt.datetime,
) -> Completed:
    """Close the quarter on the chosen bars; returns next quarter's draft.
    Before the review window opens the close is early: undoable until the
    quarter's end."""
    member = acting(services, actor)
    proposal = services.reviews.proposal(actor_id=member.id, plan_id=plan_id)
    window = _window_of(services, member, quarter=proposal.plan.quarter)
    early = now < window.opens_at(zone(member.timezone))
    next_plan = services.reviews.complete(
        actor_id=member.id,
        plan_id=plan_id,
        reflection=reflection,
        chosen=chosen,
        reason=reason,
        now=now,
        closed_by="early" if early else "owner",
    )
    return Completed(
        next_plan=card_of(services, next_plan), closed=services.calendar.closed(plan_id=plan_id)
    )


@use_case
def undo_early_close(
    services: Services, *, actor: Actor, plan_id: int | None, now: dt.datetime
) -> PlanCard | str:
    """Reopen the quarter the actor closed early (``plan_id``, or last
    closed plan of this quarter); a sentence when there is none."""
    member = acting(services, actor)
    today = today_for(member, now)
    if plan_id is None:
        current = services.plans.current_plan(owner_id=member.id, today=today)
        if current is None:
            return "You have no plan this quarter to reopen."
        plan_id = current.id
    plan = services.calendar.undo_early_close(actor_id=member.id, plan_id=plan_id, today=today)
    return card_of(services, plan)


@use_case
def close_by_grace(services: Services, *, plan_id: int, now: dt.datetime) -> Closed | None:
    """The grace period after the quarter is over: close the plan if nobody reviewed it."""
    return services.calendar.close_unreviewed(plan_id=plan_id, now=now)


@use_case
def apply_bars(services: Services, *, actor: Actor, plan_id: int) -> PlanCard:
    member = acting(services, actor)
    return card_of(services, services.calendar.apply_bars(actor_id=member.id, plan_id=plan_id))


@use_case
def approve_standards(
    services: Services, *, actor: Actor, team_id: int, now: dt.datetime
) -> list[Standard]:
    member = acting(services, actor)
    return services.standards.approve(actor_id=member.id, team_id=team_id, now=now)
