"""One's own wins, comments and check-ins: listed, edited, deleted; and what
the posts that showed them must become."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from bot.services import Services, use_case
from bot.services.own import CheckinRemoved, CommentChange, Entry
from bot.services.rhythm import LeaderSeat, RosterRow, TeamRow
from bot.usecases.common import Actor, acting
from bot.usecases.sharing import SharedPost, Withdrawn, leaders_post


class Kind(StrEnum):
    WINS = "wins"
    COMMENTS = "comments"
    CHECKINS = "checkins"


@use_case
def entries(services: Services, *, actor: Actor, kind: Kind) -> list[Entry]:
    """The actor's own wins (on their plans), comments (on any) or check-ins, newest first."""
    member = acting(services, actor)
    listed = {
        Kind.WINS: services.own.wins,
        Kind.COMMENTS: services.own.comments,
        Kind.CHECKINS: services.own.checkins,
    }[kind]
    return listed(member_id=member.id)


@use_case
def entry_text(services: Services, *, actor: Actor, kind: str, entry_id: int) -> str:
    """The text of the actor's own win or comment, to edit."""
    member = acting(services, actor)
    if kind == "win":
        return services.own.win_text(actor_id=member.id, win_id=entry_id)
    return services.own.comment_text(actor_id=member.id, comment_id=entry_id)


@use_case
def edit_win(
    services: Services, *, actor: Actor, win_id: int, text: str | None
) -> SharedPost | Withdrawn | None:
    """Change (``text``) or delete (None) a win on the actor's plan; returns
    what the plan's post in the leaders channel must become (its card lists wins)."""
    member = acting(services, actor)
    if text is None:
        plan_id = services.own.delete_win(actor_id=member.id, win_id=win_id)
    else:
        plan_id = services.own.edit_win(actor_id=member.id, win_id=win_id, text=text)
    return leaders_post(services, plan_id)


@use_case
def change_comment(
    services: Services, *, actor: Actor, comment_id: int, text: str | None
) -> CommentChange:
    """Edit (``text``) or delete (None) the actor's own comment."""
    member = acting(services, actor)
    return services.own.change_comment(actor_id=member.id, comment_id=comment_id, text=text)


@dataclass(frozen=True, kw_only=True)
class CheckinDeleted:
    """A check-in deleted: its posts to delete, and the threads to recount."""

    removed: CheckinRemoved
    workspace_id: int
    fiscal_start_month: int
    team: TeamRow | None
    roster: list[RosterRow]  # the team's, that week, without it
    leader_seats: list[LeaderSeat] | None  # the leaders' thread's, for a leader


@use_case
def delete_checkin(
    services: Services, *, actor: Actor, plan_id: int, monday: dt.date
) -> CheckinDeleted:
    member = acting(services, actor)
    removed = services.own.delete_checkin(actor_id=member.id, plan_id=plan_id, monday=monday)
    fiscal_start_month = services.members.workspace_settings(member_id=member.id).fiscal_start_month
    team = services.rhythm.team_of_member(member_id=member.id)
    roster = (
        services.rhythm.roster(
            team_id=team.id,
            prompt_day=monday + dt.timedelta(days=team.checkin_weekday),
            fiscal_start_month=team.fiscal_start_month,
        )
        if team is not None
        else []
    )
    seats = (
        services.rhythm.leaders_roster(
            workspace_id=member.workspace_id, monday=monday, fiscal_start_month=fiscal_start_month
        )
        if services.rhythm.is_leader(member_id=member.id)
        else None
    )
    return CheckinDeleted(
        removed=removed,
        workspace_id=member.workspace_id,
        fiscal_start_month=fiscal_start_month,
        team=team,
        roster=roster,
        leader_seats=seats,
    )
