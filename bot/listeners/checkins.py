"""Weekly check-ins: the modal, then the reply in the team's (and leaders') thread."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks import checkin, weeks
from bot.blocks.conversation import manager_copy_blocks
from bot.blocks.onboarding import onboarding_modal
from bot.db.session import Database
from bot.domain.errors import DomainError
from bot.domain.permissions import shown_in_full
from bot.ids import Action, Callback
from bot.listeners.replies import dm
from bot.listeners.running import Registrar
from bot.outbox.store import OutboxStore
from bot.outbox.threads import (
    ManagerCopy,
    TextFor,
    leaders_parent,
    post_leaders_reply,
    post_manager_copy,
    post_member_reply,
    thread_parent,
)
from bot.usecases import checkins
from bot.usecases.checkins import CheckinForm, CheckinSubmitted
from bot.usecases.common import Actor, NeedsOnboarding


def register(on: Registrar) -> None:
    on.action(Action.CHECKIN.value, checkin_clicked)
    on.action(Action.CHECKIN_WEEK.value, week_chosen)
    on.view(Callback.CHECKIN.value, checkin_submitted)


def checkin_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    ack()
    form = checkins.open_checkin(db, actor=actor, now=now, week=weeks.clicked_week(body))
    if isinstance(form, NeedsOnboarding):
        client.views_open(
            trigger_id=body["trigger_id"], view=onboarding_modal(manager=None, channel=None)
        )
        return
    if isinstance(form, str):
        dm(client, actor.slack_user_id, text=form)
        return
    client.views_open(
        trigger_id=body["trigger_id"],
        view=checkin.checkin_modal(
            form.plan, monday=form.monday, previous=form.previous, weeks=form.weeks
        ),
    )


def week_chosen(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    """The check-in modal's week picker: the modal reopens on the week chosen,
    with every answer that week has (none for a missed one)."""
    ack()
    view = body.get("view")
    week = weeks.chosen_week(body)
    view_id = view.get("id") if isinstance(view, dict) else None
    if not isinstance(view_id, str) or week is None:
        return  # a forged click: the picker lives in the modal, and names a week
    form = checkins.open_checkin(db, actor=actor, now=now, week=week)
    if isinstance(form, CheckinForm):
        hash_ = view.get("hash") if isinstance(view, dict) else None
        client.views_update(
            view_id=view_id,
            hash=hash_ if isinstance(hash_, str) else None,
            view=checkin.checkin_modal(
                form.plan, monday=form.monday, previous=form.previous, weeks=form.weeks
            ),
        )


def checkin_submitted(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    try:
        typed = checkin.read_submission(view)
        done = checkins.submit_checkin(
            db,
            actor=actor,
            plan_id=typed.plan_id,
            day=typed.monday,
            values=typed.values,
            confidence=typed.confidence,
            win=typed.win,
            blocker=typed.blocker,
            one_on_one_happened=typed.one_on_one,
            now=now,
        )
    except (DomainError, ValueError) as error:
        ack(response_action="errors", errors=checkin.errors_for(error, view=view))
        return
    ack()
    text_for = _reply_for(done)
    posted = _post_in_team_thread(client, outbox, done=done, text_for=text_for)
    if done.leader_seats is not None:
        posted = (
            post_leaders_reply(
                store=outbox,
                client=client,
                author=_Author(done),
                parent=leaders_parent(
                    monday=done.monday,
                    fiscal_start_month=done.plan.quarter.fiscal_start_month,
                    seats=done.leader_seats,
                ),
                text_for=text_for,
                now=now,
            )
            or posted
        )
    _copy_to_manager(client, outbox, done=done, now=now)
    if not posted:
        dm(client, actor.slack_user_id, text="Checked in. " + _whole(done))


def _reply_for(done: CheckinSubmitted) -> TextFor:
    """The reply's text for each channel: in full only where everyone there
    may see the plan, as the plan's visibility was read in the use case."""

    def text_for(channel_id: str) -> str:
        return _reply_text(
            done,
            in_full=shown_in_full(
                visibility=done.plan.content.visibility,
                channel_id=channel_id,
                team_channel_id=done.team_channel_id,
            ),
        )

    return text_for


def _whole(done: CheckinSubmitted) -> str:
    """The check-in in full, for its owner."""
    return _reply_text(done, in_full=True)


def _reply_text(done: CheckinSubmitted, *, in_full: bool) -> str:
    return checkin.reply_text(
        done.plan,
        name=done.member_name,
        confidence=done.confidence,
        win=done.win,
        blocker=done.blocker,
        values=done.values,
        in_full=in_full,
    )


def _copy_to_manager(
    client: WebClient, outbox: OutboxStore, *, done: CheckinSubmitted, now: dt.datetime
) -> None:
    """The direct manager sees the whole check-in, 1:1 answer included, in a DM."""
    if done.manager_id is None or done.manager_slack_user_id is None:
        return
    text = checkin.manager_copy_text(
        done.plan,
        name=done.member_name,
        confidence=done.confidence,
        win=done.win,
        blocker=done.blocker,
        values=done.values,
        one_on_one=done.one_on_one_happened,
        monday=done.monday,
        locale=done.manager_locale,
    )
    post_manager_copy(
        store=outbox,
        client=client,
        author=_Author(done),
        copy=ManagerCopy(
            plan_id=done.plan.id,
            monday=done.monday,
            manager_id=done.manager_id,
            manager_slack_user_id=done.manager_slack_user_id,
        ),
        text=text,
        blocks=manager_copy_blocks(text, plan_id=done.plan.id, monday=done.monday),
        now=now,
    )


class _Author:
    """Who checked in, as the outbox's threads name them."""

    def __init__(self, done: CheckinSubmitted) -> None:
        self.id = done.member_id
        self.workspace_id = done.workspace_id
        self.slack_user_id = done.member_slack_user_id


def _post_in_team_thread(
    client: WebClient, outbox: OutboxStore, *, done: CheckinSubmitted, text_for: TextFor
) -> bool:
    thread = done.team_thread
    if thread is None:
        return False
    parent = thread_parent(
        monday=done.monday,
        checkin_weekday=thread.team.checkin_weekday,
        fiscal_start_month=thread.team.fiscal_start_month,
        roster=thread.roster,
    )
    return post_member_reply(
        store=outbox,
        client=client,
        author=_Author(done),
        team_id=thread.team.id,
        plan_id=done.plan.id,
        text_for=text_for,
        parent=parent,
    )
