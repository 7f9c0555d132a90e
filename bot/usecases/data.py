"""Your data: export (a workspace's, a member's, or everything) and import;
forgetting a person; purging an uninstalled workspace after its retention."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.db.migrate import current_revision
from bot.db.models import Erasure
from bot.db.session import Database
from bot.services import Services, erasure, use_case
from bot.services.erasure import About
from bot.services.export import Imported, Scope, export, import_
from bot.services.export_csv import checkins_csv
from bot.services.rhythm import LeaderSeat, RosterRow, TeamRow


@dataclass(frozen=True, kw_only=True)
class Exported:
    document: dict[str, Any]  # the JSON export (bot/schemas/export.schema.json)
    checkins: str  # the scope's check-ins, as CSV


def export_data(
    db: Database, *, scope: Scope, now: dt.datetime, rows: bool = True, checkins: bool = True
) -> Exported:
    """The scope's rows as JSON (``rows``) and its check-ins as CSV
    (``checkins``), read in one transaction (one snapshot on PostgreSQL)."""
    schema = current_revision(db.engine)
    with db.sessions.begin() as session:
        return Exported(
            document=export(session, scope=scope, schema=schema, now=now) if rows else {},
            checkins=checkins_csv(session, scope=scope) if checkins else "",
        )


def import_data(db: Database, *, document: Any) -> Imported:
    """Restore an export, exactly, in one transaction: all of it or nothing."""
    schema = current_revision(db.engine)
    with db.sessions.begin() as session:
        return import_(session, document, schema=schema)


@dataclass(frozen=True, kw_only=True)
class AuditLine:
    """An erasure's audit line: who or what, when, how much; no content."""

    kind: str
    slack_team_id: str
    slack_user_id: str | None
    rows_deleted: int
    posts_deleted: int
    posts_kept: int

    @classmethod
    def of(cls, erasure: Erasure) -> AuditLine:
        return cls(
            kind=erasure.kind,
            slack_team_id=erasure.slack_team_id,
            slack_user_id=erasure.slack_user_id,
            rows_deleted=erasure.rows_deleted,
            posts_deleted=erasure.posts_deleted,
            posts_kept=erasure.posts_kept,
        )


def person_to_forget(db: Database, *, slack_team_id: str | None, slack_user_id: str) -> About:
    """Who is to be forgotten, and the bot's recorded posts about them."""
    with db.sessions.begin() as session:
        return erasure.about(
            session,
            erasure.find_member(session, slack_team_id=slack_team_id, slack_user_id=slack_user_id),
        )


def forget_person(
    db: Database,
    *,
    person: About,
    requested_by: str,
    now: dt.datetime,
    posts_deleted: int,
    posts_kept: int,
) -> AuditLine:
    """Erase the person's rows (after their posts were deleted), in one transaction."""
    with db.sessions.begin() as session:
        return AuditLine.of(
            erasure.forget(
                session,
                member_id=person.member_id,
                requested_by=requested_by,
                now=now,
                posts_deleted=posts_deleted,
                posts_kept=posts_kept,
            )
        )


def purge_expired(db: Database, *, now: dt.datetime, retention: dt.timedelta) -> list[AuditLine]:
    """Purge each workspace uninstalled longer than ``retention`` ago, each in
    its own transaction (a reinstall meanwhile keeps it)."""
    with db.sessions.begin() as session:
        due = erasure.purge_due(session, now=now, retention=retention)
    purged = []
    for slack_team_id in due:
        with db.sessions.begin() as session:
            line = erasure.purge(session, slack_team_id=slack_team_id, now=now)
            if line is not None:
                purged.append(AuditLine.of(line))
    return purged


@dataclass(frozen=True, kw_only=True)
class Recounts:
    """The weekly threads a forgotten person was counted in, as they count now."""

    workspace_id: int
    fiscal_start_month: int
    teams: list[tuple[TeamRow, dt.date, list[RosterRow]]]
    leaders: list[tuple[dt.date, list[LeaderSeat]]]


@use_case
def recounts(services: Services, *, person: About) -> Recounts:
    """Read after the person's rows are gone: each thread's roster without them."""
    teams = {team.id: team for team in services.rhythm.teams()}
    fiscal_start_month = next(
        (t.fiscal_start_month for t in teams.values() if t.workspace_id == person.workspace_id),
        1,
    )
    counted = []
    for team_id, monday in person.team_weeks:
        team = teams.get(team_id)
        if team is not None:
            roster = services.rhythm.roster(
                team_id=team.id,
                prompt_day=monday + dt.timedelta(days=team.checkin_weekday),
                fiscal_start_month=team.fiscal_start_month,
            )
            counted.append((team, monday, roster))
    return Recounts(
        workspace_id=person.workspace_id,
        fiscal_start_month=fiscal_start_month,
        teams=counted,
        leaders=[
            (
                monday,
                services.rhythm.leaders_roster(
                    workspace_id=person.workspace_id,
                    monday=monday,
                    fiscal_start_month=fiscal_start_month,
                ),
            )
            for monday in person.leader_weeks
        ],
    )
