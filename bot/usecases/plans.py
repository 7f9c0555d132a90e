"""Plans: show, start, edit, save, propose, acknowledge, comment, wins (sharing: sharing.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.content import PlanInput
from bot.domain.errors import PermissionDenied
from bot.domain.plans import PlanState
from bot.services import Services, use_case
from bot.services.read_model import PlanCard, PlanView
from bot.usecases.common import Actor, NeedsOnboarding, acting, card_of, name_of, today_for
from bot.usecases.digest import Digest, digest_of
from bot.usecases.sharing import SharedPost, Withdrawn, leaders_post


@dataclass(frozen=True, kw_only=True)
class OpenBuilder:
    plan: PlanView


@dataclass(frozen=True, kw_only=True)
class ManagerRequest:
    """The manager is asked to read (and acknowledge) a revision."""

    manager_id: int
    manager_slack_user_id: str
    owner_name: str
    manager_name: str
    plan: PlanView  # as the manager sees it
    changes: tuple[str, ...]
    digest: Digest | None = None  # the manager's digest of the day, which lists the plan


@dataclass(frozen=True, kw_only=True)
class PlanSaved:
    card: PlanCard
    needs_acknowledgement_again: bool
    manager_request: ManagerRequest | None
    leaders_post: SharedPost | Withdrawn | None  # its post in the leaders channel, now


@dataclass(frozen=True, kw_only=True)
class Proposed:
    active: bool  # no manager here, as the owner said: their acknowledgement was enough
    manager_name: str
    manager_request: ManagerRequest | None
    needs_manager: bool = False  # no manager (theirs left): it waits for one to be named


@dataclass(frozen=True, kw_only=True)
class Acknowledged:
    plan: PlanView
    quarter_label: str
    owner_name: str
    owner_slack_user_id: str
    manager_slack_user_id: str | None
    owner_card: PlanCard | None  # when the plan became active
    waiting_names: tuple[str, ...]
    digest: Digest | None = None  # the acknowledger's digest of the day, as it stands now


@use_case
def show_my_plan(
    services: Services, *, actor: Actor, now: dt.datetime
) -> NeedsOnboarding | OpenBuilder | PlanCard:
    """A bare `/myplan`: onboarding first, then your plan, or the builder to start one."""
    member = acting(services, actor)
    if not member.onboarded:
        return NeedsOnboarding()
    today = today_for(member, now)
    plan = services.plans.current_plan(owner_id=member.id, today=today)
    if plan is None:
        return OpenBuilder(plan=services.plans.start_plan(owner_id=member.id, today=today))
    return card_of(services, plan, conversation=True)


@use_case
def start_plan(
    services: Services, *, actor: Actor, now: dt.datetime
) -> OpenBuilder | NeedsOnboarding:
    """This quarter's plan in the builder, drafted if there is none yet;
    onboarding first for someone who has not onboarded."""
    member = acting(services, actor)
    if not member.onboarded:
        return NeedsOnboarding()
    return OpenBuilder(
        plan=services.plans.start_plan(owner_id=member.id, today=today_for(member, now))
    )


@use_case
def edit_plan(services: Services, *, actor: Actor, plan_id: int) -> OpenBuilder:
    """The Edit button: the builder on a plan the actor may edit."""
    member = acting(services, actor)
    plan = services.plans.get_plan(viewer_id=member.id, plan_id=plan_id)
    if not plan.access.edit:
        raise PermissionDenied(
            "Only the plan's owner can change it; you can comment or suggest an edit."
        )
    return OpenBuilder(plan=plan)


@use_case
def save_plan(
    services: Services, *, actor: Actor, plan_id: int, plan_input: PlanInput, now: dt.datetime
) -> PlanSaved:
    member = acting(services, actor)
    result = services.plans.save(
        actor_id=member.id, plan_id=plan_id, plan_input=plan_input, now=now
    )
    changes = tuple(change.line for change in result.changes)
    return PlanSaved(
        card=card_of(services, result.plan, conversation=True),
        needs_acknowledgement_again=result.needs_acknowledgement_again,
        manager_request=_ask_again(
            services, result.plan, changes=changes, actor_id=member.id, now=now
        )
        if result.asks_again
        else None,
        leaders_post=leaders_post(services, plan_id),
    )


@use_case
def propose_plan(services: Services, *, actor: Actor, plan_id: int, now: dt.datetime) -> Proposed:
    member = acting(services, actor)
    plan = services.plans.propose(actor_id=member.id, plan_id=plan_id, now=now)
    if plan.state is PlanState.ACTIVE:
        return Proposed(active=True, manager_name=name_of(None), manager_request=None)
    manager = services.members.get(plan.manager_id) if plan.manager_id else None
    return Proposed(
        active=False,
        manager_name=name_of(manager),
        manager_request=manager_request(services, plan, changes=(), now=now),
        needs_manager=plan.acknowledgement.needs_manager,
    )


@use_case
def acknowledge_plan(
    services: Services, *, actor: Actor, plan_id: int, revision: int, now: dt.datetime
) -> Acknowledged:
    member = acting(services, actor)
    plan = services.plans.acknowledge(
        actor_id=member.id, plan_id=plan_id, revision=revision, now=now
    )
    owner = services.members.get(plan.owner_id)
    manager = services.members.get(plan.manager_id) if plan.manager_id else None
    active = plan.state is PlanState.ACTIVE
    return Acknowledged(
        plan=plan,
        quarter_label=plan.quarter.label,
        owner_name=name_of(owner),
        owner_slack_user_id=owner.slack_user_id,
        manager_slack_user_id=manager.slack_user_id if manager else None,
        owner_card=card_of(services, services.plans.get_plan(viewer_id=owner.id, plan_id=plan.id))
        if active
        else None,
        waiting_names=_names(services, sorted(plan.acknowledgement.waiting_for)),
        digest=digest_of(services, manager_id=member.id, now=now),
    )


def _ask_again(
    services: Services,
    plan: PlanView,
    *,
    changes: tuple[str, ...],
    actor_id: int,
    now: dt.datetime,
) -> ManagerRequest | None:
    """A new revision of a proposed plan: its manager is asked to acknowledge
    it, with what changed, unless they made the change (and acknowledged it)."""
    if plan.manager_id is None or plan.manager_id == actor_id:
        return None
    if plan.manager_id not in plan.acknowledgement.waiting_for:
        return None
    return manager_request(services, plan, changes=changes, now=now)


def _names(services: Services, member_ids: list[int]) -> tuple[str, ...]:
    """The members' names, in that order, in one read."""
    people = services.members.many(member_ids)
    return tuple(name_of(people[m]) for m in member_ids if m in people)


