"""Events: the App Home, people changing in Slack, and uninstalls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.listener.builtins import TokenRevocationListeners
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import InstallationStore

from bot.blocks.home import home_view
from bot.db.session import Database
from bot.listeners.people import tell_departure, tell_left_channel
from bot.listeners.profiles import profile_of
from bot.listeners.running import Registrar
from bot.outbox.store import OutboxStore
from bot.usecases import home, people, workspace
from bot.usecases.common import Actor


def register(on: Registrar) -> None:
    for event, handler in handlers().items():
        on.event(event, handler)


def handlers() -> dict[str, Callable[..., None]]:
    """Every event the app subscribes to (the manifest must declare the same)."""
    return {
        "app_home_opened": home_opened,
        "app_uninstalled": uninstalled,
        "tokens_revoked": uninstalled,
        "user_change": user_changed,
        "member_left_channel": left_channel,
    }


def home_opened(
    event: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    if event.get("tab", "home") != "home":
        return
    shown = home.open_home(db, actor=actor, now=now)
    view = home_view(
        plan=shown.plan,
        owner_name=shown.owner_name,
        manager_name=shown.manager_name,
        checked_in_this_week=shown.checked_in_this_week,
        past=shown.past,
        team=shown.team,
        public_plans=shown.public_plans,
        today=shown.today,
        conversation=shown.conversation,
    )
    client.views_publish(user_id=shown.slack_user_id, view=view)


def uninstalled(
    event: dict[str, Any],
    context: BoltContext,
    db: Database,
    now: dt.datetime,
    installations: InstallationStore | None,
) -> None:
    """The app was uninstalled, or its bot token revoked: the workspace gets
    nothing more until it installs the app again; Bolt's own token revocation
    listeners delete the stored OAuth installation (many workspaces)."""
    if not context.team_id:
        return
    tokens = event.get("tokens")
    bot_revoked = isinstance(tokens, dict) and bool(tokens.get("bot"))
    if event.get("type") == "app_uninstalled" or bot_revoked:
        workspace.uninstalled(db, slack_team_id=context.team_id, now=now)
    if installations is None:
        return
    revocations = TokenRevocationListeners(installations)
    if event.get("type") == "app_uninstalled":
        revocations.handle_app_uninstalled_events(context)
    elif isinstance(tokens, dict):
        revocations.handle_tokens_revoked_events(event, context)


def user_changed(
    event: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    db: Database,
    outbox: OutboxStore,
    now: dt.datetime,
) -> None:
    """Someone's Slack profile changed: their name and zone are kept; a
    deactivated user is a leaver, whose team and reports hear of it."""
    user = event.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str) or not context.team_id:
        return
    changed = people.user_changed(
        db,
        slack_team_id=context.team_id,
        slack_user_id=user["id"],
        profile=profile_of(user),
        now=now,
    )
    if changed.left is not None:
        tell_departure(client, outbox, left=changed.left, now=now)


def left_channel(
    event: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    db: Database,
    outbox: OutboxStore,
    now: dt.datetime,
) -> None:
    """Someone left a channel: if it was their team's, they left the team."""
    user, channel = event.get("user"), event.get("channel")
    if not isinstance(user, str) or not isinstance(channel, str) or not context.team_id:
        return
    left = people.left_channel(
        db, slack_team_id=context.team_id, slack_user_id=user, channel_id=channel, now=now
    )
    if left is not None:
        tell_left_channel(client, outbox, left=left, now=now)
