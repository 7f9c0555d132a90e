"""What the use cases share: who is acting, their day, and a plan with its names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.conversation import Conversation
from bot.domain.quarters import Quarter, local_date, zone
from bot.domain.rhythm import DEFAULT_CALENDAR, ReviewWindow, review_window
from bot.services import Services
from bot.services.people import MemberRef
from bot.services.read_model import PlanCard, PlanView
from bot.services.rhythm import TeamRow


@dataclass(frozen=True, kw_only=True)
class Actor:
    """A Slack user as a payload names them: only who they claim to be.
    What they may do is decided from the database, never from this."""

    slack_team_id: str
    slack_user_id: str


@dataclass(frozen=True, kw_only=True)
class NeedsOnboarding:
    """Someone who has not onboarded yet: every way in asks for their manager
    (or that they have none) and their team's channel first."""


@dataclass(frozen=True, kw_only=True)
class Profile:
    """What Slack says of a person (users.info, or a user_change event): their
    name, zone and admin flag; whether they are deactivated or a bot; their workspace."""

    display_name: str
    timezone: str | None
    is_slack_admin: bool
    locale: str | None = None  # "de-DE"; None when Slack did not say (an event's)
    deleted: bool = False
    is_bot: bool = False
    slack_team_id: str | None = None


def acting(services: Services, actor: Actor, *, profile: Profile | None = None) -> MemberRef:
    """The acting member, from the database (created on first sight)."""
    if profile is None:
        return services.members.ensure_member(
            slack_team_id=actor.slack_team_id, slack_user_id=actor.slack_user_id
        )
    return services.members.ensure_member(
        slack_team_id=actor.slack_team_id,
        slack_user_id=actor.slack_user_id,
        display_name=profile.display_name,
        timezone=profile.timezone,
        is_slack_admin=profile.is_slack_admin,
        locale=profile.locale,
    )


def today_for(member: MemberRef, now: dt.datetime) -> dt.date:
    return local_date(now, zone(member.timezone))


def name_of(member: MemberRef | None) -> str:
    if member is None:
        return "your manager"
    return member.display_name or member.slack_user_id


def card_of(services: Services, plan: PlanView, *, conversation: bool = False) -> PlanCard:
    """The plan with its owner's, manager's and waiting members' names, in one
    read; with ``conversation``, also what its reader may see of its comments,
    suggested edits and saved feedback (two more)."""
    waiting_for = sorted(plan.acknowledgement.waiting_for)
    people = services.members.many(
        [plan.owner_id, *([plan.manager_id] if plan.manager_id else []), *waiting_for]
    )
    manager = people.get(plan.manager_id) if plan.manager_id else None
    # An active plan waits too when its manager, named mid-quarter, has not acknowledged it.
    asks = plan.state.value in ("proposed", "active")
    return PlanCard(
        plan=plan,
        owner_name=name_of(people.get(plan.owner_id)),
        manager_name=name_of(manager) if manager else None,
        waiting_names=tuple(name_of(people[m]) for m in waiting_for if m in people) if asks else (),
        conversation=services.conversation.conversation(viewer_id=plan.viewer_id, plan_id=plan.id)
        if conversation and plan.viewer_id
        else Conversation(),
    )


def window_of(services: Services, member: MemberRef, *, quarter: Quarter) -> ReviewWindow:
    """The quarter's review window in the member's team's calendar."""
    return team_window(services.rhythm.team_of_member(member_id=member.id), quarter=quarter)


def team_window(team: TeamRow | None, *, quarter: Quarter) -> ReviewWindow:
    """The quarter's review window in ``team``'s calendar (no team: the default one)."""
    if team is None:
        return review_window(quarter, calendar=DEFAULT_CALENDAR)
    return review_window(quarter, working_days=team.review_window_days, calendar=team.calendar)
