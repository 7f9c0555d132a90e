"""The Bolt app, built by a factory so tests can build as many as they like."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot import listeners
from bot.config import Settings
from bot.db.session import Database
from bot.listeners.running import ListenerRunner, Registrar
from bot.outbox.store import OutboxStore
from bot.slack_http import PooledWebClient, use_pooled_client
from bot.usecases import workspace
from bot.usecases.common import Actor

log = logging.getLogger(__name__)
Clock = Callable[[], dt.datetime]


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# The bot scopes of manifest.yml, asked for by OAuth installs (README: "Scopes").
BOT_SCOPES = (
    "commands",
    "chat:write",
    "users:read",
    "channels:read",
    "groups:read",
    "channels:history",
    "groups:history",
    "im:history",
    "im:write",
    "files:write",
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def make_client(
    settings: Settings, *, token: str | None = None, use_settings_token: bool = True
) -> WebClient:
    """A WebClient on kept-alive connections (bot/slack_http.py) that rides out
    429s (waiting Retry-After), 5xx and dropped connections."""
    return PooledWebClient(
        token=token or (settings.slack_bot_token if use_settings_token else None),
        base_url=settings.slack_api_url,
        retry_handlers=[
            RateLimitErrorRetryHandler(max_retry_count=5),
            ServerErrorRetryHandler(max_retry_count=2),
            ConnectionErrorRetryHandler(max_retry_count=2),
        ],
    )


def installation_store(settings: Settings, database: Database) -> SQLAlchemyInstallationStore:
    assert settings.slack_client_id is not None
    return SQLAlchemyInstallationStore(client_id=settings.slack_client_id, engine=database.engine)


def on_install(database: Database) -> CallbackOptions:
    """Bolt's OAuth callback, once the installation is stored: a workspace
    installing the app again resumes (see bot/usecases/workspace.py:installed),
    then Bolt's own page says it worked."""

    def success(args: SuccessArgs) -> BoltResponse:
        team_id = args.installation.team_id
        if team_id:
            workspace.installed(
                database, slack_team_id=team_id, name=args.installation.team_name or ""
            )
        return args.default.success(args)

    def failure(args: FailureArgs) -> BoltResponse:
        return args.default.failure(args)

    return CallbackOptions(success=success, failure=failure)


def oauth_for(
    settings: Settings, *, database: Database, installations: SQLAlchemyInstallationStore
) -> OAuthSettings:
    """Many workspaces: each install's bot token is kept by slack_sdk's store,
    in our database (bot/db/oauth.py), and Bolt picks it per request."""
    assert settings.slack_client_id is not None
    assert settings.slack_client_secret is not None
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=installations,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=database.engine),
        callback_options=on_install(database),
    )


def create_app(
    settings: Settings,
    *,
    db: Database | None = None,
    client: WebClient | None = None,
    clock: Clock = utcnow,
    runner: ListenerRunner | None = None,
) -> App:
    settings.require_slack()
    database = db or Database(settings.database_url)
    outbox = OutboxStore(database)
    installations = installation_store(settings, database) if settings.oauth_mode else None
    app = App(
        client=client or make_client(settings, use_settings_token=not settings.oauth_mode),
        oauth_settings=(
            None
            if installations is None
            else oauth_for(settings, database=database, installations=installations)
        ),
        signing_secret=settings.slack_signing_secret,
        # Bolt waits for each listener before responding; every listener is
        # wrapped by the app's ListenerRunner, which hands it to a pool and
        # returns as soon as it acks (see listeners/running.py): acks go back
        # at once, and the listeners carry on after them.
        process_before_response=True,
    )

    app.use(use_pooled_client)

    @app.middleware
    def attach_context(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        # Who the payload says is acting: only a name to look up. Use cases
        # read the member, and what they may do, from the database.
        context["db"] = database
        context["outbox"] = outbox
        context["now"] = clock()
        # The stored OAuth installations (many workspaces), which an uninstall deletes.
        context["installations"] = installations
        if context.user_id and context.team_id:
            context["actor"] = Actor(slack_team_id=context.team_id, slack_user_id=context.user_id)
        return next()

    @app.error
    def on_error(error: Exception, body: dict[str, Any]) -> None:
        log.exception(
            "unhandled error in a listener (payload type %s)", body.get("type"), exc_info=error
        )

    listeners.register(Registrar(app, runner or ListenerRunner()))
    return app
