"""Modal submissions. Validation happens before the ack, so refused input
comes back on the exact field and nothing typed is lost; Slack calls come after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.plan import context, mrkdwn_section
from bot.blocks.text import escape_mrkdwn
from bot.domain.content import commitment_field
from bot.domain.errors import DomainError, ValidationError
from bot.domain.quarters import zone
from bot.ids import Block, Callback
from bot.listeners.commands import builder_view
from bot.listeners.common import ask_manager, display, dm, owner_card, today_for
from bot.listeners.forms import field_values, metadata, plan_input
from bot.listeners.running import guarded
from bot.listeners.sharing import update_shared_post
from bot.services import Services
from bot.services.members import MemberRef


def register(app: App) -> None:
    app.view(Callback.ONBOARDING.value)(guarded(onboarding_submitted, acks_itself=True))
    app.view(Callback.PLAN_BUILDER.value)(guarded(plan_submitted, acks_itself=True))
    app.view(Callback.COMMENT.value)(guarded(comment_submitted, acks_itself=True))
    app.view(Callback.SAVE_MESSAGE.value)(guarded(message_saved, acks_itself=True))
    app.view(Callback.SETTINGS.value)(guarded(settings_submitted, acks_itself=True))


def _errors(ack: Ack, errors: dict[str, str], present: set[str], fallback: str) -> None:
    """Put each message on its block; one with no block of its own goes on ``fallback``."""
    placed: dict[str, str] = {}
    for field, message in errors.items():
        target = field if field in present else fallback
        placed[target] = f"{placed[target]} {message}" if target in placed else message
    ack(response_action="errors", errors=placed)


def onboarding_submitted(
    ack: Ack, view: dict[str, Any], services: Services, member: MemberRef, now: dt.datetime
) -> None:
    values = field_values(view)
    manager_slack_id = values.get(Block.MANAGER.value)
    channel = values.get(Block.TEAM_CHANNEL.value)
    try:
        manager_id = None
        if manager_slack_id:
            manager = services.members.ensure_member(
                slack_team_id=_team(member, services), slack_user_id=manager_slack_id
            )
            manager_id = manager.id
        services.members.set_manager(
            member_id=member.id, manager_id=manager_id, changed_by_id=member.id, now=now
        )
        if channel:
            team_id = services.members.team_for_channel(
                workspace_id=member.workspace_id, channel_id=channel
            )
            if team_id is None:
                team_id = services.members.configure_team(
                    workspace_id=member.workspace_id, channel_id=channel
                )
            services.members.join_team(member_id=member.id, team_id=team_id)
        services.members.mark_onboarded(member_id=member.id, now=now)
    except ValidationError as error:
        _errors(
            ack,
            {
                Block.MANAGER.value if k == "manager" else Block.TEAM_CHANNEL.value: v
                for k, v in error.errors.items()
            },
            {Block.MANAGER.value, Block.TEAM_CHANNEL.value},
            Block.MANAGER.value,
        )
        return
    plan = services.plans.start_plan(owner_id=member.id, today=today_for(member, now))
    ack(
        response_action="update",
        view=builder_view(plan.id, plan.quarter.label, plan.content, len(plan.commitments)),
    )


def _team(member: MemberRef, services: Services) -> str:
    return services.members.slack_team_of(workspace_id=member.workspace_id)


def plan_submitted(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    meta = metadata(view)
    values = field_values(view)
    present = set(values)
    try:
        plan_id = int(meta.get("plan_id", 0))
        slots = int(meta.get("slots", 1))
        result = services.plans.save(
            actor_id=member.id, plan_id=plan_id, plan_input=plan_input(values, slots), now=now
        )
    except ValidationError as error:
        _errors(ack, error.errors, present, commitment_field(0, "title"))
        return
    except (DomainError, ValueError) as error:
        _errors(ack, {"aspiration": str(error)}, present, "aspiration")
        return
    ack()
    plan = result.plan
    if result.needs_acknowledgement_again:
        changes = [change.line for change in result.changes]
        dm(
            client,
            member.slack_user_id,
            "Your plan changed: you and your manager acknowledge the new revision.",
            [*owner_card(plan, services)],
        )
        ask_manager(client, services, plan, changes)
    else:
        dm(
            client,
            member.slack_user_id,
            f"Saved your {plan.quarter.label} plan (revision {plan.revision}).",
            owner_card(plan, services),
        )
    update_shared_post(client, services, plan.id)


def comment_submitted(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    meta = metadata(view)
    text = field_values(view).get(Block.COMMENT.value) or ""
    suggestion = bool(meta.get("suggestion"))
    try:
        plan = services.plans.comment(
            actor_id=member.id,
            plan_id=int(meta.get("plan_id", 0)),
            text=text,
            suggestion=suggestion,
            now=now,
        )
    except (DomainError, ValueError) as error:
        message = (
            error.errors.get("comment", str(error))
            if isinstance(error, ValidationError)
            else str(error)
        )
        ack(response_action="errors", errors={Block.COMMENT.value: message})
        return
    ack()
    owner = services.members.get(plan.owner_id)
    kind = "suggests an edit to" if suggestion else "commented on"
    dm(
        client,
        owner.slack_user_id,
        f"{display(member)} {kind} your plan",
        [
            mrkdwn_section(
                f"*{display(member)}* {kind} your {plan.quarter.label} plan:\n"
                f">{escape_mrkdwn(text.strip())}"
            ),
            context("Edit your plan with `/myplan edit` to take it up."),
        ],
    )


def message_saved(
    ack: Ack,
    view: dict[str, Any],
    respond: Any,
    client: WebClient,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    meta = metadata(view)
    values = field_values(view)
    text = values.get(Block.TEXT.value) or ""
    today = today_for(member, now)
    link = meta.get("link") if isinstance(meta.get("link"), str) else None
    try:
        if values.get(Block.SAVE_AS.value) == "feedback":
            services.plans.add_feedback(
                actor_id=member.id,
                text=text,
                today=today,
                from_slack_user_id=meta.get("author"),
                message_link=link,
            )
            saved = "feedback to act on"
        else:
            services.plans.add_win(actor_id=member.id, text=text, today=today, message_link=link)
            saved = "a win"
    except DomainError as error:
        ack(response_action="errors", errors={Block.TEXT.value: str(error)})
        return
    ack()
    dm(client, member.slack_user_id, f"Saved to your plan as {saved}.")


def settings_submitted(
    ack: Ack, view: dict[str, Any], services: Services, member: MemberRef
) -> None:
    values = field_values(view)
    errors: dict[str, str] = {}
    stretch = 0.10
    try:
        stretch = float(str(values.get(Block.STRETCH.value) or "10").strip().rstrip("%")) / 100
    except ValueError:
        errors[Block.STRETCH.value] = "Enter the stretch as a percentage, like 10."
    timezone = (values.get(Block.TIMEZONE.value) or "UTC").strip()
    try:
        zone(timezone)
    except ValidationError as error:
        errors[Block.TIMEZONE.value] = error.errors["timezone"]
    if errors:
        ack(response_action="errors", errors=errors)
        return
    try:
        services.members.update_settings(
            actor_id=member.id,
            fiscal_start_month=int(values.get(Block.FISCAL_START_MONTH.value) or 1),
            leaders_channel_id=values.get(Block.LEADERS_CHANNEL.value),
            default_stretch=stretch,
        )
        hour, minute = (
            int(part) for part in str(values.get(Block.CHECKIN_TIME.value) or "09:00").split(":")
        )
        services.members.configure_team(
            workspace_id=member.workspace_id,
            channel_id=values[Block.TEAM_CHANNEL.value],
            checkin_weekday=int(values.get(Block.CHECKIN_WEEKDAY.value) or 0),
            checkin_time=dt.time(hour, minute),
            timezone=timezone,
            stretch=stretch,
        )
    except ValidationError as error:
        mapping = {
            "stretch": Block.STRETCH.value,
            "timezone": Block.TIMEZONE.value,
            "fiscal_start_month": Block.FISCAL_START_MONTH.value,
            "checkin_weekday": Block.CHECKIN_WEEKDAY.value,
        }
        ack(
            response_action="errors",
            errors={
                mapping.get(k, Block.FISCAL_START_MONTH.value): v for k, v in error.errors.items()
            },
        )
        return
    except DomainError as error:
        ack(response_action="errors", errors={Block.FISCAL_START_MONTH.value: str(error)})
        return
    ack()
