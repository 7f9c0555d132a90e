"""Plans: the builder, propose, acknowledge, comment, share, and saving a message."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.blocks import builder, conversation
from bot.blocks.forms import Unreadable
from bot.blocks.onboarding import onboarding_modal
from bot.blocks.plan_card import card_blocks
from bot.blocks.text import escape_mrkdwn
from bot.db.session import Database
from bot.domain.content import MAX_COMMITMENTS
from bot.domain.errors import DomainError, StaleRevision, ValidationError
from bot.domain.keys import NO_ID, read_id
from bot.ids import Action, Callback
from bot.listeners.posts import (
    ask_manager,
    mark_stale_requests,
    post_shared_plan,
    refresh_digest,
    refresh_leaders_post,
    tell_unshared,
)
from bot.listeners.replies import dm, tell
from bot.listeners.running import Registrar
from bot.outbox.erasure import about_metadata
from bot.outbox.store import OutboxStore
from bot.payloads import button_value, in_digest
from bot.usecases import plans, sharing
from bot.usecases.common import Actor, NeedsOnboarding

log = logging.getLogger(__name__)
OUT_OF_DATE = "That button is out of date: open the plan again with `/myplan`."


def register(on: Registrar) -> None:
    on.action(Action.EDIT.value, edit)
    on.action(Action.START.value, start)
    on.action(Action.ADD_COMMITMENT.value, add_commitment)
    on.action(Action.PROPOSE.value, propose)
    on.action(Action.ACKNOWLEDGE.value, acknowledge)
    on.action(Action.SHARE.value, share)
    on.action(Action.UNSHARE.value, unshare)
    on.view(Callback.PLAN_BUILDER.value, plan_submitted)
    on.view(Callback.SAVE_MESSAGE.value, message_saved)


def _plan_id(body: dict[str, Any]) -> int:
    """The plan a button names (NO_ID if forged). Only a hint: every use is
    checked against the database for what the clicking member may do."""
    return read_id(button_value(body).get("plan"))


def _tell(respond: Respond, client: WebClient, *, actor: Actor, text: str) -> None:
    tell(respond=respond, client=client, slack_user_id=actor.slack_user_id, text=text)


def edit(ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor) -> None:
    ack()
    opened = plans.edit_plan(db, actor=actor, plan_id=_plan_id(body))
    client.views_open(trigger_id=body["trigger_id"], view=builder.builder_for(opened.plan))


def start(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    ack()
    opened = plans.start_plan(db, actor=actor, now=now)
    view = (
        onboarding_modal(manager=None, channel=None)
        if isinstance(opened, NeedsOnboarding)
        else builder.builder_for(opened.plan)
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)


def add_commitment(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Re-render the builder with one more commitment slot, from what was typed
    so far: nothing is lost, and nothing is saved until the person submits."""
    ack()
    view = body.get("view")
    if not isinstance(view, dict):  # a forged click: the button lives in the builder
        raise Unreadable()
    typed = builder.read_submission(view)
    slots = min(MAX_COMMITMENTS, max(len(typed.plan.commitments), typed.slots) + 1)
    client.views_update(
        view_id=view["id"],
        hash=view["hash"],
        view=builder.plan_builder_modal(
            plan_id=typed.plan_id,
            quarter_label=typed.quarter_label,
            plan=typed.plan,
            slots=slots,
            manager_side=typed.manager_side,
        ),
    )


