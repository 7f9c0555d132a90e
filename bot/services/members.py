"""Workspaces, members, managers and teams."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, contains_eager

from bot.db.models import ManagerAssignment, Member, Team, Workspace
from bot.domain.calendar import DEFAULT_GRACE_DAYS, MONDAY_TO_FRIDAY, calendar_of
from bot.domain.errors import NotFound, ValidationError
from bot.domain.keys import is_id
from bot.domain.permissions import would_create_cycle
from bot.domain.quarters import zone
from bot.domain.raise_bar import validate_stretch
from bot.domain.rhythm import DEFAULT_REVIEW_WINDOW_DAYS
from bot.services.people import (
    MemberRef,
    assign_manager,
    load_member,
    managers_above,
    member_ref,
    remember,
)


@dataclass(frozen=True, kw_only=True)
class WorkspaceSettings:
    fiscal_start_month: int
    leaders_channel_id: str | None
    default_stretch: float
    review_window_days: int = DEFAULT_REVIEW_WINDOW_DAYS
    grace_days: int = DEFAULT_GRACE_DAYS
    working_days: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[dt.date] = frozenset()


@dataclass(frozen=True, kw_only=True)
class TeamSettings:
    id: int
    channel_id: str
    checkin_weekday: int
    checkin_time: dt.time
    timezone: str
    stretch: float | None
    holidays: frozenset[dt.date] = frozenset()


# Built once: building a statement costs more CPU than running it (these run
# on most requests: who is acting, and names for a card).
ACTING = (
    select(Member)
    .join(Workspace, Workspace.id == Member.workspace_id)
    .where(
        Workspace.slack_team_id == bindparam("slack_team_id"),
        Member.slack_user_id == bindparam("slack_user_id"),
    )
    # Most use cases go on to read the workspace: loaded with the member.
    .options(contains_eager(Member.workspace))
)
MANY = select(Member).where(Member.id.in_(bindparam("member_ids", expanding=True)))


class MemberService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def ensure_workspace(self, *, slack_team_id: str, name: str = "") -> int:
        session = self._session
        return _ensure_workspace(session, slack_team_id=slack_team_id, name=name).id

    def ensure_member(
        self,
        *,
        slack_team_id: str,
        slack_user_id: str,
        display_name: str | None = None,
        timezone: str | None = None,
        is_slack_admin: bool | None = None,
        locale: str | None = None,
    ) -> MemberRef:
        """The member for a Slack user, created on first sight; profile facts
        (name, time zone, admin, locale) are refreshed when given."""
        if display_name is None and timezone is None and is_slack_admin is None:
            # Every request looks up who is acting: one read, no write, for
            # the everyday case of someone already here.
            session = self._session
            found = session.scalar(
                ACTING, {"slack_team_id": slack_team_id, "slack_user_id": slack_user_id}
            )
            if found is not None:
                return member_ref(remember(found))
        # Two first requests of a new user (or workspace) may race to insert
        # it: the loser's IntegrityError ends its transaction, and the use
        # case runs again (bot/services/__init__.py), finding the winner's row.
        return self._ensure_member(
            slack_team_id=slack_team_id,
            slack_user_id=slack_user_id,
            display_name=display_name,
            timezone=timezone,
            is_slack_admin=is_slack_admin,
            locale=locale,
        )

    def _ensure_member(
        self,
        *,
        slack_team_id: str,
        slack_user_id: str,
        display_name: str | None,
        timezone: str | None,
        is_slack_admin: bool | None,
        locale: str | None = None,
    ) -> MemberRef:
        session = self._session
        workspace = _ensure_workspace(session, slack_team_id=slack_team_id)
        member = session.scalar(
            select(Member).where(
                Member.workspace_id == workspace.id, Member.slack_user_id == slack_user_id
            )
        )
        if member is None:
            member = Member(workspace_id=workspace.id, slack_user_id=slack_user_id)
            session.add(member)
        if display_name is not None:
            member.display_name = display_name
        if timezone is not None:
            zone(timezone)
            member.timezone = timezone
        if is_slack_admin is not None:
            member.is_slack_admin = is_slack_admin
        if locale:
            member.locale = locale
        session.flush()
        return member_ref(remember(member))

    def get(self, member_id: int) -> MemberRef:
        session = self._session
        return member_ref(load_member(session, member_id))

    def get_held(self, member_id: int) -> MemberRef:
        """The member, their row held until this transaction ends (PostgreSQL's
        FOR UPDATE; SQLite has one writer anyway): two requests writing what
        one manager's digest lists read it one after the other, each seeing
        the other's write, never both missing each other's."""
        if not is_id(member_id):
            raise NotFound("That person is not using myplan yet.")
        member = self._session.get(Member, member_id, with_for_update=True, populate_existing=True)
        if member is None:
            raise NotFound("That person is not using myplan yet.")
        return member_ref(member)

    def many(self, member_ids: Iterable[int]) -> dict[int, MemberRef]:
        """Several members in one read (names for a plan card, say); ids of
        nobody are left out."""
        wanted = set(member_ids)
        if not wanted:
            return {}
        session = self._session
        found = session.scalars(MANY, {"member_ids": sorted(wanted)})
        return {member.id: member_ref(member) for member in found}

    def set_manager(
        self,
        *,
        member_id: int,
        manager_id: int | None,
        changed_by_id: int | None,
        now: dt.datetime,
        no_manager: bool = False,
    ) -> MemberRef:
        """Change a member's manager, keeping the history. Refuses a loop
        (nobody manages their own manager) and a manager from another workspace.
        Without a manager, ``no_manager`` is the member's statement that they
        have none in this workspace (else their plan waits for one)."""
        session = self._session
        member = load_member(session, member_id)
        if manager_id is not None:
            manager = load_member(session, manager_id)
            if manager.workspace_id != member.workspace_id:
                raise ValidationError({"manager": "Choose someone in this workspace."})
            if would_create_cycle(
                member_id=member_id,
                manager_id=manager_id,
                managers_of_manager=managers_above(session, manager_id),
            ):
                raise ValidationError(
                    {
                        "manager": "That person reports to you, directly or not: "
                        "they can't be your manager."
                    }
                    if manager_id != member_id
                    else {"manager": "You can't be your own manager."}
                )
        member.has_no_manager = manager_id is None and no_manager
        assign_manager(
            session, member=member, manager_id=manager_id, changed_by_id=changed_by_id, now=now
        )
        return member_ref(member)

    def manager_history(
        self, member_id: int
    ) -> list[tuple[int | None, dt.datetime, dt.datetime | None]]:
        session = self._session
        rows = session.execute(
            select(
                ManagerAssignment.manager_id,
                ManagerAssignment.started_at,
                ManagerAssignment.ended_at,
            )
            .where(ManagerAssignment.member_id == member_id)
            .order_by(ManagerAssignment.started_at, ManagerAssignment.id)
        )
        return [(manager, started, ended) for manager, started, ended in rows]

    def mark_onboarded(self, *, member_id: int, now: dt.datetime) -> None:
        session = self._session
        load_member(session, member_id).onboarded_at = now

    def configure_team(
        self,
        *,
        workspace_id: int,
        channel_id: str,
        name: str = "",
        checkin_weekday: int = 0,
        checkin_time: dt.time = dt.time(9, 0),
        timezone: str = "UTC",
        stretch: float | None = None,
        leader_id: int | None = None,
    ) -> int:
        """Create or update the team that checks in to ``channel_id``."""
        errors: dict[str, str] = {}
        if not 0 <= checkin_weekday <= 6:
            errors["checkin_weekday"] = "Choose a day of the week."
        try:
            zone(timezone)
        except ValidationError as error:
            errors.update(error.errors)
        if stretch is not None:
            try:
                validate_stretch(stretch)
            except ValidationError as error:
                errors.update(error.errors)
        if errors:
            raise ValidationError(errors)
        session = self._session
        team = session.scalar(
            select(Team).where(Team.workspace_id == workspace_id, Team.channel_id == channel_id)
        )
        if team is None:
            team = Team(workspace_id=workspace_id, channel_id=channel_id)
            session.add(team)
        team.name = name or team.name
        team.checkin_weekday = checkin_weekday
        team.checkin_time = checkin_time
        team.timezone = timezone
        team.stretch = stretch
        team.leader_id = leader_id
        session.flush()
        return team.id

    def join_team(self, *, member_id: int, team_id: int | None) -> MemberRef:
        session = self._session
        member = load_member(session, member_id)
        if team_id is not None:
            team = session.get(Team, team_id)
            if team is None or team.workspace_id != member.workspace_id:
                raise ValidationError({"team": "Choose one of this workspace's teams."})
        member.team_id = team_id
        session.flush()
        return member_ref(member)

    def workspace_settings(self, *, member_id: int) -> WorkspaceSettings:
        session = self._session
        workspace = load_member(session, member_id).workspace
        return WorkspaceSettings(
            fiscal_start_month=workspace.fiscal_start_month,
            leaders_channel_id=workspace.leaders_channel_id,
            default_stretch=workspace.default_stretch,
            review_window_days=workspace.review_window_days,
            grace_days=workspace.grace_days,
            working_days=calendar_of(workspace.working_days).working_weekdays,
            holidays=calendar_of("", workspace.holidays).holidays,
        )

    def team_for_channel(self, *, workspace_id: int, channel_id: str) -> int | None:
        session = self._session
        return session.scalar(
            select(Team.id).where(Team.workspace_id == workspace_id, Team.channel_id == channel_id)
        )

    def find(self, *, workspace_id: int, slack_user_id: str) -> MemberRef | None:
        session = self._session
        member = session.scalar(
            select(Member).where(
                Member.workspace_id == workspace_id, Member.slack_user_id == slack_user_id
            )
        )
        return None if member is None else member_ref(remember(member))

    def mark_uninstalled(self, *, slack_team_id: str, now: dt.datetime) -> None:
        session = self._session
        workspace = session.scalar(
            select(Workspace).where(Workspace.slack_team_id == slack_team_id)
        )
        if workspace is not None:
            workspace.uninstalled_at = now

    def mark_installed(self, *, slack_team_id: str, name: str = "") -> bool:
        """The app is installed in the workspace (again): the scheduler serves
        it from its next due time. True when it had been marked uninstalled
        (a workspace myplan has not seen yet is created by its first request)."""
        session = self._session
        workspace = session.scalar(
            select(Workspace).where(Workspace.slack_team_id == slack_team_id)
        )
        if workspace is None or workspace.uninstalled_at is None:
            return False
        workspace.uninstalled_at = None
        workspace.name = name or workspace.name
        return True

    def slack_team_of(self, *, workspace_id: int) -> str:
        session = self._session
        return session.get_one(Workspace, workspace_id).slack_team_id


def _ensure_workspace(session: Session, *, slack_team_id: str, name: str = "") -> Workspace:
    workspace = session.scalar(select(Workspace).where(Workspace.slack_team_id == slack_team_id))
    if workspace is None:
        workspace = Workspace(slack_team_id=slack_team_id, name=name)
        session.add(workspace)
        session.flush()
    elif name:
        workspace.name = name
    return workspace
