"""The conversation on a plan: comment, answer, suggest an edit, apply it, and
the manager's side of the plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.blocks import conversation
from bot.blocks.plan_card import card_blocks
from bot.blocks.primitives import Blocks, mrkdwn_section
from bot.blocks.text import escape_mrkdwn, truncate
from bot.db.session import Database
from bot.domain.errors import DomainError
from bot.domain.keys import read_id
from bot.ids import Action, Callback
from bot.listeners.posts import ask_manager, mark_stale_requests
from bot.listeners.replies import dm, tell
from bot.listeners.running import Registrar
from bot.outbox.erasure import about_metadata
from bot.outbox.store import OutboxStore
from bot.payloads import button_value
from bot.usecases import conversation as talk
from bot.usecases.common import Actor

OUT_OF_DATE = "That button is out of date: open the plan again with `/myplan`."


def register(on: Registrar) -> None:
    on.action(Action.COMMENT.value, comment)
    on.action(Action.ANSWER.value, comment)
    on.action(Action.SUGGEST.value, suggest)
    on.action(Action.APPLY_SUGGESTION.value, apply)
    on.action(Action.MANAGER_SIDE.value, manager_side)
    on.action(Action.MANAGER_ONE_ON_ONE.value, one_on_one)
    on.view(Callback.COMMENT.value, comment_submitted)
    on.view(Callback.SUGGESTION.value, suggestion_submitted)
    on.view(Callback.MANAGER_SIDE.value, manager_side_submitted)


def _tell(respond: Respond, client: WebClient, *, actor: Actor, text: str) -> None:
    tell(respond=respond, client=client, slack_user_id=actor.slack_user_id, text=text)


def comment(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, db: Database, actor: Actor
) -> None:
    """Comment on a plan, or answer one of its comments (the Answer button)."""
    ack()
    value = button_value(body)
    plan_id = read_id(value.get("plan"))
    answering = body["actions"][0].get("action_id") == Action.ANSWER.value
    # A forged id is refused as a plan (or comment) one may not see, by the use case.
    reply_to = read_id(value.get("comment")) if answering else None
    form = talk.open_comment(db, actor=actor, plan_id=plan_id, reply_to=reply_to)
    client.views_open(
        trigger_id=body["trigger_id"],
        view=conversation.comment_modal(
            plan_id=form.plan_id, owner_name=form.owner_name, reply_to=form.reply_to
        ),
    )


def comment_submitted(
    ack: Ack, view: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    try:
        typed = conversation.read_comment(view)
        done = talk.comment_on_plan(
            db,
            actor=actor,
            plan_id=typed.plan_id,
            text=typed.text,
            reply_to=typed.reply_to,
            now=now,
        )
    except (DomainError, ValueError) as error:
        ack(response_action="errors", errors=conversation.comment_errors(error))
        return
    ack()
    _notify(client, done, author_slack_user_id=actor.slack_user_id)


def _notify(client: WebClient, done: talk.Commented, *, author_slack_user_id: str) -> None:
    """The person a comment is for hears it, with the plan and its conversation."""
    if done.to_slack_user_id is None:
        return
    author = escape_mrkdwn(done.author_name)
    whose = "your" if done.to_owner else "the"
    if done.is_suggestion:
        lines = "\n".join(f"• {escape_mrkdwn(line)}" for line in done.changes)
        note = f"\n>{escape_mrkdwn(done.text)}" if done.text else ""
        head = f"*{author}* suggests an edit to {whose} {done.quarter_label} plan:{note}\n{lines}"
        text = f"{done.author_name} suggests an edit to {whose} plan"
    else:
        verb = "answered a comment on" if done.is_answer else "commented on"
        head = f"*{author}* {verb} {whose} {done.quarter_label} plan:\n>{escape_mrkdwn(done.text)}"
        text = f"{done.author_name} {verb} {whose} plan"
    blocks: Blocks = [mrkdwn_section(truncate(head, 2900))]
    if done.card is not None:
        blocks += card_blocks(done.card)
    dm(
        client,
        done.to_slack_user_id,
        text=escape_mrkdwn(text),
        blocks=blocks[:50],
        # What the author wrote: deleted by this mark when they are forgotten.
        metadata=about_metadata(slack_user_id=author_slack_user_id),
    )


def suggest(ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor) -> None:
    """Suggest an edit: the builder on the plan, as the suggester would change it."""
    ack()
    plan_id = read_id(button_value(body).get("plan"))
    form = talk.open_suggestion(db, actor=actor, plan_id=plan_id)
    client.views_open(
        trigger_id=body["trigger_id"],
        view=conversation.suggestion_modal(form.plan, owner_name=form.owner_name),
    )


def suggestion_submitted(
    ack: Ack, view: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    try:
        typed, note = conversation.read_suggestion(view)
        done = talk.suggest_edit(
            db, actor=actor, plan_id=typed.plan_id, plan_input=typed.plan, note=note, now=now
        )
    except DomainError as error:
        ack(response_action="errors", errors=conversation.suggestion_errors(error, view=view))
        return
    ack()
    _notify(client, done, author_slack_user_id=actor.slack_user_id)


def apply(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    """The owner applies a suggested edit: one click, a new revision."""
    ack()
    comment_id = read_id(button_value(body).get("plan"))  # the button's value is the comment's id
    done = talk.apply_suggestion(db, actor=actor, comment_id=comment_id, now=now)
    _revised(
        client, db=db, outbox=outbox, actor=actor, now=now, done=done, what="Applied the suggestion"
    )


def manager_side(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, db: Database, actor: Actor
) -> None:
    ack()
    plan_id = read_id(button_value(body).get("plan"))
    form = talk.open_manager_side(db, actor=actor, plan_id=plan_id)
    client.views_open(
        trigger_id=body["trigger_id"],
        view=conversation.manager_side_modal(
            plan_id=form.plan_id, owner_name=form.owner_name, side=form.side
        ),
    )


def manager_side_submitted(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    try:
        plan_id, side = conversation.read_manager_side(view)
        done = talk.set_manager_side(db, actor=actor, plan_id=plan_id, side=side, now=now)
    except (DomainError, ValueError) as error:
        ack(response_action="errors", errors=conversation.manager_side_errors(error))
        return
    ack()
    _revised(client, db=db, outbox=outbox, actor=actor, now=now, done=done, what="Saved your side")


def _revised(
    client: WebClient,
    *,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
    done: talk.Revised,
    what: str,
) -> None:
    """The actor sees the new revision; whoever else has to acknowledge it is
    asked, with what changed."""
    plan = done.card.plan
    if not done.changes:
        dm(client, actor.slack_user_id, text=f"{what}: nothing changed.")
        return
    dm(
        client,
        actor.slack_user_id,
        text=f"{what}: the plan is at revision {plan.revision}.",
        blocks=card_blocks(done.card)[:50],
    )
    ask_manager(client, done.manager_request, outbox=outbox, now=now)
    asked = [done.owner_slack_user_id, actor.slack_user_id]
    if done.manager_request is not None:
        asked.append(done.manager_request.manager_slack_user_id)
    mark_stale_requests(client, slack_user_ids=asked, plan_id=plan.id, revision=plan.revision)
    if done.owner_request is not None:
        changes = "\n".join(f"• {escape_mrkdwn(line)}" for line in done.changes)
        head = (
            f"*{escape_mrkdwn(done.actor_name)}* changed your {plan.quarter.label} plan "
            f"(revision {plan.revision}): read it, then acknowledge it.\n*What changed*\n{changes}"
        )
        dm(
            client,
            done.owner_slack_user_id,
            text=f"{escape_mrkdwn(done.actor_name)} changed your plan (revision {plan.revision})",
            blocks=[mrkdwn_section(truncate(head, 2900)), *card_blocks(done.owner_request)][:50],
        )


def one_on_one(
    ack: Ack, body: dict[str, Any], client: WebClient, respond: Respond, db: Database, actor: Actor
) -> None:
    """The manager's own answer on their copy of a check-in."""
    ack()
    value = button_value(body)
    plan_id, met, week = read_id(value.get("plan")), value.get("met"), value.get("week")
    try:
        monday = dt.date.fromisoformat(week) if isinstance(week, str) else None
    except ValueError:
        monday = None
    if not isinstance(met, bool) or monday is None:
        _tell(respond, client, actor=actor, text=OUT_OF_DATE)
        return
    name = talk.answer_one_on_one(db, actor=actor, plan_id=plan_id, week=monday, happened=met)
    said = "happened" if met else "did not happen"
    _tell(
        respond,
        client,
        actor=actor,
        text=f"Noted: your 1:1 with {escape_mrkdwn(name)} in the week of {monday:%b %-d} {said}.",
    )
