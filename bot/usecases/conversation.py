"""The conversation on a plan: comment, answer, suggest an edit, apply it, and
the manager's own side of the plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.domain.content import ManagerSide, PlanInput
from bot.domain.conversation import CommentView
from bot.domain.errors import PermissionDenied
from bot.services import Services, use_case
from bot.services.conversation import Commented as CommentDone
from bot.services.plans import ManagerSideInput, SaveResult
from bot.services.read_model import PlanCard, PlanView
from bot.usecases.common import Actor, acting, card_of, name_of
from bot.usecases.plans import ManagerRequest, manager_request


@dataclass(frozen=True, kw_only=True)
class CommentForm:
    plan_id: int
    owner_name: str
    reply_to: CommentView | None = None  # the comment answered


@use_case
def open_comment(
    services: Services, *, actor: Actor, plan_id: int, reply_to: int | None = None
) -> CommentForm:
    """The Comment (or Answer) button: the modal, for someone who may comment."""
    member = acting(services, actor)
    plan = services.plans.get_plan(viewer_id=member.id, plan_id=plan_id)
    if not plan.access.comment:
        raise PermissionDenied("You can't comment on this plan.")
    owner = services.members.get(plan.owner_id)
    answered = None
    if reply_to is not None:
        answered = services.conversation.visible_comment(
            viewer_id=member.id, plan_id=plan.id, comment_id=reply_to
        )
    return CommentForm(plan_id=plan.id, owner_name=name_of(owner), reply_to=answered)


@dataclass(frozen=True, kw_only=True)
class Commented:
    """Who is told of a comment, and the card they are shown it with."""

    author_name: str
    text: str
    quarter_label: str
    is_answer: bool
    is_suggestion: bool
    changes: tuple[str, ...]
    to_slack_user_id: str | None
    to_owner: bool
    card: PlanCard | None  # the plan as the person told sees it, with its conversation


def _told(services: Services, *, done: CommentDone, member_name: str) -> Commented:
    to = services.members.get(done.notify_member_id) if done.notify_member_id else None
    card = None
    if to is not None:
        try:
            seen = services.plans.get_plan(viewer_id=to.id, plan_id=done.plan.id)
        except PermissionDenied:  # they may no longer see the plan: they are not told
            to = None
        else:
            card = card_of(services, seen, conversation=True)
    return Commented(
        author_name=member_name,
        text=done.comment.text,
        quarter_label=done.plan.quarter.label,
        is_answer=done.comment.reply_to_id is not None,
        is_suggestion=done.comment.is_suggestion,
        changes=done.comment.changes,
        to_slack_user_id=to.slack_user_id if to else None,
        to_owner=to is not None and to.id == done.plan.owner_id,
        card=card,
    )


@use_case
def comment_on_plan(
    services: Services,
    *,
    actor: Actor,
    plan_id: int,
    text: str,
    reply_to: int | None,
    now: dt.datetime,
) -> Commented:
    member = acting(services, actor)
    done = services.conversation.comment(
        actor_id=member.id, plan_id=plan_id, text=text, reply_to=reply_to, now=now
    )
    return _told(services, done=done, member_name=name_of(member))


@dataclass(frozen=True, kw_only=True)
class SuggestionForm:
    plan: PlanView
    owner_name: str


@use_case
def open_suggestion(services: Services, *, actor: Actor, plan_id: int) -> SuggestionForm:
    """Suggest an edit: the builder on the plan, for its manager chain."""
    member = acting(services, actor)
    plan = services.plans.get_plan(viewer_id=member.id, plan_id=plan_id)
    if not plan.access.suggest:
        raise PermissionDenied("Only the owner's managers suggest edits; you can comment.")
    return SuggestionForm(plan=plan, owner_name=name_of(services.members.get(plan.owner_id)))


@use_case
def suggest_edit(
    services: Services,
    *,
    actor: Actor,
    plan_id: int,
    plan_input: PlanInput,
    note: str,
    now: dt.datetime,
) -> Commented:
    member = acting(services, actor)
    done = services.conversation.suggest(
        actor_id=member.id, plan_id=plan_id, plan_input=plan_input, note=note, now=now
    )
    return _told(services, done=done, member_name=name_of(member))


@dataclass(frozen=True, kw_only=True)
class Revised:
    """A new revision someone other than the owner's editor made happen: the
    reader's card, and who else is asked to acknowledge it."""

    card: PlanCard
    changes: tuple[str, ...]
    manager_request: ManagerRequest | None
    owner_request: PlanCard | None  # the owner's card, when the owner is asked
    owner_slack_user_id: str
    actor_name: str


def _revised(
    services: Services,
    result: SaveResult,
    *,
    member_id: int,
    member_name: str,
    now: dt.datetime,
) -> Revised:
    plan = result.plan
    changes = tuple(change.line for change in result.changes)
    asks = result.asks_again and bool(changes)
    waiting = plan.acknowledgement.waiting_for
    manager = (
        manager_request(services, plan, changes=changes, now=now)
        if asks and plan.manager_id and plan.manager_id != member_id and plan.manager_id in waiting
        else None
    )
    owner_card = None
    if asks and plan.owner_id != member_id and plan.owner_id in waiting:
        owner_card = card_of(
            services,
            services.plans.get_plan(viewer_id=plan.owner_id, plan_id=plan.id),
            conversation=True,
        )
    return Revised(
        card=card_of(services, plan, conversation=True),
        changes=changes,
        manager_request=manager,
        owner_request=owner_card,
        owner_slack_user_id=plan.owner_slack_user_id,
        actor_name=member_name,
    )


@use_case
def apply_suggestion(
    services: Services, *, actor: Actor, comment_id: int, now: dt.datetime
) -> Revised:
    """The owner applies a suggested edit in one click: it becomes a revision,
    and whoever has not acknowledged it is asked to, with what changed."""
    member = acting(services, actor)
    result = services.conversation.apply_suggestion(
        actor_id=member.id, comment_id=comment_id, now=now
    )
    return _revised(services, result, member_id=member.id, member_name=name_of(member), now=now)


@dataclass(frozen=True, kw_only=True)
class ManagerSideForm:
    plan_id: int
    owner_name: str
    side: ManagerSide


@use_case
def open_manager_side(services: Services, *, actor: Actor, plan_id: int) -> ManagerSideForm:
    member = acting(services, actor)
    plan = services.plans.get_plan(viewer_id=member.id, plan_id=plan_id)
    if plan.manager_id != member.id:
        raise PermissionDenied("Only the plan's manager writes the manager's side.")
    owner = services.members.get(plan.owner_id)
    return ManagerSideForm(plan_id=plan.id, owner_name=name_of(owner), side=plan.content.manager)


@use_case
def set_manager_side(
    services: Services, *, actor: Actor, plan_id: int, side: ManagerSideInput, now: dt.datetime
) -> Revised:
    """The manager writes their side; a new revision the owner is asked to acknowledge."""
    member = acting(services, actor)
    result = services.plans.set_manager_side(
        actor_id=member.id, plan_id=plan_id, side=side, now=now
    )
    return _revised(services, result, member_id=member.id, member_name=name_of(member), now=now)


@use_case
def answer_one_on_one(
    services: Services, *, actor: Actor, plan_id: int, week: dt.date, happened: bool
) -> str:
    """The manager says whether the week's 1:1 happened; returns the report's name."""
    member = acting(services, actor)
    return services.conversation.manager_one_on_one(
        actor_id=member.id, plan_id=plan_id, week=week, happened=happened
    )
