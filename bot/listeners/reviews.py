"""The quarterly review: open it, close the quarter, approve the team's standards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks import review
from bot.blocks.plan_card import card_blocks
from bot.blocks.text import escape_mrkdwn
from bot.db.session import Database
from bot.domain.commitments import Direction, format_number
from bot.domain.errors import DomainError
from bot.domain.keys import NO_ID, read_id
from bot.ids import Action, Callback
from bot.listeners.replies import dm
from bot.listeners.running import Registrar
from bot.usecases import reviews
from bot.usecases.common import Actor


def register(on: Registrar) -> None:
    on.action(Action.REVIEW.value, review_clicked)
    on.view(Callback.REVIEW.value, review_submitted)
    on.action(Action.APPROVE_STANDARDS.value, approve_standards)
    on.action(Action.REVIEW_EARLY.value, review_early_clicked)
    on.action(Action.UNDO_CLOSE.value, undo_close_clicked)
    on.action(Action.APPLY_BARS.value, apply_bars_clicked)


def _button_id(body: dict[str, Any]) -> int | None:
    """The id a button names; None if forged (not an id a column can hold)."""
    value = read_id(body["actions"][0].get("value"))
    return None if value == NO_ID else value


def review_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    ack()
    plan_id = _button_id(body)
    if plan_id is None:
        dm(client, actor.slack_user_id, text="That button is out of date: use `/myplan review`.")
        return
    form = reviews.open_review(db, actor=actor, plan_id=plan_id, now=now)
    if isinstance(form, str):
        dm(client, actor.slack_user_id, text=form)
        return
    client.views_open(
        trigger_id=body["trigger_id"],
        view=review.review_modal(form.proposal, editable=form.editable),
    )


def review_submitted(
    ack: Ack, view: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    typed = review.read_submission(view)
    try:
        next_plan = reviews.complete_review(
            db,
            actor=actor,
            plan_id=typed.plan_id,
            reflection=typed.reflection,
            chosen=typed.chosen,
            reason=typed.reason,
            now=now,
        )
    except DomainError as error:
        ack(response_action="errors", errors=review.errors_for(error, view=view))
        return
    ack()
    closed = next_plan.closed
    text, blocks = review.closed_blocks(
        plan_id=typed.plan_id,
        quarter_label=closed.quarter_label if closed else "",
        next_label=next_plan.next_plan.plan.quarter.label,
        early_until=(
            next_plan.next_plan.plan.quarter.previous().last_day
            if closed is not None and closed.closed_by == "early"
            else None
        ),
        carried=closed is None or closed.carried,
    )
    dm(client, actor.slack_user_id, text=text, blocks=[*blocks, *card_blocks(next_plan.next_plan)])


def review_early_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    """Confirmed: the review modal, before the window opens (the close is early)."""
    ack()
    plan_id = _button_id(body)
    form = (
        reviews.open_review(db, actor=actor, plan_id=plan_id, now=now)
        if plan_id is not None
        else "That button is out of date: use `/myplan review`."
    )
    if isinstance(form, str):
        dm(client, actor.slack_user_id, text=form)
        return
    client.views_open(
        trigger_id=body["trigger_id"],
        view=review.review_modal(form.proposal, editable=form.editable),
    )


def undo_close_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    ack()
    plan_id = _button_id(body)
    if plan_id is None:
        dm(
            client,
            actor.slack_user_id,
            text="That button is out of date: use `/myplan review undo`.",
        )
        return
    try:
        reopened = reviews.undo_early_close(db, actor=actor, plan_id=plan_id, now=now)
    except DomainError as error:
        dm(client, actor.slack_user_id, text=str(error))
        return
    if isinstance(reopened, str):
        dm(client, actor.slack_user_id, text=reopened)
        return
    dm(
        client,
        actor.slack_user_id,
        text=f"{reopened.plan.quarter.label} is open again: check in as before.",
        blocks=card_blocks(reopened),
    )


def apply_bars_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    ack()
    plan_id = _button_id(body)
    if plan_id is None:
        dm(client, actor.slack_user_id, text="That button is out of date.")
        return
    try:
        card = reviews.apply_bars(db, actor=actor, plan_id=plan_id)
    except DomainError as error:
        dm(client, actor.slack_user_id, text=str(error))
        return
    dm(
        client,
        actor.slack_user_id,
        text=f"Your {card.plan.quarter.label} plan takes the new bars.",
        blocks=card_blocks(card),
    )


def approve_standards(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    ack()
    team_id = _button_id(body)
    if team_id is None:
        dm(client, actor.slack_user_id, text="That button is out of date.")
        return
    approved = reviews.approve_standards(db, actor=actor, team_id=team_id, now=now)
    bars = ", ".join(
        f"{standard.title} ≥ {format_number(standard.minimum)}"
        if standard.direction is Direction.UP
        else f"{standard.title} ≤ {format_number(standard.minimum)}"
        for standard in approved
        if standard.minimum is not None
    )
    dm(
        client,
        actor.slack_user_id,
        text=f"Approved. The team's standards: {escape_mrkdwn(bars)}.",
    )
