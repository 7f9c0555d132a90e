"""`myplan doctor`: a checklist of what is wrong and how to fix it (PRODUCT section 6).

Each check prints one line, ``ok`` or ``FAIL`` with the fix; any failure
makes the exit status 1. Checks that depend on a failed one are skipped
(settings before anything, the database before the teams).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.config import ConfigError, Settings
from bot.db.models import Team, Workspace
from bot.db.session import Database
from bot.startup import check_token, database_problem, schema_problem


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        if self.ok:
            return f"ok    {self.name}: {self.detail}"
        return f"FAIL  {self.name}: {self.detail}" + (f" Fix: {self.fix}" if self.fix else "")


ClientMaker = Callable[[Settings, str | None], WebClient]


def _client(settings: Settings, token: str | None) -> WebClient:
    from bot.app import make_client

    return make_client(settings, token=token)


def run(env: Mapping[str, str] | None = None, *, client: ClientMaker = _client) -> list[Check]:
    checks: list[Check] = []
    try:
        settings = Settings.from_env(os.environ if env is None else env)
    except ConfigError as error:
        return [Check("settings", False, str(error), "set the variables as it says and rerun.")]
    missing = settings.missing_slack()
    if missing:
        return [Check("settings", False, missing)]
    mode = "OAuth installs (SLACK_CLIENT_ID)" if settings.oauth_mode else "one workspace"
    checks.append(Check("settings", True, f"{mode}, Slack at {settings.slack_api_url}"))

    database = Database(settings.database_url)
    try:
        try:
            problem = schema_problem(database.engine)
        except (OperationalError, DBAPIError) as error:
            checks.append(Check("database", False, database_problem(error), "check DATABASE_URL."))
            return checks
        if problem:
            checks.append(Check("database", False, problem))
            return checks
        checks.append(Check("database", True, "reachable, schema at the newest revision"))
        checks.extend(_slack_checks(settings, database, client=client))
        checks.extend(_team_checks(database))
    finally:
        database.dispose()
    return checks


def _tokens(settings: Settings, database: Database) -> list[tuple[str, str | None]]:
    """(label, token) for each workspace the bot posts to."""
    if not settings.oauth_mode:
        return [("SLACK_BOT_TOKEN", settings.slack_bot_token)]
    from bot.app import installation_store

    store = installation_store(settings, database)
    with database.sessions() as session:
        team_ids = list(session.scalars(select(Workspace.slack_team_id)))
    tokens: list[tuple[str, str | None]] = []
    for team_id in team_ids:
        bot = store.find_bot(enterprise_id=None, team_id=team_id)
        tokens.append((f"the token installed in {team_id}", bot.bot_token if bot else None))
    return tokens


def _slack_checks(settings: Settings, database: Database, *, client: ClientMaker) -> list[Check]:
    from bot.app import BOT_SCOPES

    checks: list[Check] = []
    for label, token in _tokens(settings, database):
        if token is None:
            checks.append(Check("token", False, f"{label}: none stored.", "install the app again."))
            continue
        web = client(settings, token)
        try:
            info = check_token(settings, web)
        except ConfigError as error:
            checks.append(Check("token", False, str(error)))
            continue
        checks.append(Check("token", True, f"{label} is the bot of {info.team or 'the workspace'}"))
        if info.scopes is None:
            checks.append(Check("scopes", False, "Slack sent no x-oauth-scopes header."))
        else:
            lacking = sorted(set(BOT_SCOPES) - info.scopes)
            extra = sorted(info.scopes - set(BOT_SCOPES))
            if lacking or extra:
                detail = "; ".join(
                    part
                    for part in (
                        f"lacks {', '.join(lacking)}" if lacking else "",
                        f"has {', '.join(extra)}, which myplan does not use" if extra else "",
                    )
                    if part
                )
                checks.append(
                    Check(
                        "scopes",
                        False,
                        f"{label} {detail}.",
                        "set the app's bot scopes to manifest.yml's (OAuth & Permissions, "
                        "or update the app from manifest.yml) and reinstall it.",
                    )
                )
            else:
                checks.append(
                    Check("scopes", True, f"exactly manifest.yml's: {', '.join(BOT_SCOPES)}")
                )
        checks.extend(_channel_checks(database, web, slack_team_id=info.team_id))
    return checks


def _channel_checks(database: Database, web: WebClient, *, slack_team_id: str) -> list[Check]:
    with database.sessions() as session:
        query = select(Workspace)
        if slack_team_id:
            query = query.where(Workspace.slack_team_id == slack_team_id)
        workspaces = list(session.scalars(query))
        channels: list[tuple[str, str | None]] = []
        for workspace in workspaces:
            channels.append(("the leaders channel", workspace.leaders_channel_id))
            channels.extend(
                (f"team {team.name or team.id}'s channel", team.channel_id)
                for team in session.scalars(select(Team).where(Team.workspace_id == workspace.id))
            )
    checks: list[Check] = []
    for label, channel in channels:
        name = f"channel {label}"
        if not channel:
            checks.append(
                Check(name, False, f"{label} is not set.", "choose it with `/myplan settings`.")
            )
            continue
        try:
            # The manifest's scopes allow history, not conversations.info: a channel
            # the bot is not in answers not_in_channel.
            web.conversations_history(channel=channel, limit=1)
        except SlackApiError as error:
            code = str(error.response.get("error") or error.response.status_code)
            fix = {
                "not_in_channel": f"in <#{channel}>, type `/invite @myplan`.",
                "channel_not_found": "the channel is gone or private to the bot: "
                "choose another with `/myplan settings`, or `/invite @myplan` there.",
                "missing_scope": "reinstall the app with manifest.yml's scopes.",
            }.get(code, "see Slack's error code.")
            checks.append(Check(name, False, f"{label} {channel}: {code}.", fix))
            continue
        checks.append(Check(name, True, f"the bot is in {label} {channel}"))
    return checks


def _team_checks(database: Database) -> list[Check]:
    checks: list[Check] = []
    with database.sessions() as session:
        teams = list(session.scalars(select(Team).order_by(Team.id)))
    for team in teams:
        label = f"team {team.name or team.id}"
        problems: list[str] = []
        if not team.channel_id:
            problems.append("has no check-in channel")
        try:
            if not team.timezone:
                raise ZoneInfoNotFoundError
            ZoneInfo(team.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            problems.append(f"has no valid time zone ({team.timezone or 'none'})")
        if problems:
            checks.append(
                Check(
                    label,
                    False,
                    f"{label} {' and '.join(problems)}.",
                    "set them with `/myplan settings` (an admin).",
                )
            )
        else:
            checks.append(Check(label, True, f"channel {team.channel_id}, {team.timezone}"))
    return checks


def main(env: Mapping[str, str] | None = None) -> int:
    checks = run(env)
    for check in checks:
        print(check.line())
    failed = [check for check in checks if not check.ok]
    print(f"{len(failed)} problem(s) found." if failed else "Everything checks out.")
    return 1 if failed else 0
