"""Weekly check-ins: the modal, the reply in the team thread, the parent's count."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks.checkin import checkin_modal, reply_text
from bot.domain.errors import DomainError, ValidationError
from bot.domain.quarters import week_start
from bot.ids import Action, Block, Callback
from bot.listeners.common import dm, name_of, today_for
from bot.listeners.forms import field_values, metadata
from bot.listeners.running import guarded
from bot.outbox import threads
from bot.outbox.store import OutboxStore
from bot.services import Services
from bot.services.members import MemberRef


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
    outbox: OutboxStore,
    member: MemberRef,
    now: dt.datetime,
) -> None:
    meta = metadata(view)
    values = field_values(view)
    typed = {
        int(block[len("value_") :]): value
        for block, value in values.items()
        if block.startswith("value_") and block[len("value_") :].isdigit()
    }
    one_on_one = values.get(Block.ONE_ON_ONE.value)
    confidence_raw = values.get(Block.CONFIDENCE.value)
    try:
        plan_id = int(meta.get("plan_id", 0))
        day = dt.date.fromisoformat(str(meta.get("monday")))
        plan = services.plans.record_checkin(
            actor_id=member.id,
            plan_id=plan_id,
            day=day,
            values=typed,
            confidence=int(confidence_raw) if confidence_raw else None,
            win=values.get(Block.WIN.value),
            blocker=values.get(Block.BLOCKER.value),
            one_on_one_happened=None if one_on_one is None else one_on_one == "yes",
            now=now,
        )
    except ValidationError as error:
        ack(
            response_action="errors",
            errors={k: v for k, v in error.errors.items() if k in values}
            or {Block.CONFIDENCE.value: str(error)},
        )
        return
    except (DomainError, ValueError) as error:
        ack(response_action="errors", errors={Block.CONFIDENCE.value: str(error)})
        return
    ack()
    monday = week_start(day)
    numbers = {view.id: view.weekly_values[-1] for view in plan.commitments if view.weekly_values}
    text = reply_text(
        plan,
        name=name_of(member),
        confidence=int(confidence_raw or 0),
        win=values.get(Block.WIN.value),
        blocker=values.get(Block.BLOCKER.value),
        values=numbers,
    )
    posted = post_reply(client, services, outbox, member, plan.id, monday, text)
    posted = post_leaders_reply(client, services, outbox, member, monday, text, now) or posted
    if not posted:
        dm(client, member.slack_user_id, "Checked in. " + text)


def post_leaders_reply(
    client: WebClient,
    services: Services,
    outbox: OutboxStore,
    member: MemberRef,
    monday: dt.date,
    text: str,
    now: dt.datetime,
) -> bool:
    """A leader's check-in also goes to the leaders' weekly thread, in the open."""
    if not services.rhythm.is_leader(member_id=member.id):
        return False
    return threads.post_leaders_reply(
        store=outbox, client=client, author=member, monday=monday, text=text, now=now
    )


def post_reply(
    client: WebClient,
    services: Services,
    outbox: OutboxStore,
    member: MemberRef,
    plan_id: int,
    monday: dt.date,
    text: str,
) -> bool:
    """The member's check-in as a reply in the team thread, then the parent's
    count brought up to date. False when the team has no thread this week."""
    return threads.post_member_reply(
        store=outbox,
        client=client,
        author=member,
        team=services.rhythm.team_of_member(member_id=member.id),
        plan_id=plan_id,
        monday=monday,
        text=text,
        roster=services.rhythm.roster,
    )
