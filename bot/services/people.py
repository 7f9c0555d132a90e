"""Who someone is to myplan, read the same way by every service: a member's
reference, their record, the managers above them, and them as a viewer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam, literal, select
from sqlalchemy.orm import Session, joinedload, object_session

from bot.db.models import ManagerAssignment, Member
from bot.domain.errors import NotFound
from bot.domain.keys import is_id
from bot.domain.permissions import Viewer


@dataclass(frozen=True, kw_only=True)
class MemberRef:
    id: int
    workspace_id: int
    slack_user_id: str
    display_name: str
    timezone: str
    manager_id: int | None
    team_id: int | None
    is_admin: bool
    onboarded: bool
    deactivated: bool = False  # a leaver: out of every count and reminder
    locale: str | None = None  # Slack's ("de-DE"): how they type and read numbers


def remember(member: Member) -> Member:
    """Keep ``member`` for the rest of its transaction. The session's identity
    map holds what it read weakly: kept, the acting member (or the one looked
    up) is found again by load_member without a second query, as most use
    cases look them up again. Only single members: never a list of them."""
    session = object_session(member)
    if session is not None:
        session.info.setdefault("members_read", []).append(member)
    return member


def member_ref(member: Member) -> MemberRef:
    return MemberRef(
        id=member.id,
        workspace_id=member.workspace_id,
        slack_user_id=member.slack_user_id,
        display_name=member.display_name,
        timezone=member.timezone,
        manager_id=member.manager_id,
        team_id=member.team_id,
        is_admin=member.is_admin,
        onboarded=member.onboarded_at is not None,
        deactivated=member.deactivated_at is not None,
        locale=member.locale,
    )


def load_member(session: Session, member_id: int) -> Member:
    if not is_id(member_id):
        raise NotFound("That person is not using myplan yet.")
    # Most callers go on to read the workspace (its fiscal year, its settings).
    member = session.get(Member, member_id, options=[joinedload(Member.workspace)])
    if member is None:
        raise NotFound("That person is not using myplan yet.")
    return member


MAX_CHAIN = 32  # deeper than any org chart; stops a loop in bad data


def _managers_above_statement() -> Select[Any]:
    chain = (
        select(Member.manager_id.label("manager_id"), literal(1).label("depth"))
        .where(Member.id == bindparam("member_id"))
        .cte("chain", recursive=True)
    )
    chain = chain.union_all(
        select(Member.manager_id, chain.c.depth + 1)
        .join(chain, Member.id == chain.c.manager_id)
        .where(chain.c.depth < MAX_CHAIN)
    )
    return select(chain.c.manager_id).where(chain.c.manager_id.is_not(None)).order_by(chain.c.depth)


# Built once: a plan check asks for it on most requests, and building a
# recursive CTE costs more CPU than running it.
MANAGERS_ABOVE = _managers_above_statement()


def managers_above(session: Session, member_id: int) -> tuple[int, ...]:
    """The managers above a member, nearest first, in one statement (a
    recursive query) rather than by loading the workspace's whole org chart."""
    managers: list[int] = []
    for manager_id in session.scalars(MANAGERS_ABOVE, {"member_id": member_id}):
        if manager_id == member_id or manager_id in managers:
            break  # a loop in bad data
        managers.append(manager_id)
    return tuple(managers)


def viewer_of(member: Member) -> Viewer:
    return Viewer(
        member_id=member.id,
        workspace_id=member.workspace_id,
        team_id=member.team_id,
        is_admin=member.is_admin,
    )


def assign_manager(
    session: Session,
    *,
    member: Member,
    manager_id: int | None,
    changed_by_id: int | None,
    now: dt.datetime,
) -> None:
    """Make ``manager_id`` (or nobody) the member's manager, ending the current
    assignment in the history; ``changed_by_id`` None is myplan itself (the
    manager left). Nothing changes when they are the manager already."""
    if member.manager_id == manager_id:
        session.flush()
        return
    current = session.scalar(
        select(ManagerAssignment).where(
            ManagerAssignment.member_id == member.id, ManagerAssignment.ended_at.is_(None)
        )
    )
    if current is not None:
        current.ended_at = now
    session.add(
        ManagerAssignment(
            member_id=member.id, manager_id=manager_id, started_at=now, changed_by_id=changed_by_id
        )
    )
    member.manager_id = manager_id
    session.flush()


def manages_someone_here(report: Any) -> Any:
    """Whether a member manages someone still here (a leaver manages nobody):
    ``report`` is an alias of Member for the reports, correlated with Member."""
    return (
        select(report.id)
        .where(report.manager_id == Member.id, report.deactivated_at.is_(None))
        .exists()
    )
