"""The team view (`/myplan team`) and the manager's digest: a report's plan
opened, a plan waiting for them opened, another page of reports."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.blocks.forms import SLACK_ID
from bot.blocks.plan_card import card_blocks, proposal_blocks, team_page_blocks
from bot.blocks.text import escape_mrkdwn
from bot.db.session import Database
from bot.domain.keys import NO_ID, read_id
from bot.ids import Action
from bot.listeners.replies import tell
from bot.listeners.running import Registrar
from bot.usecases import home, plans
from bot.usecases.common import Actor

OUT_OF_DATE = "That button is out of date: type `/myplan team` again."


def register(on: Registrar) -> None:
    on.action(Action.OPEN_REPORT.value, open_report)
    on.action(Action.TEAM_PAGE.value, turn_page)
    on.action(Action.OPEN_REQUEST.value, open_request)


def _value(body: dict[str, Any]) -> str:
    value = body["actions"][0].get("value")
    return value if isinstance(value, str) else ""


def open_report(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    db: Database,
    actor: Actor,
    now: dt.datetime,
) -> None:
    """A report's plan, as the clicker may see it (checked from the database:
    the button's user id is only a hint), below the team view."""
    ack()
    answer = partial(tell, respond=respond, client=client, slack_user_id=actor.slack_user_id)
    slack_user_id = _value(body)
    if not SLACK_ID.fullmatch(slack_user_id):
        answer(text=OUT_OF_DATE)
        return
    name, card = plans.someones_plan(db, actor=actor, slack_user_id=slack_user_id, now=now)
    shown = escape_mrkdwn(name) if name else "They"
    if card is None:
        answer(text=f"{shown} have no plan you can see this quarter.")
        return
    answer(text=f"{shown}'s {card.plan.quarter.label} plan", blocks=card_blocks(card))


def turn_page(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    db: Database,
    actor: Actor,
    now: dt.datetime,
) -> None:
    """Another page of the clicker's reports, in place of this one."""
    ack()
    answer = partial(tell, respond=respond, client=client, slack_user_id=actor.slack_user_id)
    page = read_id(_value(body)) if _value(body) != "0" else 0
    if page == NO_ID:
        answer(text=OUT_OF_DATE)
        return
    team = home.team_overview(db, actor=actor, now=now)
    answer(
        text="Your team",
        blocks=team_page_blocks(team.rows, page=page),
        replace_original=True,
    )


def open_request(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    db: Database,
    actor: Actor,
) -> None:
    """From the digest: the plan waiting for the clicker, with what changed and
    their buttons, seen by them alone (the plan id is only a hint: the use case
    checks from the database what the clicker may see)."""
    ack()
    request = plans.open_request(db, actor=actor, plan_id=read_id(_value(body)))
    tell(
        respond=respond,
        client=client,
        slack_user_id=actor.slack_user_id,
        text=f"{escape_mrkdwn(request.owner_name)}'s {request.plan.quarter.label} plan",
        blocks=proposal_blocks(
            request.plan,
            owner_name=request.owner_name,
            manager_name=request.manager_name,
            changes=request.changes,
        ),
    )
