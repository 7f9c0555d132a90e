"""People change: `/myplan manager @someone`, `/myplan team #channel`, and
what myplan says to whoever a change concerns."""

from __future__ import annotations

import datetime as dt
import re

from slack_sdk import WebClient

from bot.blocks.text import escape_mrkdwn
from bot.db.session import Database
from bot.listeners.posts import ask_manager
from bot.listeners.profiles import channel_membership, slack_profile
from bot.listeners.replies import dm
from bot.outbox.delivery import deliver
from bot.outbox.erasure import about_metadata
from bot.outbox.keys import left_channel_key, manager_left_key
from bot.outbox.store import OutboxStore
from bot.outbox.threads import refresh_parent, thread_parent
from bot.usecases import people
from bot.usecases.common import Actor

# A person or a channel as an escaped slash command carries them: <@U123|sam>, <#C123|sales>.
MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")
NO_MANAGER_WORDS = frozenset({"none", "nobody", "no one"})
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MANAGER_USAGE = (
    "Mention your manager, like `/myplan manager @sam`, or `/myplan manager none` "
    "if you have none in this workspace."
)
TEAM_USAGE = (
    "Mention your team's check-in channel, like `/myplan team #sales-team` "
    "(pick it from the list Slack offers as you type #)."
)


def name_manager(
    client: WebClient,
    *,
    db: Database,
    outbox: OutboxStore,
    actor: Actor,
    now: dt.datetime,
    text: str,
) -> str:
    """Change the actor's manager; returns what to tell them. The named person
    is read from Slack's users.info before the use case keeps them."""
    word = text.strip()
    if word.lower() in NO_MANAGER_WORDS:
        slack_user_id = None
    else:
        mention = MENTION.match(word)
        if mention is None:
            return MANAGER_USAGE
        slack_user_id = mention.group(1)
    changed = people.change_manager(
        db,
        actor=actor,
        # Both names come from Slack: the named person is told who named them.
        profile=slack_profile(client, actor.slack_user_id),
        manager_slack_user_id=slack_user_id,
        manager_profile=slack_profile(client, slack_user_id) if slack_user_id else None,
        now=now,
    )
    if changed.manager_name is None:
        if changed.activated:
            return (
                "You have no manager in myplan now. Your plan is active: with no manager, "
                "your acknowledgement is enough."
            )
        return "You have no manager in myplan now: your acknowledgement alone makes a plan active."
    manager = escape_mrkdwn(changed.manager_name)
    if changed.unchanged:
        return f"{manager} is your manager already."
    if changed.manager_slack_user_id:
        dm(
            client,
            changed.manager_slack_user_id,
            text=f"{escape_mrkdwn(changed.owner_name)} named you as their manager in myplan: "
            "you will get their check-ins, and their plan to acknowledge.",
            metadata=about_metadata(slack_user_id=actor.slack_user_id),
        )
    if changed.request is not None:
        ask_manager(client, changed.request, outbox=outbox, now=now)
        if changed.stays_active:
            return (
                f"Your manager is now {manager}. Your plan stays active; it waits for their "
                f"acknowledgement of revision {changed.request.plan.revision}: I sent it to them."
            )
        return (
            f"Your manager is now {manager}. Your plan waits for their acknowledgement: "
            "I sent it to them."
        )
    return f"Your manager is now {manager}."


def move_team(client: WebClient, *, db: Database, actor: Actor, text: str) -> str:
    """Move the actor to the team that checks in to the channel mentioned;
    returns what to tell them. Their own zone is read from Slack first: a new
    team takes its creator's."""
    channel = CHANNEL.match(text.strip())
    if channel is None:
        return TEAM_USAGE
    moved = people.change_team(
        db,
        actor=actor,
        profile=slack_profile(client, actor.slack_user_id),
        channel_id=channel.group(1),
        channel_membership=channel_membership(
            client, channel_id=channel.group(1), slack_user_id=actor.slack_user_id
        ),
    )
    return (
        f"You check in to <#{moved.channel_id}> now: its weekly thread is posted each "
        f"{WEEKDAYS[moved.checkin_weekday]} at {moved.checkin_time:%H:%M} ({moved.timezone})."
    )


def tell_departure(
    client: WebClient, outbox: OutboxStore, *, left: people.Left, now: dt.datetime
) -> None:
    """Someone left: their team's thread counts them out at once, and each of
    their reports is told once (the outbox's key), and asked to name a new manager."""
    if left.recount is not None:
        recount_thread(client, outbox, workspace_id=left.workspace_id, recount=left.recount)
    for report in left.reports:
        deliver(
            store=outbox,
            client=client,
            workspace_id=left.workspace_id,
            key=manager_left_key(report.member_id, manager_id=left.member_id),
            kind="manager-left",
            channel=report.slack_user_id,
            due_at=now,
            now=now,
            text=manager_left_text(left.name, waiting_quarter=report.waiting_quarter),
        )


def manager_left_text(name: str, *, waiting_quarter: str | None) -> str:
    text = (
        f"{escape_mrkdwn(name)} has left the workspace, so you have no manager in myplan "
        "for now. Name your new manager with `/myplan manager @someone` "
        "(or `/myplan manager none` if you have none here)."
    )
    if waiting_quarter:
        text += f" Until then your {waiting_quarter} plan waits for their acknowledgement."
    return text


def recount_thread(
    client: WebClient, outbox: OutboxStore, *, workspace_id: int, recount: people.Recount
) -> None:
    """The team's weekly thread parent, counted again (someone left the team)."""
    refresh_parent(
        store=outbox,
        client=client,
        workspace_id=workspace_id,
        team_id=recount.team.id,
        parent=thread_parent(
            monday=recount.monday,
            checkin_weekday=recount.team.checkin_weekday,
            fiscal_start_month=recount.team.fiscal_start_month,
            roster=recount.roster,
        ),
    )


def tell_left_channel(
    client: WebClient, outbox: OutboxStore, *, left: people.LeftTeamChannel, now: dt.datetime
) -> None:
    """Someone left their team's channel: the thread counts them out, and they
    are told once where they stand."""
    recount_thread(client, outbox, workspace_id=left.workspace_id, recount=left.recount)
    deliver(
        store=outbox,
        client=client,
        workspace_id=left.workspace_id,
        key=left_channel_key(left.member_id, channel_id=left.channel_id, at=now),
        kind="left-channel",
        channel=left.slack_user_id,
        due_at=now,
        now=now,
        text=(
            f"You left <#{left.channel_id}>, so you no longer check in with its team. "
            "To check in with another, type `/myplan team #channel`."
        ),
    )
