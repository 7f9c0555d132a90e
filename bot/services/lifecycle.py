"""People come and go: what Slack's user_change says of someone myplan knows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain.errors import ValidationError
from bot.domain.quarters import zone
from bot.services.people import MemberRef, load_member, member_ref


class LifecycleService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def known(self, *, slack_team_id: str, slack_user_id: str) -> MemberRef | None:
        """The member for a Slack user, if myplan knows them (nobody is added)."""
        session = self._session
        found = session.scalar(
            select(m.Member)
            .join(m.Workspace, m.Workspace.id == m.Member.workspace_id)
            .where(
                m.Workspace.slack_team_id == slack_team_id,
                m.Member.slack_user_id == slack_user_id,
            )
        )
        return None if found is None else member_ref(found)

    def refresh(
        self, *, member_id: int, display_name: str, timezone: str | None, is_slack_admin: bool
    ) -> None:
        """Keep what Slack says now: a name (an empty one changes nothing), a
        time zone (one Python does not know changes nothing), the admin flag."""
        member = load_member(self._session, member_id)
        if display_name:
            member.display_name = display_name[:200]
        if timezone:
            try:
                zone(timezone)
            except ValidationError:
                pass
            else:
                member.timezone = timezone
        member.is_slack_admin = is_slack_admin

    def leave(self, *, member_id: int, now: dt.datetime) -> bool:
        """A deactivated Slack user is a leaver: out of every count and
        reminder from now on. False when they had left already."""
        member = load_member(self._session, member_id)
        if member.deactivated_at is not None:
            return False
        member.deactivated_at = now
        return True

    def come_back(self, *, member_id: int) -> bool:
        """A reactivated Slack user counts again. False when they never left."""
        member = load_member(self._session, member_id)
        if member.deactivated_at is None:
            return False
        member.deactivated_at = None
        return True
