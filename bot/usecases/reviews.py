"""The quarterly review: open it, close the quarter, approve the team's standards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.domain.conversation import Conversation
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter, zone
from bot.domain.rhythm import ReviewWindow
from bot.services import Services, use_case
from bot.services.calendar import Closed as QuarterClosed
from bot.services.read_model import PlanCard
from bot.services.reviews import ChosenBar, ReviewProposal
from bot.services.standards import Standard
from bot.usecases.common import Actor, acting, card_of, name_of, today_for, window_of
from bot.usecases.digest import Digest, digest_of

NO_PLAN_TO_REVIEW = "You have no plan this quarter to review."


@dataclass(frozen=True, kw_only=True)
class ReviewForm:
    proposal: ReviewProposal
    editable: bool  # only the owner closes the quarter; the manager sees the same numbers
    reflects: bool = False  # the owner's direct manager: they write their reflection
    conversation: Conversation = field(default_factory=Conversation)
    # Before the review window opens (in the owner's calendar): closing now is
    # early, asked to confirm first, undoable until the quarter ends.
    early: bool = False
    window: ReviewWindow | None = None
    quarter: Quarter | None = None


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
    plan = proposal.plan
    editable = plan.owner_id == member.id and plan.state is not PlanState.CLOSED
    window = window_of(services, member, quarter=plan.quarter)
    return ReviewForm(
        proposal=proposal,
        editable=editable,
        reflects=plan.manager_id == member.id,
        conversation=services.conversation.conversation(viewer_id=member.id, plan_id=plan.id),
        early=editable and now < window.opens_at(zone(member.timezone)),
        window=window,
        quarter=plan.quarter,
    )


@dataclass(frozen=True, kw_only=True)
class Reflected:
    manager_name: str
    owner_slack_user_id: str
    quarter_label: str
    reflection: str
    digest: Digest | None = None  # the manager's digest of the day, as it stands now


@use_case
def reflect_on_review(
    services: Services, *, actor: Actor, plan_id: int, reflection: str, now: dt.datetime
) -> Reflected:
    """The manager's reflection on their report's quarter; the owner is told it."""
    member = acting(services, actor)
    plan = services.reviews.reflect(
        actor_id=member.id, plan_id=plan_id, reflection=reflection, now=now
    )
    return Reflected(
        manager_name=name_of(member),
        owner_slack_user_id=plan.owner_slack_user_id,
        quarter_label=plan.quarter.label,
        reflection=reflection.strip(),
        digest=digest_of(services, manager_id=member.id, now=now),
    )


@dataclass(frozen=True, kw_only=True)
class Closed:
    next_plan: PlanCard
    owner_name: str
    quarter_label: str  # the quarter closed
    closed_plan_id: int
    manager_slack_user_id: str | None  # told what the owner wrote, and asked for theirs
    reflection: str
    lowered: tuple[tuple[str, str], ...]
    how: QuarterClosed | None = None  # early or not, and whether the next plan took the bars


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
) -> Closed:
    """Close the quarter on the chosen bars: next quarter's draft for the
    owner, and what the manager is told. Before the review window opens the
    close is early: undoable until the quarter's end."""
    member = acting(services, actor)
    proposal = services.reviews.proposal(actor_id=member.id, plan_id=plan_id)
    window = window_of(services, member, quarter=proposal.plan.quarter)
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
    closed = services.reviews.proposal(actor_id=member.id, plan_id=plan_id)
    manager = services.members.get(closed.plan.manager_id) if closed.plan.manager_id else None
    return Closed(
        next_plan=card_of(services, next_plan),
        owner_name=name_of(member),
        quarter_label=closed.plan.quarter.label,
        closed_plan_id=plan_id,
        manager_slack_user_id=manager.slack_user_id if manager else None,
        reflection=closed.owner_reflection,
        lowered=closed.lowered,
        how=services.calendar.closed(plan_id=plan_id),
    )


@use_case
def undo_early_close(
    services: Services, *, actor: Actor, plan_id: int | None, now: dt.datetime
) -> PlanCard | str:
    """Reopen the quarter the actor closed early (``plan_id``, or their plan
    of this quarter); a sentence when there is none."""
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
def close_by_grace(services: Services, *, plan_id: int, now: dt.datetime) -> QuarterClosed | None:
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
