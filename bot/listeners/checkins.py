"""Weekly check-ins: the modal, the reply in the team thread, the parent's count."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import checkin
from bot.blocks.checkin import checkin_modal, prompt_blocks, prompt_text, reply_text
from bot.domain.errors import DomainError
from bot.domain.quarters import quarter_of, week_start
from bot.ids import Action, Callback
from bot.listeners.common import dm, name_of, today_for
from bot.listeners.running import guarded
from bot.scheduler.delivery import Outcome, deliver
from bot.scheduler.jobs import leaders_prompt_key, prompt_key
from bot.services import Services
from bot.services.members import MemberRef

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.action(Action.CHECKIN.value)(guarded(checkin_clicked))
    app.view(Callback.CHECKIN.value)(guarded(checkin_submitted, acks_itself=True))


def open_checkin(
    client: WebClient, services: Services, member: MemberRef, trigger: str, today: dt.date
) -> str | None:
    """Open this week's check-in; returns what to tell the person instead, if anything."""
    plan = services.plans.current_plan(owner_id=member.id, today=today)
    if plan is None or not plan.commitments:
        return "Start your plan with `/myplan` first: check-ins measure its commitments."
    monday = week_start(today)
    previous = {view.id: view.weekly_values[-1] for view in plan.commitments if view.weekly_values}
    already = services.plans.checked_in(plan_id=plan.id, day=today)
    client.views_open(
        trigger_id=trigger,
        view=checkin_modal(plan, monday=monday, previous=previous if already else None),
    )
    return None


def checkin_clicked(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    ack()
    message = open_checkin(client, services, member, body["trigger_id"], today_for(member, now))
    if message:
        dm(client, member.slack_user_id, message)


def checkin_submitted(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    services: Services,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    try:
        submission = checkin.read_submission(view)
        day = submission.monday
        plan = services.plans.record_checkin(
            actor_id=member.id,
            plan_id=submission.plan_id,
            day=day,
            values=submission.values,
            confidence=submission.confidence,
            win=submission.win,
            blocker=submission.blocker,
            one_on_one_happened=submission.one_on_one,
            now=now,
        )
    except (DomainError, ValueError) as error:
        ack(response_action="errors", errors=checkin.errors_for(error, view=view))
        return
    ack()
    monday = week_start(day)
    numbers = {view.id: view.weekly_values[-1] for view in plan.commitments if view.weekly_values}
    text = reply_text(
        plan,
        name=name_of(member),
        confidence=submission.confidence or 0,
        win=submission.win,
        blocker=submission.blocker,
        values=numbers,
    )
    posted = post_reply(client, services, member, plan.id, monday, text)
    posted = post_leaders_reply(client, services, member, monday, text, now) or posted
    if not posted:
        dm(client, member.slack_user_id, "Checked in. " + text)


def post_leaders_reply(
    client: WebClient,
    services: Services,
    member: MemberRef,
    monday: dt.date,
    text: str,
    now: dt.datetime,
) -> bool:
    """A leader's check-in also goes to the leaders' weekly thread, in the open."""
    if not services.rhythm.is_leader(member_id=member.id):
        return False
    parent = services.deliveries.sent_ts(
        workspace_id=member.workspace_id, key=leaders_prompt_key(member.workspace_id, monday)
    )
    if parent is None:
        return False
    key = f"leaders-reply:member={member.id}:week={monday.isoformat()}"
    existing = services.deliveries.sent_ts(workspace_id=member.workspace_id, key=key)
    if existing is not None:
        try:
            client.chat_update(channel=existing[0], ts=existing[1], text=text)
        except SlackApiError:
            log.exception("could not update the leaders' reply of %s", member.slack_user_id)
        return True
    result = deliver(
        services=services,
        client=client,
        workspace_id=member.workspace_id,
        key=key,
        kind="leaders-reply",
        channel=parent[0],
        thread_ts=parent[1],
        due_at=now,
        now=now,
        text=text,
    )
    return result.outcome is not Outcome.FAILED


def post_reply(
    client: WebClient,
    services: Services,
    member: MemberRef,
    plan_id: int,
    monday: dt.date,
    text: str,
) -> bool:
    """The member's check-in as a reply in the team thread (edited in place when
    they check in again), then the parent's count brought up to date. False
    when the team has no thread this week."""
    team = services.rhythm.team_of_member(member_id=member.id)
    prompt = (
        services.deliveries.sent_ts(
            workspace_id=member.workspace_id, key=prompt_key(team.id, monday)
        )
        if team
        else None
    )
    if team is None or prompt is None:
        return False
    channel, parent_ts = prompt
    try:
        existing = services.rhythm.reply_of(plan_id=plan_id, monday=monday)
        if existing is not None:
            client.chat_update(channel=existing[0], ts=existing[1], text=text)
        else:
            posted = client.chat_postMessage(channel=channel, thread_ts=parent_ts, text=text)
            services.rhythm.set_reply(
                plan_id=plan_id, monday=monday, channel_id=channel, ts=str(posted["ts"])
            )
        prompt_day = monday + dt.timedelta(days=team.checkin_weekday)
        roster = services.rhythm.roster(
            team_id=team.id, prompt_day=prompt_day, fiscal_start_month=team.fiscal_start_month
        )
        quarter = quarter_of(prompt_day, team.fiscal_start_month)
        week = quarter.week_number(prompt_day)
        client.chat_update(
            channel=channel,
            ts=parent_ts,
            text=prompt_text(week=week, quarter_label=quarter.label),
            blocks=prompt_blocks(
                week=week,
                quarter_label=quarter.label,
                monday=monday,
                checked_in=[row.name for row in roster if row.checked_in],
                expected=sum(1 for row in roster if row.expected),
            ),
        )
    except SlackApiError:
        log.exception("could not post the check-in of %s to the team thread", member.slack_user_id)
    return True
