"""Erasure: a person forgotten (``myplan forget``), a workspace purged after
its retention; each leaves one audit line with no content (``erasures``).

What goes is what the schema says belongs to the person: every row deleted
with theirs (ON DELETE CASCADE: their plans and all in them, their manager
history, their comments and acknowledgements), the same rows a member's
export holds (bot/services/export.py:scoped), and the rows they wrote on
someone else's plan (WRITTEN_BY). Rows that only point at them (a report's
manager, a team's leader, a revision's author) keep the row and lose the
pointer (ON DELETE SET NULL)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.db.base import Base
from bot.domain.errors import NotFound, ValidationError
from bot.outbox.keys import named_in
from bot.services.export import INSTALL_TABLES, Scope, scoped
from bot.services.rhythm import OPEN_STATES

# Tables whose rows a person writes on another's plan, by the column naming
# the writer: erased with the writer, though the plan stays.
WRITTEN_BY: dict[str, str] = {"wins": "author_id", "plan_comments": "author_id"}


@dataclass(frozen=True, kw_only=True)
class About:
    """A person to forget, and where the bot posted about them, as recorded."""

    member_id: int
    slack_team_id: str
    slack_user_id: str
    posts: tuple[tuple[str, str], ...]  # (channel, ts)
    # Who may have DMs about them, marked so in the DM's metadata: their
    # managers and reports, now and before, and whose plans they commented on.
    neighbours: tuple[str, ...]
    workspace_id: int = 0
    # The weekly threads whose parents list them, to recount once they are
    # gone: (team id, Monday) of their open plans' check-ins, and the
    # Mondays of their replies in the leaders' threads.
    team_weeks: tuple[tuple[int, dt.date], ...] = ()
    leader_weeks: tuple[dt.date, ...] = ()


def find_member(session: Session, *, slack_team_id: str | None, slack_user_id: str) -> m.Member:
    query = select(m.Member).where(m.Member.slack_user_id == slack_user_id)
    if slack_team_id is not None:
        query = query.join(m.Workspace, m.Workspace.id == m.Member.workspace_id).where(
            m.Workspace.slack_team_id == slack_team_id
        )
    found = session.scalars(query).all()
    if not found:
        where = f" in workspace {slack_team_id}" if slack_team_id else ""
        raise NotFound(f"myplan knows no member {slack_user_id}{where}.")
    if len(found) > 1:
        raise ValidationError(
            {
                "workspace": f"{slack_user_id} is in {len(found)} workspaces: "
                "name one with --workspace."
            }
        )
    return found[0]


def about(session: Session, member: m.Member) -> About:
    """Every post the bot recorded about ``member``: their check-ins' replies,
    their plans' post in the leaders channel, and the deliveries whose key
    names them or one of their plans, or that went to them."""
    plans = {
        str(plan_id)
        for plan_id in session.scalars(select(m.Plan.id).where(m.Plan.owner_id == member.id))
    }
    posts: list[tuple[str, str]] = []
    posts += [
        (channel, ts)
        for channel, ts in session.execute(
            select(m.CheckIn.reply_channel_id, m.CheckIn.reply_ts)
            .join(m.Plan, m.Plan.id == m.CheckIn.plan_id)
            .where(m.Plan.owner_id == member.id, m.CheckIn.reply_ts.is_not(None))
        )
        if channel and ts
    ]
    posts += [
        (channel, ts)
        for channel, ts in session.execute(
            select(m.Plan.shared_channel_id, m.Plan.shared_ts).where(
                m.Plan.owner_id == member.id, m.Plan.shared_ts.is_not(None)
            )
        )
        if channel and ts
    ]
    posts += [
        (delivery.channel_id, delivery.ts)
        for delivery in _deliveries_about(session, member, plans=plans)
        if delivery.channel_id and delivery.ts
    ]
    return About(
        member_id=member.id,
        slack_team_id=member.workspace.slack_team_id,
        slack_user_id=member.slack_user_id,
        posts=tuple(dict.fromkeys(posts)),
        neighbours=_neighbours(session, member),
        workspace_id=member.workspace_id,
        team_weeks=_team_weeks(session, member),
        leader_weeks=tuple(
            sorted(
                {
                    dt.date.fromisoformat(named_in(d.key)["week"])
                    for d in _deliveries_about(session, member, plans=plans)
                    if d.kind == "leaders-reply" and "week" in named_in(d.key)
                }
            )
        ),
    )


def _team_weeks(session: Session, member: m.Member) -> tuple[tuple[int, dt.date], ...]:
    """The team threads their open plans' check-ins were posted in."""
    rows = session.execute(
        select(m.Team.id, m.CheckIn.week_start)
        .join(m.Plan, m.Plan.id == m.CheckIn.plan_id)
        .join(
            m.Team,
            (m.Team.channel_id == m.CheckIn.reply_channel_id)
            & (m.Team.workspace_id == member.workspace_id),
        )
        .where(m.Plan.owner_id == member.id, m.Plan.state.in_(OPEN_STATES))
        .distinct()
    )
    return tuple(sorted((team_id, monday) for team_id, monday in rows))


