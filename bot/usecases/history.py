"""History: past quarters (`/myplan history`, App Home) and trends (`/myplan trends`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.errors import NotFound
from bot.services import Services, use_case
from bot.services.history import CANT_SEE, PastQuarter, QuarterList, Trends
from bot.usecases.common import Actor, acting, today_for


@dataclass(frozen=True, kw_only=True)
class QuarterKey:
    """A quarter of the actor's own, as App Home names it."""

    fiscal_year: int
    number: int


@use_case
def list_quarters(
    services: Services, *, actor: Actor, slack_user_id: str | None, now: dt.datetime
) -> QuarterList:
    """The past quarters of the actor, or of ``slack_user_id``, that the actor may open."""
    member = acting(services, actor)
    owner_id = _owner(
        services, workspace_id=member.workspace_id, member_id=member.id, slack_user_id=slack_user_id
    )
    return services.history.past_quarters(
        viewer_id=member.id, owner_id=owner_id, today=today_for(member, now)
    )


@use_case
def open_quarter(
    services: Services, *, actor: Actor, plan_id: int | None, quarter: QuarterKey | None
) -> PastQuarter:
    """One past quarter: by a plan id (checked), or one of the actor's own by its quarter."""
    member = acting(services, actor)
    if plan_id is None:
        if quarter is None:
            raise NotFound(CANT_SEE)
        plan_id = services.history.plan_in_quarter(
            owner_id=member.id, fiscal_year=quarter.fiscal_year, number=quarter.number
        )
    return services.history.past_quarter(viewer_id=member.id, plan_id=plan_id)


@use_case
def trends(
    services: Services,
    *,
    actor: Actor,
    plan_id: int | None,
    slack_user_id: str | None,
    now: dt.datetime,
) -> Trends | str:
    """The trends of a plan (checked), or of this quarter's plan of the actor
    or of ``slack_user_id``; a sentence when there is no plan to draw."""
    member = acting(services, actor)
    if plan_id is None:
        owner_id = _owner(
            services,
            workspace_id=member.workspace_id,
            member_id=member.id,
            slack_user_id=slack_user_id,
        )
        plan = services.plans.plan_of(
            viewer_id=member.id, owner_id=owner_id, today=today_for(member, now)
        )
        if plan is None:
            return (
                "You have no plan this quarter yet: `/myplan` starts one."
                if owner_id == member.id
                else "They have no plan you can see this quarter."
            )
        plan_id = plan.id
    return services.history.trends(viewer_id=member.id, plan_id=plan_id)


def _owner(
    services: Services, *, workspace_id: int, member_id: int, slack_user_id: str | None
) -> int:
    if not slack_user_id:
        return member_id
    other = services.members.find(workspace_id=workspace_id, slack_user_id=slack_user_id)
    if other is None:
        raise NotFound("That person is not using myplan yet.")
    return other.id
