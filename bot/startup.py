"""What each command checks before it starts, each problem as one sentence.

Used by bot/cli.py (which stops on the first failed check, before anything is
migrated or started) and by bot/doctor.py (which runs them all).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.config import ConfigError, Settings
from bot.db.migrate import current_revision, head_revision


def safe_url(database_url: str) -> str:
    return make_url(database_url).render_as_string(hide_password=True)


@dataclass(frozen=True)
class TokenInfo:
    team: str
    team_id: str
    bot_user_id: str
    scopes: frozenset[str] | None  # from the x-oauth-scopes header; None if Slack sent none


def database_problem(error: OperationalError | DBAPIError) -> str:
    reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    return f"could not use the database named by DATABASE_URL ({reason})."


def check_token(settings: Settings, client: WebClient) -> TokenInfo:
    """auth.test with the bot token; raises ConfigError with one sentence."""
    # slack_sdk logs every failed attempt, a dozen lines for an unreachable host;
    # the sentence below says it once.
    sdk_log = logging.getLogger("slack_sdk.web.base_client")
    level = sdk_log.level
    sdk_log.setLevel(logging.CRITICAL)
    try:
        response = client.auth_test()
    except SlackApiError as error:
        code = str(error.response.get("error") or error.response.status_code)
        raise ConfigError(
            f"Slack refused SLACK_BOT_TOKEN ({code}): copy the Bot User OAuth Token "
            "(xoxb-...) from your app's OAuth & Permissions page, reinstalling the app "
            "if it was revoked."
        ) from None
    except Exception as error:  # any transport failure: DNS, refused, TLS, timeout
        reason = str(getattr(error, "reason", None) or error) or error.__class__.__name__
        raise ConfigError(
            f"Slack could not be reached at SLACK_API_URL {settings.slack_api_url} ({reason}): "
            "check the network and proxy, or SLACK_API_URL."
        ) from None
    finally:
        sdk_log.setLevel(level)
    header = next(
        (value for name, value in response.headers.items() if name.lower() == "x-oauth-scopes"),
        None,
    )
    scopes = frozenset(s.strip() for s in str(header).split(",") if s.strip()) if header else None
    return TokenInfo(
        team=str(response.get("team") or ""),
        team_id=str(response.get("team_id") or ""),
        bot_user_id=str(response.get("user_id") or ""),
        scopes=scopes,
    )


def schema_problem(engine: Engine) -> str | None:
    """None when the database is at this myplan's newest schema, else the sentence.
    Raises SQLAlchemy's OperationalError when the database is unreachable."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    where = safe_url(engine.url.render_as_string(hide_password=False))
    if current is None:
        return (
            f"The database at {where} has no myplan schema yet: run `myplan migrate` "
            "(the Procfile's release step) first."
        )
    return (
        f"The database at {where} is at schema {current}, not {head}, the newest this "
        "myplan knows: run `myplan migrate` (or install the myplan that migrated it)."
    )