def _neighbours(session: Session, member: m.Member) -> tuple[str, ...]:
    history = m.ManagerAssignment
    around = session.scalars(
        select(m.Member.slack_user_id).where(
            m.Member.id != member.id,
            or_(
                m.Member.id == member.manager_id,
                m.Member.manager_id == member.id,
                m.Member.id.in_(select(history.manager_id).where(history.member_id == member.id)),
                m.Member.id.in_(select(history.member_id).where(history.manager_id == member.id)),
                m.Member.id.in_(
                    select(m.Plan.owner_id)
                    .join(m.PlanComment, m.PlanComment.plan_id == m.Plan.id)
                    .where(m.PlanComment.author_id == member.id)
                ),
            ),
        )
    ).all()
    return tuple(sorted(set(around)))


def _deliveries_about(session: Session, member: m.Member, *, plans: set[str]) -> list[m.Delivery]:
    ours = {str(member.id)}
    theirs = {member.slack_user_id, *([member.dm_channel_id] if member.dm_channel_id else [])}
    found = []
    for delivery in session.scalars(
        select(m.Delivery).where(m.Delivery.workspace_id == member.workspace_id)
    ):
        named = named_in(delivery.key)
        if (
            named.get("plan") in plans
            or named.get("member") in ours
            or (delivery.kind == "checkin-copy" and named.get("to") in ours)
            or named.get("to") in theirs
            or delivery.channel_id in theirs
        ):
            found.append(delivery)
    return found


def forget(
    session: Session,
    *,
    member_id: int,
    requested_by: str,
    now: dt.datetime,
    posts_deleted: int,
    posts_kept: int,
) -> m.Erasure:
    """Delete the person's rows, and the records of the bot's posts about
    them; one audit line stays, with no content."""
    member = session.get_one(m.Member, member_id)
    workspace = member.workspace
    plans = {str(i) for i in session.scalars(select(m.Plan.id).where(m.Plan.owner_id == member_id))}
    scope = Scope(slack_team_id=workspace.slack_team_id, slack_user_id=member.slack_user_id)
    where = scoped(scope)
    rows = sum(
        session.scalar(select(func.count()).select_from(table).where(condition)) or 0
        for table, condition in where.items()
    )
    for name, column in WRITTEN_BY.items():
        table = Base.metadata.tables[name]
        rows += session.execute(delete(table).where(table.c[column] == member_id)).rowcount  # type: ignore[attr-defined]
    for delivery in _deliveries_about(session, member, plans=plans):
        session.delete(delivery)
    session.execute(delete(m.Member).where(m.Member.id == member_id))  # the rest cascades
    erasure = m.Erasure(
        kind="forget",
        slack_team_id=workspace.slack_team_id,
        slack_user_id=member.slack_user_id,
        requested_by=requested_by[:64],
        rows_deleted=rows,
        posts_deleted=posts_deleted,
        posts_kept=posts_kept,
        erased_at=now,
    )
    session.add(erasure)
    session.flush()
    return erasure


def purge_due(session: Session, *, now: dt.datetime, retention: dt.timedelta) -> list[str]:
    """The workspaces uninstalled for longer than the retention (their Slack team ids)."""
    return list(
        session.scalars(
            select(m.Workspace.slack_team_id)
            .where(
                m.Workspace.uninstalled_at.is_not(None),
                m.Workspace.uninstalled_at <= now - retention,
            )
            .order_by(m.Workspace.id)
        )
    )


def purge(session: Session, *, slack_team_id: str, now: dt.datetime) -> m.Erasure | None:
    """Delete an uninstalled workspace and everything it owns, and its stored
    install; None when it is installed again (or gone) by now."""
    workspace = session.scalar(
        select(m.Workspace).where(m.Workspace.slack_team_id == slack_team_id).with_for_update()
    )
    if workspace is None or workspace.uninstalled_at is None:
        return None
    where = scoped(Scope(slack_team_id=slack_team_id))
    rows = sum(
        session.scalar(select(func.count()).select_from(table).where(condition)) or 0
        for table, condition in where.items()
    )
    for name in sorted(INSTALL_TABLES):
        table = Base.metadata.tables[name]
        if "team_id" in table.c:
            rows += session.execute(delete(table).where(table.c.team_id == slack_team_id)).rowcount  # type: ignore[attr-defined]
    session.execute(delete(m.Workspace).where(m.Workspace.id == workspace.id))  # the rest cascades
    erasure = m.Erasure(
        kind="purge",
        slack_team_id=slack_team_id,
        requested_by="retention",
        rows_deleted=rows,
        erased_at=now,
    )
    session.add(erasure)
    session.flush()
    return erasure
