"""Sharing and unsharing a plan, and what becomes of its post in the leaders
channel. Visibility is the one source: the post is kept, and kept up to date,
only while the plan is public and its owner leads someone; otherwise it is to
be deleted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.plans import Visibility
from bot.services import Services, use_case
from bot.services.people import MemberRef
from bot.services.read_model import PlanCard, PlanView
from bot.usecases.common import Actor, acting, card_of, today_for


@dataclass(frozen=True, kw_only=True)
class SharedPost:
    """A plan's post in the leaders channel, to bring up to date."""

    channel_id: str
    ts: str
    card: PlanCard  # as its owner sees it


@dataclass(frozen=True, kw_only=True)
class Withdrawn:
    """A plan's post in the leaders channel, to delete (then forget): the plan
    is no longer public, or its owner no longer leads anyone."""

    plan_id: int
    channel_id: str
    ts: str


def leaders_post(services: Services, plan_id: int) -> SharedPost | Withdrawn | None:
    """What its post in the leaders channel must become, read in this
    transaction: None when it has none."""
    post = services.sharing.leaders_post(plan_id=plan_id)
    if post is None:
        return None
    owner_id = services.plans.owner_of(plan_id=plan_id)
    public = services.sharing.visibility(plan_id=plan_id) is Visibility.PUBLIC
    if not public or not services.rhythm.is_leader(member_id=owner_id):
        return Withdrawn(plan_id=plan_id, channel_id=post[0], ts=post[1])
    plan = services.plans.get_plan(viewer_id=owner_id, plan_id=plan_id)
    return SharedPost(channel_id=post[0], ts=post[1], card=card_of(services, plan))


def _plan_id(
    services: Services, member: MemberRef, *, plan_id: int | None, now: dt.datetime
) -> int | None:
    """The plan a button names, or (None) this quarter's plan, if any."""
    if plan_id is not None:
        return plan_id
    current = services.plans.current_plan(owner_id=member.id, today=today_for(member, now))
    return None if current is None else current.id


@dataclass(frozen=True, kw_only=True)
class ShareOutcome:
    plan: PlanView | None  # None: no plan this quarter to share
    leads: bool  # only leaders post to the leaders channel
    leaders_channel_id: str | None  # where to post it: set, and the owner leads
    existing_post: SharedPost | Withdrawn | None
    card: PlanCard | None


@use_case
def share_plan(
    services: Services, *, actor: Actor, plan_id: int | None, now: dt.datetime
) -> ShareOutcome:
    """Make the plan public; a leader's is then posted (or its post brought up
    to date) in the leaders channel. ``plan_id`` None: this quarter's plan."""
    member = acting(services, actor)
    plan_id = _plan_id(services, member, plan_id=plan_id, now=now)
    if plan_id is None:
        return ShareOutcome(
            plan=None, leads=False, leaders_channel_id=None, existing_post=None, card=None
        )
    plan = services.sharing.share(actor_id=member.id, plan_id=plan_id)
    leads = services.rhythm.is_leader(member_id=member.id)
    channel = services.members.workspace_settings(member_id=member.id).leaders_channel_id
    return ShareOutcome(
        plan=plan,
        leads=leads,
        leaders_channel_id=channel if leads else None,
        existing_post=leaders_post(services, plan_id),
        card=card_of(services, plan),
    )


@dataclass(frozen=True, kw_only=True)
class Unshared:
    plan: PlanView | None  # None: no plan this quarter
    withdrawn: Withdrawn | None


@use_case
def unshare_plan(
    services: Services, *, actor: Actor, plan_id: int | None, now: dt.datetime
) -> Unshared:
    """Make the plan private; its post in the leaders channel is to be deleted."""
    member = acting(services, actor)
    plan_id = _plan_id(services, member, plan_id=plan_id, now=now)
    if plan_id is None:
        return Unshared(plan=None, withdrawn=None)
    plan = services.sharing.unshare(actor_id=member.id, plan_id=plan_id)
    post = leaders_post(services, plan_id)
    return Unshared(
        plan=plan,
        withdrawn=post if isinstance(post, Withdrawn) else None,
    )
