"""Modal submissions. Validation happens before the ack, so refused input
comes back on the exact field and nothing typed is lost; Slack calls come after."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import builder, conversation, onboarding, settings
from bot.blocks.primitives import context, mrkdwn_section
from bot.blocks.text import escape_mrkdwn
from bot.domain import fields
from bot.domain.errors import DomainError, ValidationError
from bot.domain.quarters import zone
from bot.ids import Callback
from bot.listeners.commands import builder_view
from bot.listeners.common import ask_manager, display, dm, owner_card, today_for
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


def onboarding_submitted(
    ack: Ack, view: dict[str, Any], services: Services, member: MemberRef, now: dt.datetime
) -> None:
    submission = onboarding.read_submission(view)
    manager_slack_id = submission.manager_user_id
    channel = submission.channel_id
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
        ack(response_action="errors", errors=onboarding.errors_for(error))
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
    try:
        submission = builder.read_submission(view)
        result = services.plans.save(
            actor_id=member.id, plan_id=submission.plan_id, plan_input=submission.plan, now=now
        )
    except ValidationError as error:
        ack(response_action="errors", errors=builder.errors_for(error, view=view))
        return
    except (DomainError, ValueError) as error:
        ack(response_action="errors", errors=builder.refusal(str(error)))
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
    try:
        submission = conversation.read_comment(view)
        text, suggestion = submission.text, submission.suggestion
        plan = services.plans.comment(
            actor_id=member.id,
            plan_id=submission.plan_id,
            text=text,
            suggestion=suggestion,
            now=now,
        )
    except (DomainError, ValueError) as error:
        ack(response_action="errors", errors=conversation.comment_errors(error))
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
    saved_message = conversation.read_saved_message(view)
    text = saved_message.text
    today = today_for(member, now)
    link = saved_message.link
    try:
        if saved_message.as_feedback:
            services.plans.add_feedback(
                actor_id=member.id,
                text=text,
                today=today,
                from_slack_user_id=saved_message.author,
                message_link=link,
            )
            saved = "feedback to act on"
        else:
            services.plans.add_win(actor_id=member.id, text=text, today=today, message_link=link)
            saved = "a win"
    except DomainError as error:
        ack(response_action="errors", errors=conversation.saved_message_errors(error))
        return
    ack()
    dm(client, member.slack_user_id, f"Saved to your plan as {saved}.")


def settings_submitted(
    ack: Ack, view: dict[str, Any], services: Services, member: MemberRef
) -> None:
    values = settings.read_submission(view)
    errors: dict[str, str] = {}
    stretch = 0.10
    try:
        stretch = float(str(values.get(fields.STRETCH) or "10").strip().rstrip("%")) / 100
    except ValueError:
        errors[fields.STRETCH] = "Enter the stretch as a percentage, like 10."
    timezone = (values.get(fields.TIMEZONE) or "UTC").strip()
    try:
        zone(timezone)
    except ValidationError as error:
        errors[fields.TIMEZONE] = error.errors[fields.TIMEZONE]
    if errors:
        ack(response_action="errors", errors=settings.errors_for(ValidationError(errors)))
        return
    try:
        services.members.update_settings(
            actor_id=member.id,
            fiscal_start_month=int(values.get(fields.FISCAL_START_MONTH) or 1),
            leaders_channel_id=values.get(fields.LEADERS_CHANNEL),
            default_stretch=stretch,
        )
        hour, minute = (
            int(part) for part in str(values.get(fields.CHECKIN_TIME) or "09:00").split(":")
        )
        services.members.configure_team(
            workspace_id=member.workspace_id,
            channel_id=values[fields.TEAM_CHANNEL],
            checkin_weekday=int(values.get(fields.CHECKIN_WEEKDAY) or 0),
            checkin_time=dt.time(hour, minute),
            timezone=timezone,
            stretch=stretch,
        )
    except DomainError as error:
        ack(response_action="errors", errors=settings.errors_for(error))
        return
    ack()
