"""The App Home: your plan, your week, past quarters, your team, leaders' plans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bot.domain.conversation import Conversation
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter
from bot.services import Services, use_case
from bot.services.overview import ReportRow
from bot.services.read_model import PlanView
from bot.usecases.common import Actor, acting, name_of, today_for


@dataclass(frozen=True, kw_only=True)
class Home:
    slack_user_id: str
    plan: PlanView | None
    owner_name: str
    manager_name: str | None
    checked_in_this_week: bool
    past: list[tuple[Quarter, PlanState]]
    team: list[ReportRow]
    public_plans: list[tuple[PlanView, str]]
    today: dt.date
    conversation: Conversation = field(default_factory=Conversation)  # on the member's plan


@use_case
def open_home(services: Services, *, actor: Actor, now: dt.datetime) -> Home:
    """Everything App Home shows, in one read of the overview (a fixed number
    of statements however large the team, the history or the public plans)."""
    member = acting(services, actor)
    today = today_for(member, now)
    shown = services.overview.home(viewer_id=member.id, today=today)
    return Home(
        slack_user_id=member.slack_user_id,
        plan=shown.plan,
        owner_name=name_of(member),
        manager_name=name_of(shown.manager) if shown.manager else None,
        checked_in_this_week=shown.checked_in_this_week,
        past=shown.past,
        team=shown.team,
        public_plans=[
            (plan, name_of(shown.owners.get(plan.owner_id))) for plan in shown.public_plans
        ],
        today=today,
        conversation=shown.conversation,
    )


@dataclass(frozen=True, kw_only=True)
class TeamOverview:
    rows: list[ReportRow]
    today: dt.date


@use_case
def team_overview(services: Services, *, actor: Actor, now: dt.datetime) -> TeamOverview:
    """`/myplan team`: the actor's direct reports."""
    member = acting(services, actor)
    today = today_for(member, now)
    return TeamOverview(
        rows=services.overview.team_overview(manager_id=member.id, today=today), today=today
    )