def manager_request(
    services: Services, plan: PlanView, *, changes: tuple[str, ...], now: dt.datetime
) -> ManagerRequest | None:
    """What the owner's manager is sent to acknowledge, and their digest of the
    day as it stands now (it lists this plan); None without a manager."""
    if plan.manager_id is None:
        return None
    manager = services.members.get(plan.manager_id)
    owner = services.members.get(plan.owner_id)
    return ManagerRequest(
        manager_id=manager.id,
        manager_slack_user_id=manager.slack_user_id,
        owner_name=name_of(owner),
        manager_name=name_of(manager),
        plan=services.plans.get_plan(viewer_id=manager.id, plan_id=plan.id),
        changes=changes,
        digest=digest_of(services, manager_id=manager.id, now=now),
    )


@use_case
def someones_plan(
    services: Services, *, actor: Actor, slack_user_id: str, now: dt.datetime
) -> tuple[str | None, PlanCard | None]:
    """`/myplan @someone`: their name (if they use myplan) and their plan, if
    the actor may see it."""
    member = acting(services, actor)
    other = services.members.find(workspace_id=member.workspace_id, slack_user_id=slack_user_id)
    if other is None:
        return None, None
    plan = services.plans.plan_of(
        viewer_id=member.id, owner_id=other.id, today=today_for(member, now)
    )
    return name_of(other), card_of(services, plan, conversation=True) if plan else None


@use_case
def open_request(services: Services, *, actor: Actor, plan_id: int) -> ManagerRequest:
    """A plan its reader was asked to acknowledge, opened from their digest:
    the plan as they may see it (checked from the database) and what its
    revision changed."""
    member = acting(services, actor)
    plan = services.plans.get_plan(viewer_id=member.id, plan_id=plan_id)
    summary = services.waiting.revision_summary(plan_id=plan.id)
    return ManagerRequest(
        manager_id=member.id,
        manager_slack_user_id=member.slack_user_id,
        owner_name=name_of(services.members.get(plan.owner_id)),
        manager_name=name_of(member),
        plan=plan,
        changes=tuple(line for line in summary.splitlines() if line),
    )


@dataclass(frozen=True, kw_only=True)
class WinLogged:
    quarter_label: str
    wins: int
    leaders_post: SharedPost | Withdrawn | None  # the plan's card in the leaders channel lists wins


@use_case
def log_win(services: Services, *, actor: Actor, text: str, now: dt.datetime) -> WinLogged:
    member = acting(services, actor)
    plan = services.plans.add_win(actor_id=member.id, text=text, today=today_for(member, now))
    return WinLogged(
        quarter_label=plan.quarter.label,
        wins=len(plan.wins),
        leaders_post=leaders_post(services, plan.id),
    )


@use_case
def open_save_message(services: Services, *, actor: Actor) -> NeedsOnboarding | None:
    """The message shortcut: onboarding first for someone who has not onboarded."""
    return None if acting(services, actor).onboarded else NeedsOnboarding()


@use_case
def save_message(
    services: Services,
    *,
    actor: Actor,
    text: str,
    as_feedback: bool,
    author: str | None,
    link: str | None,
    now: dt.datetime,
) -> SharedPost | Withdrawn | None:
    """The message shortcut's modal: keep a message as a win or as feedback;
    returns what the plan's post in the leaders channel must become."""
    member = acting(services, actor)
    today = today_for(member, now)
    if as_feedback:
        services.plans.add_feedback(
            actor_id=member.id,
            text=text,
            today=today,
            from_slack_user_id=author,
            message_link=link,
        )
        return None
    plan = services.plans.add_win(actor_id=member.id, text=text, today=today, message_link=link)
    return leaders_post(services, plan.id)