def propose(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    ack()
    proposed = plans.propose_plan(db, actor=actor, plan_id=_plan_id(body), now=now)
    if proposed.active:
        _tell(
            respond,
            client,
            actor=actor,
            text="Your plan is active: with no manager set, your acknowledgement is enough.",
        )
        return
    if proposed.needs_manager:
        _tell(
            respond,
            client,
            actor=actor,
            text="Proposed. It waits for a manager: name yours with `/myplan manager @someone`, "
            "and they are asked to acknowledge it.",
        )
        return
    ask_manager(client, proposed.manager_request, outbox=outbox, now=now)
    _tell(
        respond,
        client,
        actor=actor,
        text=f"Sent to {escape_mrkdwn(proposed.manager_name)} to acknowledge.",
    )


def acknowledge(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    ack()
    value = button_value(body)
    plan_id, revision = read_id(value.get("plan")), read_id(value.get("revision"))
    if NO_ID in (plan_id, revision):
        _tell(respond, client, actor=actor, text=OUT_OF_DATE)
        return
    try:
        done = plans.acknowledge_plan(db, actor=actor, plan_id=plan_id, revision=revision, now=now)
    except StaleRevision as stale:
        _mark_stale(body, respond, revision=revision, now_at=stale.revision)
        raise  # and the clicker is told why, as any refusal
    refresh_digest(client, done.digest, outbox=outbox, now=now)

    if done.owner_card is not None:
        text = (
            f":white_check_mark: {escape_mrkdwn(done.owner_name)}'s {done.quarter_label} plan "
            f"is active: both of you acknowledged revision {done.plan.revision}."
        )
        dm(client, done.owner_slack_user_id, text=text, blocks=card_blocks(done.owner_card))
        if done.manager_slack_user_id == actor.slack_user_id:
            # Where they clicked (their digest, say): a manager of thirty gets no DM per plan.
            _tell(respond, client, actor=actor, text=text)
        elif done.manager_slack_user_id:
            dm(
                client,
                done.manager_slack_user_id,
                text=text,
                metadata=about_metadata(slack_user_id=done.owner_slack_user_id),
            )
        return
    waiting = ", ".join(escape_mrkdwn(name) for name in done.waiting_names)
    _tell(
        respond,
        client,
        actor=actor,
        text=f"Acknowledged revision {done.plan.revision}. Waiting for {waiting}.",
    )


def _mark_stale(body: dict[str, Any], respond: Respond, *, revision: int, now_at: int) -> None:
    """The stale request the button was clicked in says so, in place (through
    the response_url Slack gave for that very message, never a payload's ids).
    A digest is left as it is: it was edited to the newer revision already."""
    if not respond.response_url or in_digest(body):
        return
    try:
        respond(
            replace_original=True,
            text=f"This asked you to acknowledge revision {revision}; the plan is at revision "
            f"{now_at} now. Acknowledge it from the newer request, or open it with `/myplan`.",
        )
    except Exception as error:  # expired or used up: the refusal still reaches them
        log.info("could not mark the stale request (%s)", error)


def share(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    ack()
    shared = sharing.share_plan(db, actor=actor, plan_id=_plan_id(body), now=now)
    _tell(respond, client, actor=actor, text=post_shared_plan(client, outbox, shared=shared))


def unshare(
    ack: Ack,
    body: dict[str, Any],
    client: WebClient,
    respond: Respond,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    ack()
    unshared = sharing.unshare_plan(db, actor=actor, plan_id=_plan_id(body), now=now)
    _tell(respond, client, actor=actor, text=tell_unshared(client, outbox, unshared=unshared))


def plan_submitted(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    try:
        typed = builder.read_submission(view)
        saved = plans.save_plan(
            db, actor=actor, plan_id=typed.plan_id, plan_input=typed.plan, now=now
        )
    except ValidationError as error:
        ack(response_action="errors", errors=builder.errors_for(error, view=view))
        return
    except (DomainError, ValueError) as error:
        ack(response_action="errors", errors=builder.refusal(str(error)))
        return
    ack()
    plan = saved.card.plan
    if saved.needs_acknowledgement_again:
        text = "Your plan changed: you and your manager acknowledge the new revision."
    elif saved.manager_request is not None:
        text = (
            f"Saved revision {plan.revision}: sent to "
            f"{escape_mrkdwn(saved.manager_request.manager_name)} to acknowledge, "
            "with what changed."
        )
    else:
        text = f"Saved your {plan.quarter.label} plan (revision {plan.revision})."
    dm(client, actor.slack_user_id, text=text, blocks=card_blocks(saved.card))
    ask_manager(client, saved.manager_request, outbox=outbox, now=now)
    if saved.manager_request is not None or saved.needs_acknowledgement_again:
        asked = saved.manager_request
        mark_stale_requests(
            client,
            slack_user_ids=[actor.slack_user_id, *([asked.manager_slack_user_id] if asked else [])],
            plan_id=plan.id,
            revision=plan.revision,
        )
    refresh_leaders_post(client, outbox, post=saved.leaders_post)


def message_saved(
    ack: Ack,
    view: dict[str, Any],
    client: WebClient,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
) -> None:
    typed = conversation.read_saved_message(view)
    try:
        post = plans.save_message(
            db,
            actor=actor,
            text=typed.text,
            as_feedback=typed.as_feedback,
            author=typed.author,
            link=typed.link,
            now=now,
        )
    except DomainError as error:
        ack(response_action="errors", errors=conversation.saved_message_errors(error))
        return
    ack()
    saved = "feedback to act on" if typed.as_feedback else "a win"
    dm(client, actor.slack_user_id, text=f"Saved to your plan as {saved}.")
    refresh_leaders_post(client, outbox, post=post)
