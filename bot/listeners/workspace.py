"""Joining: the onboarding modal and the settings modal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.blocks import onboarding, settings
from bot.blocks.builder import builder_for
from bot.db.session import Database
from bot.domain.errors import DomainError, ValidationError
from bot.ids import Callback
from bot.listeners.profiles import slack_profile
from bot.listeners.running import Registrar
from bot.usecases import workspace
from bot.usecases.common import Actor
from bot.usecases.workspace import SettingsInput


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
            channel_id=typed.channel_id,
            now=now,
        )
    except ValidationError as error:
        ack(response_action="errors", errors=onboarding.errors_for(error))
        return
    ack(response_action="update", view=builder_for(opened.plan))


def settings_submitted(ack: Ack, view: dict[str, Any], db: Database, actor: Actor) -> None:
    try:
        typed = settings.read_settings(view)
        workspace.save_settings(
            db,
            actor=actor,
            settings=SettingsInput(
                fiscal_start_month=typed.fiscal_start_month,
                leaders_channel_id=typed.leaders_channel_id,
                default_stretch=typed.stretch,
                team_channel_id=typed.team_channel_id,
                checkin_weekday=typed.checkin_weekday,
                checkin_time=typed.checkin_time,
                timezone=typed.timezone,
            ),
        )
    except DomainError as error:
        ack(response_action="errors", errors=settings.errors_for(error))
        return
    ack()
