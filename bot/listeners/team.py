"""The team view (`/myplan team`): a report's plan opened, another page of reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack, Respond

from bot.blocks.forms import SLACK_ID
from bot.blocks.plan_card import card_blocks, team_page_blocks
from bot.blocks.text import escape_mrkdwn
from bot.db.session import Database
from bot.domain.keys import NO_ID, read_id
from bot.ids import Action
from bot.listeners.running import Registrar
from bot.usecases import home, plans
from bot.usecases.common import Actor

OUT_OF_DATE = "That button is out of date: type `/myplan team` again."


def register(on: Registrar) -> None:
    on.action(Action.OPEN_REPORT.value, open_report)
    on.action(Action.TEAM_PAGE.value, turn_page)


def _value(body: dict[str, Any]) -> str:
    value = body["actions"][0].get("value")
    return value if isinstance(value, str) else ""


def open_report(
    ack: Ack, body: dict[str, Any], respond: Respond, db: Database, actor: Actor, now: dt.datetime
) -> None:
    """A report's plan, as the clicker may see it (checked from the database:
    the button's user id is only a hint), below the team view."""
    ack()
    slack_user_id = _value(body)
    if not SLACK_ID.fullmatch(slack_user_id):
        respond(text=OUT_OF_DATE, replace_original=False)
        return
    name, card = plans.someones_plan(db, actor=actor, slack_user_id=slack_user_id, now=now)
    shown = escape_mrkdwn(name) if name else "They"
    if card is None:
        respond(text=f"{shown} have no plan you can see this quarter.", replace_original=False)
        return
    respond(
        blocks=card_blocks(card),
        text=f"{shown}'s {card.plan.quarter.label} plan",
        replace_original=False,
    )


def turn_page(
    ack: Ack, body: dict[str, Any], respond: Respond, db: Database, actor: Actor, now: dt.datetime
) -> None:
    """Another page of the clicker's reports, in place of this one."""
    ack()
    page = read_id(_value(body)) if _value(body) != "0" else 0
    if page == NO_ID:
        respond(text=OUT_OF_DATE, replace_original=False)
        return
    team = home.team_overview(db, actor=actor, now=now)
    respond(blocks=team_page_blocks(team.rows, page=page), text="Your team", replace_original=True)
