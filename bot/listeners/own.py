"""One's own wins, comments and check-ins: `/myplan wins`, `comments`,
`checkins` list them; Edit and Delete change them, and what myplan posted
of them follows (chat.update, chat.delete), after the ack."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import own as blocks
from bot.blocks.text import escape_mrkdwn
from bot.db.session import Database
from bot.domain.errors import DomainError
from bot.domain.keys import read_id
from bot.ids import Action, Callback
from bot.listeners.posts import refresh_leaders_post
from bot.listeners.replies import tell
from bot.listeners.running import Registrar
from bot.outbox.erasure import Subject, delete_posts, find_marked
from bot.outbox.store import OutboxStore
from bot.outbox.threads import leaders_parent, refresh_leaders_parent, refresh_parent, thread_parent
from bot.services.own import CommentChange
from bot.usecases import own
from bot.usecases.common import Actor


def register(on: Registrar) -> None:
    on.action(Action.EDIT_WIN.value, edit_clicked)
    on.action(Action.EDIT_COMMENT.value, edit_clicked)
    on.action(Action.DELETE_WIN.value, delete_win)
    on.action(Action.DELETE_COMMENT.value, delete_comment)
    on.action(Action.DELETE_CHECKIN.value, delete_checkin)
    on.view(Callback.EDIT_ENTRY.value, entry_edited)


def _value(body: dict[str, Any]) -> str:
    actions = body.get("actions")
    action = actions[0] if isinstance(actions, list) and actions else {}
    value = action.get("value") if isinstance(action, dict) else None
    return value if isinstance(value, str) else ""


def _action_id(body: dict[str, Any]) -> str:
    actions = body.get("actions")
    action = actions[0] if isinstance(actions, list) and actions else {}
    return str(action.get("action_id", "")) if isinstance(action, dict) else ""


def list_entries(db: Database, *, actor: Actor, kind: own.Kind) -> dict[str, Any]:
    """The answer to `/myplan wins|comments|checkins`: blocks and text."""
    entries = own.entries(db, actor=actor, kind=kind)
    return {"blocks": blocks.entries_blocks(kind.value, entries), "text": blocks.LISTS[kind][0]}


def edit_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor
) -> None:
    ack()
    kind = "win" if _action_id(body) == Action.EDIT_WIN.value else "comment"
    entry_id = read_id(_value(body))
    try:
        text = own.entry_text(db, actor=actor, kind=kind, entry_id=entry_id)
    except DomainError as error:
        tell(respond=None, client=client, slack_user_id=actor.slack_user_id, text=str(error))
        return
    client.views_open(
        trigger_id=body["trigger_id"],
        view=blocks.entry_modal(kind=kind, entry_id=entry_id, text=text),
    )


def entry_edited(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    context: BoltContext,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
) -> None:
    try:
        typed = blocks.read_entry_edit(view)
        if typed.kind == "win":
            post = own.edit_win(db, actor=actor, win_id=typed.id, text=typed.text)
        else:
            change = own.change_comment(db, actor=actor, comment_id=typed.id, text=typed.text)
    except DomainError as error:
        ack(response_action="errors", errors=blocks.entry_errors(error))
        return
    ack()
    if typed.kind == "win":
        refresh_leaders_post(client, outbox, post=post)
    else:
        _follow_comment(client, context=context, actor=actor, change=change)


def delete_win(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
) -> None:
    ack()
    try:
        post = own.edit_win(db, actor=actor, win_id=read_id(_value(body)), text=None)
    except DomainError as error:
        tell(respond=respond, client=client, slack_user_id=actor.slack_user_id, text=str(error))
        return
    refresh_leaders_post(client, outbox, post=post)
    tell(respond=respond, client=client, slack_user_id=actor.slack_user_id, text="Win deleted.")


def delete_comment(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    context: BoltContext,
    db: Database,
    actor: Actor,
) -> None:
    ack()
    try:
        change = own.change_comment(db, actor=actor, comment_id=read_id(_value(body)), text=None)
    except DomainError as error:
        tell(respond=respond, client=client, slack_user_id=actor.slack_user_id, text=str(error))
        return
    _follow_comment(client, context=context, actor=actor, change=change)
    tell(respond=respond, client=client, slack_user_id=actor.slack_user_id, text="Comment deleted.")


def _follow_comment(
    client: WebClient, *, context: BoltContext, actor: Actor, change: CommentChange
) -> None:
    """The DM that told the plan's owner of the comment now says what it says
    (or is deleted): found by its mark (the author) and the text it quoted."""
    before = escape_mrkdwn(change.before.strip())
    try:
        found = find_marked(
            client,
            user_id=change.owner_slack_user_id,
            bot_user_id=str(context.bot_user_id),
            about=Subject(member_id=0, slack_user_id=actor.slack_user_id),
            containing=before,
        )
        for channel, message in found[:1]:
            if change.after is None:
                delete_posts(client, [(channel, str(message["ts"]))])
                continue
            after = escape_mrkdwn(change.after.strip())
            edited = json.loads(
                json.dumps(message.get("blocks") or []).replace(
                    json.dumps(before)[1:-1], json.dumps(after)[1:-1]
                )
            )
            client.chat_update(
                channel=channel, ts=str(message["ts"]), text=str(message.get("text")), blocks=edited
            )
    except SlackApiError:
        pass  # the comment changed; its DM could not follow just now


def delete_checkin(
    ack: Ack,
    body: dict[str, Any],
    respond: Respond,
    client: WebClient,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
) -> None:
    ack()
    plan, _, week = _value(body).partition(":")
    try:
        monday = dt.date.fromisoformat(week)
        done = own.delete_checkin(db, actor=actor, plan_id=read_id(plan), monday=monday)
    except (DomainError, ValueError) as error:
        tell(respond=respond, client=client, slack_user_id=actor.slack_user_id, text=str(error))
        return
    delete_posts(client, done.removed.posts)
    if done.team is not None:
        refresh_parent(
            store=outbox,
            client=client,
            workspace_id=done.workspace_id,
            team_id=done.team.id,
            parent=thread_parent(
                monday=monday,
                checkin_weekday=done.team.checkin_weekday,
                fiscal_start_month=done.team.fiscal_start_month,
                roster=done.roster,
            ),
        )
    if done.leader_seats is not None:
        refresh_leaders_parent(
            store=outbox,
            client=client,
            workspace_id=done.workspace_id,
            parent=leaders_parent(
                monday=monday, fiscal_start_month=done.fiscal_start_month, seats=done.leader_seats
            ),
        )
    tell(
        respond=respond,
        client=client,
        slack_user_id=actor.slack_user_id,
        text=f"Your check-in of the week of {monday:%b %-d} is deleted, and its posts with it.",
    )
