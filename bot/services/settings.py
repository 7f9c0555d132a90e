"""Settings: who may change them (from the database), the settings admins,
the workspace's settings and a team's rhythm."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.db.models import Member, Team, Workspace
from bot.domain.calendar import calendar_of, store_holidays, store_working_days
from bot.services.members import TeamSettings
from bot.services.people import load_member
from bot.services.standards import team_leader


@dataclass(frozen=True, kw_only=True)
class Rights:
    """What a member may change in settings, read from the database now."""

    is_admin: bool
    led_team_ids: tuple[int, ...]  # the teams whose lead they are, by id

    def leads(self, team_id: int | None) -> bool:
        return team_id is not None and team_id in self.led_team_ids


class SettingsService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def rights(self, *, member_id: int, slack_admin: bool | None) -> Rights:
        """``slack_admin`` is what Slack's users.info says now; None (Slack
        could not be asked) grants nothing, rather than trusting an old answer."""
        member = load_member(self._session, member_id)
        return Rights(
            is_admin=bool(slack_admin) or member.is_settings_admin,
            led_team_ids=self.teams_led(member_id=member.id),
        )

    def teams_led(self, *, member_id: int) -> tuple[int, ...]:
        """The teams whose lead (``team_leader``) the member is, by id."""
        session = self._session
        member = load_member(session, member_id)
        reports_teams = select(Member.team_id).where(
            Member.manager_id == member.id, Member.team_id.is_not(None)
        )
        candidates = session.scalars(
            select(Team.id)
            .where(
                Team.workspace_id == member.workspace_id,
                or_(Team.leader_id == member.id, Team.id.in_(reports_teams)),
            )
            .order_by(Team.id)
        )
        return tuple(team for team in candidates if team_leader(session, team) == member.id)

    def team(self, *, team_id: int | None, workspace_id: int) -> TeamSettings | None:
        """The team, when it is one of this workspace's (an id from a payload may not be)."""
        if team_id is None:
            return None
        team = self._session.get(Team, team_id)
        if team is None or team.workspace_id != workspace_id:
            return None
        return TeamSettings(
            id=team.id,
            channel_id=team.channel_id,
            checkin_weekday=team.checkin_weekday,
            checkin_time=team.checkin_time,
            timezone=team.timezone,
            stretch=team.stretch,
            holidays=calendar_of("", team.holidays).holidays,
        )

    def team_at(self, *, channel_id: str, workspace_id: int) -> TeamSettings | None:
        team_id = self._session.scalar(
            select(Team.id).where(Team.workspace_id == workspace_id, Team.channel_id == channel_id)
        )
        return self.team(team_id=team_id, workspace_id=workspace_id)

    def settings_admins(self, *, workspace_id: int) -> tuple[str, ...]:
        """The settings admins' Slack user ids."""
        return tuple(
            self._session.scalars(
                select(Member.slack_user_id)
                .where(Member.workspace_id == workspace_id, Member.is_settings_admin)
                .order_by(Member.slack_user_id)
            )
        )

    def admins_to_tell(self, *, workspace_id: int) -> tuple[str, ...]:
        """The settings admins still here, else the Slack admins myplan knows of
        (as users.info last said): Slack user ids."""
        for flag in (Member.is_settings_admin, Member.is_slack_admin):
            found = tuple(
                self._session.scalars(
                    select(Member.slack_user_id)
                    .where(
                        Member.workspace_id == workspace_id,
                        flag,
                        Member.deactivated_at.is_(None),
                    )
                    .order_by(Member.slack_user_id)
                )
            )
            if found:
                return found
        return ()

    def name_settings_admins(
        self, *, actor_id: int, member_ids: Iterable[int], now: dt.datetime
    ) -> None:
        """Exactly these members of the actor's workspace are settings admins
        now (those newly named, by ``actor_id``); whoever was one and is not
        listed is one no longer."""
        session = self._session
        actor = load_member(session, actor_id)
        wanted = set(member_ids)
        members = session.scalars(
            select(Member).where(
                Member.workspace_id == actor.workspace_id,
                or_(Member.is_settings_admin, Member.id.in_(wanted)),
            )
        )
        for member in members:
            if member.id in wanted and not member.is_settings_admin:
                member.is_settings_admin = True
                member.settings_admin_by_id = actor.id
                member.settings_admin_since = now
            elif member.id not in wanted:
                member.is_settings_admin = False
                member.settings_admin_by_id = None
                member.settings_admin_since = None
        session.flush()

    def update_workspace(
        self,
        *,
        workspace_id: int,
        fiscal_start_month: int | None = None,
        leaders_channel_id: str | None = None,
        change_leaders_channel: bool = False,
        default_stretch: float | None = None,
        review_window_days: int | None = None,
        grace_days: int | None = None,
        working_days: frozenset[int] | None = None,
        holidays: frozenset[dt.date] | None = None,
    ) -> None:
        """The workspace settings given (None: unchanged); rights are the caller's to check."""
        workspace = self._session.get_one(Workspace, workspace_id)
        if review_window_days is not None:
            workspace.review_window_days = review_window_days
        if grace_days is not None:
            workspace.grace_days = grace_days
        if working_days is not None:
            workspace.working_days = store_working_days(working_days)
        if holidays is not None:
            workspace.holidays = store_holidays(holidays)
        if fiscal_start_month is not None:
            workspace.fiscal_start_month = fiscal_start_month
        if change_leaders_channel:
            workspace.leaders_channel_id = leaders_channel_id
        if default_stretch is not None:
            workspace.default_stretch = default_stretch

    def update_team(
        self,
        *,
        team_id: int,
        channel_id: str,
        checkin_weekday: int,
        checkin_time: dt.time,
        timezone: str,
        stretch: float | None = None,
        holidays: frozenset[dt.date] | None = None,
    ) -> None:
        """A team's rhythm and channel (and its stretch and holidays, when
        given); values and rights are the caller's to check."""
        team = self._session.get_one(Team, team_id)
        if holidays is not None:
            team.holidays = store_holidays(holidays)
        team.channel_id = channel_id
        team.checkin_weekday = checkin_weekday
        team.checkin_time = checkin_time
        team.timezone = timezone
        if stretch is not None:
            team.stretch = stretch
        self._session.flush()
