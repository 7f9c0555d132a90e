"""Events: the App Home, and uninstalls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.blocks.home import home_view
from bot.listeners.common import name_of, today_for
from bot.listeners.running import guarded
from bot.services import Services
from bot.services.members import MemberRef


def register(app: App) -> None:
    for event, handler in handlers().items():
        app.event(event)(guarded(handler))


def handlers() -> dict[str, Callable[..., None]]:
    """Every event the app subscribes to (the manifest must declare the same)."""
    return {
        "app_home_opened": home_opened,
        "app_uninstalled": uninstalled,
        "tokens_revoked": uninstalled,
    }


def home_opened(
    event: dict[str, Any],
    client: WebClient,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    if event.get("tab", "home") != "home":
        return
    today = today_for(member, now)
    plan = services.plans.current_plan(owner_id=member.id, today=today)
    manager = services.members.get(member.manager_id) if member.manager_id else None
    public = [
        (shared, name_of(services.members.get(shared.owner_id)))
        for shared in services.plans.public_plans(viewer_id=member.id, today=today)
        if shared.owner_id != member.id
    ]
    view = home_view(
        plan=plan,
        owner_name=name_of(member),
        manager_name=name_of(manager) if manager else None,
        checked_in_this_week=bool(plan and services.plans.checked_in(plan_id=plan.id, day=today)),
        past=services.plans.past_plans(owner_id=member.id, today=today),
        team=services.plans.team_overview(manager_id=member.id, today=today),
        public_plans=public,
        today=today,
    )
    client.views_publish(user_id=member.slack_user_id, view=view)


def uninstalled(context: BoltContext, services: Services, now: dt.datetime) -> None:
    if context.team_id:
        services.members.mark_uninstalled(slack_team_id=context.team_id, now=now)
