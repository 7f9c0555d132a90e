"""Joining: the onboarding modal and the settings modal."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks import onboarding, settings
from bot.blocks.builder import builder_for
from bot.db.session import Database
from bot.domain import fields
from bot.domain.errors import DomainError, ValidationError
from bot.domain.quarters import zone
from bot.domain.settings import WORKSPACE_FIELDS
from bot.ids import Callback
from bot.listeners.profiles import slack_profile
from bot.listeners.running import Registrar
from bot.usecases import settings as usecase
from bot.usecases import workspace
from bot.usecases.common import Actor
from bot.usecases.settings import SettingsInput, TeamInput, WorkspaceInput

SLACK_USER = re.compile(r"[UW][A-Z0-9]{2,31}")


def register(on: Registrar) -> None:
    on.view(Callback.ONBOARDING.value, onboarding_submitted)
    on.view(Callback.SETTINGS.value, settings_submitted)


def onboarding_submitted(
    ack: Ack, view: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    typed = onboarding.read_submission(view)
    try:
        opened = workspace.complete_onboarding(
            db,
            actor=actor,
            # Names, time zone and admin flag come from Slack, kept from now on.
            profile=slack_profile(client, actor.slack_user_id),
            manager_slack_user_id=typed.manager_user_id,
            # The manager too: their name and zone, and whether they may be one.
            manager_profile=slack_profile(client, typed.manager_user_id)
            if typed.manager_user_id
            else None,
            no_manager=typed.no_manager,
            channel_id=typed.channel_id,
            now=now,
        )
    except ValidationError as error:
        ack(response_action="errors", errors=onboarding.errors_for(error))
        return
    ack(response_action="update", view=builder_for(opened.plan))


def settings_submitted(
    ack: Ack, view: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    typed = _settings_input(settings.read_submission(view), view)
    if isinstance(typed, ValidationError):
        ack(response_action="errors", errors=settings.errors_for(typed, view=view))
        return
    refused: DomainError | None
    try:
        refused = usecase.save_settings(
            db,
            actor=actor,
            # Admin rights are read from Slack again now: one demoted since the
            # modal opened has them no longer.
            profile=slack_profile(client, actor.slack_user_id),
            settings=typed,
            now=now,
        )
    except DomainError as error:
        refused = error
    if refused is not None:
        ack(response_action="errors", errors=settings.errors_for(refused, view=view))
        return
    ack()


def _settings_input(
    values: dict[str, Any], view: dict[str, Any]
) -> SettingsInput | ValidationError:
    """The submission, typed; what cannot be read is refused on its field."""
    errors: dict[str, str] = {}
    stretch = 0.10
    try:
        stretch = float(str(values.get(fields.STRETCH) or "10").strip().rstrip("%")) / 100
    except ValueError:
        errors[fields.STRETCH] = "Enter the stretch as a percentage, like 10."
    timezone = (values.get(fields.TIMEZONE) or "UTC").strip()
    try:
        zone(timezone)
    except ValidationError as error:
        errors[fields.TIMEZONE] = error.errors[fields.TIMEZONE]
    channel = values.get(fields.TEAM_CHANNEL)
    if not isinstance(channel, str) or not channel:
        errors[fields.TEAM_CHANNEL] = "Choose the team's channel."
    admins = values.get(fields.SETTINGS_ADMINS) or []
    if not isinstance(admins, list) or not all(
        isinstance(user, str) and SLACK_USER.fullmatch(user) for user in admins
    ):
        errors[fields.SETTINGS_ADMINS] = "Choose people of this workspace."
    if errors:
        return ValidationError(errors)
    hour, minute = (
        int(part) for part in str(values.get(fields.CHECKIN_TIME) or "09:00").split(":")
    )
    return SettingsInput(
        workspace=WorkspaceInput(
            submitted=frozenset(name for name in WORKSPACE_FIELDS if name in values),
            fiscal_start_month=int(values.get(fields.FISCAL_START_MONTH) or 1),
            leaders_channel_id=values.get(fields.LEADERS_CHANNEL) or None,
            default_stretch=stretch,
            settings_admins=tuple(admins),
        ),
        team=TeamInput(
            shown_team_id=settings.shown_team_id(view),
            channel_id=str(channel),
            checkin_weekday=int(values.get(fields.CHECKIN_WEEKDAY) or 0),
            checkin_time=dt.time(hour, minute),
            timezone=timezone,
        ),
    )
