"""The quarterly review: open it, close the quarter, approve the team's standards."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks import review
from bot.blocks.plan_card import card_blocks
from bot.blocks.primitives import mrkdwn_section
from bot.blocks.text import escape_mrkdwn, truncate
from bot.db.session import Database
from bot.domain.commitments import Direction, format_number
from bot.domain.errors import DomainError
from bot.domain.keys import NO_ID, read_id
from bot.ids import Action, Block, Callback
from bot.listeners.posts import refresh_digest
from bot.listeners.replies import dm
from bot.listeners.running import Registrar
from bot.outbox.store import OutboxStore
from bot.usecases import reviews
from bot.usecases.common import Actor


def register(on: Registrar) -> None:
    on.action(Action.REVIEW.value, review_clicked)
    on.view(Callback.REVIEW.value, review_submitted)
    on.view(Callback.MANAGER_REFLECTION.value, reflection_submitted)
    on.action(Action.APPROVE_STANDARDS.value, approve_standards)
    # Confirmed: the review modal before the window opens (the close is early).
    on.action(Action.REVIEW_EARLY.value, review_clicked)
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
    client.views_open(trigger_id=body["trigger_id"], view=review_form(form))


def review_form(form: reviews.ReviewForm) -> dict[str, Any]:
    return review.review_modal(
        form.proposal,
        editable=form.editable,
        reflects=form.reflects,
        conversation=form.conversation,
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
    closed = next_plan.how
    text, blocks = review.quarter_closed_blocks(
        plan_id=typed.plan_id,
        quarter_label=next_plan.quarter_label,
        next_label=next_plan.next_plan.plan.quarter.label,
        early_until=(
            next_plan.next_plan.plan.quarter.previous().last_day
            if closed is not None and closed.closed_by == "early"
            else None
        ),
        carried=closed is None or closed.carried,
    )
    dm(client, actor.slack_user_id, text=text, blocks=[*blocks, *card_blocks(next_plan.next_plan)])
    if next_plan.manager_slack_user_id:
        dm(
            client,
            next_plan.manager_slack_user_id,
            text=f"{escape_mrkdwn(next_plan.owner_name)} closed their {next_plan.quarter_label} "
            "review",
            blocks=review.closed_blocks(next_plan),
        )


def reflection_submitted(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    """The manager's reflection on their report's quarter: kept, and the owner told."""
    plan_id, text = review.read_manager_reflection(view)
    try:
        done = reviews.reflect_on_review(db, actor=actor, plan_id=plan_id, reflection=text, now=now)
    except DomainError as error:
        ack(
            response_action="errors",
            errors={Block.MANAGER_REFLECTION.value: review.message_of(error)},
        )
        return
    ack()
    dm(
        client,
        done.owner_slack_user_id,
        text=f"{escape_mrkdwn(done.manager_name)} reflected on your {done.quarter_label} plan",
        blocks=[
            mrkdwn_section(
                truncate(
                    f"*{escape_mrkdwn(done.manager_name)}* reflected on your "
                    f"{done.quarter_label} plan:\n>{escape_mrkdwn(done.reflection)}",
                    2900,
                )
            )
        ],
    )
    refresh_digest(client, done.digest, outbox=outbox, now=now)


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
