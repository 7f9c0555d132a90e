"""The quarterly review: open it, close the quarter, approve the team's standards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.services import Services, use_case
from bot.services.read_model import PlanCard
from bot.services.reviews import ChosenBar, ReviewProposal
from bot.services.standards import Standard
from bot.usecases.common import Actor, acting, card_of, today_for

NO_PLAN_TO_REVIEW = "You have no plan this quarter to review."


@dataclass(frozen=True, kw_only=True)
class ReviewForm:
    proposal: ReviewProposal
    editable: bool  # only the owner closes the quarter; the manager sees the same numbers


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
    return ReviewForm(proposal=proposal, editable=proposal.plan.owner_id == member.id)


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
) -> PlanCard:
    """Close the quarter on the chosen bars; returns next quarter's draft."""
    member = acting(services, actor)
    next_plan = services.reviews.complete(
        actor_id=member.id,
        plan_id=plan_id,
        reflection=reflection,
        chosen=chosen,
        reason=reason,
        now=now,
    )
    return card_of(services, next_plan)


@use_case
def approve_standards(
    services: Services, *, actor: Actor, team_id: int, now: dt.datetime
) -> list[Standard]:
    member = acting(services, actor)
    return services.standards.approve(actor_id=member.id, team_id=team_id, now=now)
