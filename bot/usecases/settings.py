"""The settings modal: opened on what the actor may change, saved after
checking each changed field against their rights, read from the database
and from Slack (``profile``) at the moment of the write."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from bot.domain import fields
from bot.domain.calendar import DEFAULT_GRACE_DAYS, MONDAY_TO_FRIDAY
from bot.domain.errors import PermissionDenied, ValidationError
from bot.domain.quarters import zone
from bot.domain.raise_bar import validate_stretch
from bot.domain.rhythm import DEFAULT_REVIEW_WINDOW_DAYS
from bot.domain.settings import NEW_TEAM_ADMINS_ONLY, NOBODYS, TEAM_FIELDS, refusals
from bot.services import Services, use_case
from bot.services.members import TeamSettings, WorkspaceSettings
from bot.services.people import MemberRef
from bot.services.settings import Rights
from bot.usecases.common import Actor, Profile, acting


@dataclass(frozen=True, kw_only=True)
class SettingsForm:
    # None: the actor may change a team's part only (they lead it, and are no admin).
    workspace: WorkspaceSettings | None
    settings_admins: tuple[str, ...]  # Slack user ids
    team: TeamSettings | None


@dataclass(frozen=True, kw_only=True)
class WorkspaceInput:
    """The workspace part as submitted; ``submitted`` names the fields the
    submission carried (a team lead's modal carries none)."""

    submitted: frozenset[str] = frozenset()
    fiscal_start_month: int = 1
    leaders_channel_id: str | None = None
    default_stretch: float = 0.10
    settings_admins: tuple[str, ...] = ()  # Slack user ids
    review_window_days: int = DEFAULT_REVIEW_WINDOW_DAYS
    grace_days: int = DEFAULT_GRACE_DAYS
    working_days: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[dt.date] = frozenset()


@dataclass(frozen=True, kw_only=True)
class TeamInput:
    # The team the modal was opened on (its private_metadata): which team the
    # actor means, never a right; it is looked up in the actor's workspace.
    shown_team_id: int | None
    channel_id: str
    checkin_weekday: int
    checkin_time: dt.time
    timezone: str
    holidays: frozenset[dt.date] | None = None  # None: not submitted, unchanged


@dataclass(frozen=True, kw_only=True)
class SettingsInput:
    workspace: WorkspaceInput
    team: TeamInput


def _slack_admin(profile: Profile | None) -> bool | None:
    return None if profile is None else profile.is_slack_admin


@use_case
def open_settings(services: Services, *, actor: Actor, profile: Profile | None) -> SettingsForm:
    """The whole modal for admins; a team lead's team alone for its lead."""
    member = acting(services, actor, profile=profile)
    rights = services.settings.rights(member_id=member.id, slack_admin=_slack_admin(profile))
    workspace_id = member.workspace_id
    if rights.is_admin:
        return SettingsForm(
            workspace=services.members.workspace_settings(member_id=member.id),
            settings_admins=services.settings.settings_admins(workspace_id=workspace_id),
            team=services.settings.team(team_id=member.team_id, workspace_id=workspace_id),
        )
    if not rights.led_team_ids:
        raise PermissionDenied(NOBODYS)
    team_id = member.team_id if rights.leads(member.team_id) else rights.led_team_ids[0]
    return SettingsForm(
        workspace=None,
        settings_admins=(),
        team=services.settings.team(team_id=team_id, workspace_id=workspace_id),
    )


@dataclass(kw_only=True)
class _Now:
    """What the settings are now, for one submission."""

    workspace: WorkspaceSettings
    admins: tuple[str, ...]
    shown: TeamSettings | None  # the team the modal was opened on
    target: TeamSettings | None  # the team the submission changes (None: a new one)
    changed: set[str] = field(default_factory=set)


@use_case
def save_settings(
    services: Services,
    *,
    actor: Actor,
    profile: Profile | None,
    settings: SettingsInput,
    now: dt.datetime,
) -> ValidationError | None:
    """Each changed field is checked against the actor's rights now. A
    refusal or an invalid value is returned (by field) and changes no
    setting; what Slack said of the actor (a demotion, say) is kept even so."""
    member = acting(services, actor, profile=profile)
    rights = services.settings.rights(member_id=member.id, slack_admin=_slack_admin(profile))
    current = _read_now(services, member=member, team=settings.team)
    _find_changes(current, settings)
    errors = _invalid(settings)
    errors.update(
        refusals(
            current.changed,
            is_admin=rights.is_admin,
            leads_team=rights.leads(current.target.id if current.target else None),
        )
    )
    if current.target is None and not rights.is_admin:
        errors[fields.TEAM_CHANNEL] = NEW_TEAM_ADMINS_ONLY
    if errors:
        return ValidationError(errors)
    _write(services, member=member, rights=rights, current=current, settings=settings, now=now)
    return None


def _read_now(services: Services, *, member: MemberRef, team: TeamInput) -> _Now:
    workspace_id = member.workspace_id
    shown = services.settings.team(team_id=team.shown_team_id, workspace_id=workspace_id)
    # A channel that is a team's names that team; a new one moves the shown team there.
    at = services.settings.team_at(channel_id=team.channel_id, workspace_id=workspace_id)
    return _Now(
        workspace=services.members.workspace_settings(member_id=member.id),
        admins=services.settings.settings_admins(workspace_id=workspace_id),
        shown=shown,
        target=at if at is not None else shown,
    )


def _find_changes(current: _Now, settings: SettingsInput) -> None:
    given, ws = settings.workspace, current.workspace
    shown_stretch = (
        current.shown.stretch
        if current.shown and current.shown.stretch is not None
        else ws.default_stretch
    )
    differs = {
        fields.FISCAL_START_MONTH: given.fiscal_start_month != ws.fiscal_start_month,
        fields.LEADERS_CHANNEL: given.leaders_channel_id != ws.leaders_channel_id,
        fields.STRETCH: not math.isclose(given.default_stretch, shown_stretch),
        fields.SETTINGS_ADMINS: set(given.settings_admins) != set(current.admins),
        fields.REVIEW_WINDOW_DAYS: given.review_window_days != ws.review_window_days,
        fields.GRACE_DAYS: given.grace_days != ws.grace_days,
        fields.WORKING_DAYS: given.working_days != ws.working_days,
        fields.HOLIDAYS: given.holidays != ws.holidays,
    }
    current.changed.update(name for name, yes in differs.items() if yes and name in given.submitted)
    team, target = settings.team, current.target
    if target is None:
        current.changed.update(
            (fields.TEAM_CHANNEL, fields.CHECKIN_WEEKDAY, fields.CHECKIN_TIME, fields.TIMEZONE)
        )
        return
    team_differs = {
        fields.TEAM_CHANNEL: team.channel_id != target.channel_id,
        fields.CHECKIN_WEEKDAY: team.checkin_weekday != target.checkin_weekday,
        fields.CHECKIN_TIME: team.checkin_time != target.checkin_time,
        fields.TIMEZONE: team.timezone != target.timezone,
        fields.TEAM_HOLIDAYS: team.holidays is not None and team.holidays != target.holidays,
    }
    current.changed.update(name for name, yes in team_differs.items() if yes)


def _invalid(settings: SettingsInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    given = settings.workspace
    if fields.FISCAL_START_MONTH in given.submitted and not 1 <= given.fiscal_start_month <= 12:
        errors[fields.FISCAL_START_MONTH] = "Choose the month your fiscal year starts."
    if fields.STRETCH in given.submitted:
        try:
            validate_stretch(given.default_stretch)
        except ValidationError as error:
            errors[fields.STRETCH] = error.errors[fields.STRETCH]
    if not 0 <= settings.team.checkin_weekday <= 6:
        errors[fields.CHECKIN_WEEKDAY] = "Choose a day of the week."
    try:
        zone(settings.team.timezone)
    except ValidationError as error:
        errors.update(error.errors)
    return errors


def _write(
    services: Services,
    *,
    member: MemberRef,
    rights: Rights,
    current: _Now,
    settings: SettingsInput,
    now: dt.datetime,
) -> None:
    given, changed, team = settings.workspace, current.changed, settings.team
    stretch = given.default_stretch if fields.STRETCH in changed else None
    services.settings.update_workspace(
        workspace_id=member.workspace_id,
        fiscal_start_month=given.fiscal_start_month
        if fields.FISCAL_START_MONTH in changed
        else None,
        leaders_channel_id=given.leaders_channel_id,
        change_leaders_channel=fields.LEADERS_CHANNEL in changed,
        default_stretch=stretch,
        review_window_days=given.review_window_days
        if fields.REVIEW_WINDOW_DAYS in changed
        else None,
        grace_days=given.grace_days if fields.GRACE_DAYS in changed else None,
        working_days=given.working_days if fields.WORKING_DAYS in changed else None,
        holidays=given.holidays if fields.HOLIDAYS in changed else None,
    )
    if fields.SETTINGS_ADMINS in changed:
        slack_team_id = services.members.slack_team_of(workspace_id=member.workspace_id)
        named = [
            services.members.ensure_member(
                slack_team_id=slack_team_id, slack_user_id=slack_user_id
            ).id
            for slack_user_id in given.settings_admins
        ]
        services.settings.name_settings_admins(actor_id=member.id, member_ids=named, now=now)
    if current.target is None:
        services.members.configure_team(
            workspace_id=member.workspace_id,
            channel_id=team.channel_id,
            checkin_weekday=team.checkin_weekday,
            checkin_time=team.checkin_time,
            timezone=team.timezone,
            stretch=given.default_stretch if rights.is_admin else None,
        )
    elif changed & {*TEAM_FIELDS, fields.STRETCH}:
        services.settings.update_team(
            team_id=current.target.id,
            channel_id=team.channel_id,
            checkin_weekday=team.checkin_weekday,
            checkin_time=team.checkin_time,
            timezone=team.timezone,
            stretch=stretch,
            holidays=team.holidays if fields.TEAM_HOLIDAYS in changed else None,
        )
