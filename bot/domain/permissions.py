"""Who may see and change a plan: one function every caller uses.

The facts come from the database (who the actor is, who manages whom today),
never from ids carried in a Slack payload.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot.domain.errors import PermissionDenied, ValidationError
from bot.domain.plans import Visibility


@dataclass(frozen=True, kw_only=True)
class Viewer:
    member_id: int
    workspace_id: int
    team_id: int | None
    is_admin: bool = False


@dataclass(frozen=True, kw_only=True)
class PlanFacts:
    owner_id: int
    workspace_id: int
    owner_team_id: int | None
    visibility: Visibility
    # The owner's current managers, nearest first: manager, manager's manager...
    manager_chain: tuple[int, ...]
    # Who managed the owner during the plan's quarter (and the chain above them
    # then), found only for a viewer nothing else lets in: they may read it.
    former_managers: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Access:
    view: bool = False
    edit: bool = False  # change the content; only the owner
    comment: bool = False  # comment (and answer comments)
    suggest: bool = False  # suggest an edit the owner applies: the manager chain
    acknowledge: bool = False  # owner and direct manager acknowledge a revision
    review: bool = False  # the quarterly review: owner and direct manager


NO_ACCESS = Access()


def plan_access(viewer: Viewer, plan: PlanFacts) -> Access:
    """What ``viewer`` may do with ``plan``. Admins manage settings, not plans:
    being an admin grants nothing here."""
    if viewer.workspace_id != plan.workspace_id:
        return NO_ACCESS
    if viewer.member_id == plan.owner_id:
        return Access(view=True, edit=True, comment=True, acknowledge=True, review=True)
    if plan.manager_chain and viewer.member_id == plan.manager_chain[0]:
        return Access(view=True, comment=True, suggest=True, acknowledge=True, review=True)
    if viewer.member_id in plan.manager_chain:
        return Access(view=True, comment=True, suggest=True)
    # Peers who may see a team or public plan may comment on it.
    if plan.visibility is Visibility.PUBLIC:
        return Access(view=True, comment=True)
    if (
        plan.visibility is Visibility.TEAM
        and plan.owner_team_id is not None
        and viewer.team_id == plan.owner_team_id
    ):
        return Access(view=True, comment=True)
    # A former manager keeps read access to the quarters they managed, nothing newer.
    if viewer.member_id in plan.former_managers:
        return Access(view=True)
    return NO_ACCESS


def require(viewer: Viewer, plan: PlanFacts, *, to: str) -> Access:
    """The viewer's access, or :class:`PermissionDenied` when ``to`` is not in it."""
    access = plan_access(viewer, plan)
    if not getattr(access, to):
        if not access.view:
            # Do not confirm that a plan the viewer may not see exists.
            raise PermissionDenied("You can't see that plan.")
        raise PermissionDenied(_DENIED[to])
    return access


_DENIED = {
    "view": "You can't see that plan.",
    "edit": "Only the plan's owner can change it; you can comment or suggest an edit.",
    "comment": "Only the owner, their managers and (on a team or public plan) those who "
    "may see it can comment on this plan.",
    "suggest": "Only the owner's managers suggest edits; you can comment.",
    "acknowledge": "Only the plan's owner and their manager acknowledge it.",
    "review": "Only the plan's owner and their manager review it.",
}


def shown_in_full(*, visibility: Visibility, channel_id: str, team_channel_id: str | None) -> bool:
    """Whether a plan's content (a check-in's values, win and blocker) may be
    posted in ``channel_id``. Every channel is an audience, and anyone who
    joins it later reads its history: a public plan may be shown anywhere, a
    team plan only in its own team's channel, a private plan in no channel.
    Elsewhere a check-in is its owner's name and confidence alone."""
    if visibility is Visibility.PUBLIC:
        return True
    return (
        visibility is Visibility.TEAM
        and team_channel_id is not None
        and channel_id == team_channel_id
    )


def would_create_cycle(
    *, member_id: int, manager_id: int, managers_of_manager: tuple[int, ...]
) -> bool:
    """Whether making ``manager_id`` manage ``member_id`` closes a loop: nobody
    manages themselves, nor anyone above them."""
    return manager_id == member_id or member_id in managers_of_manager


def refuse_as_manager(*, found: bool, same_workspace: bool, active: bool, is_bot: bool) -> None:
    """A manager is a person of the member's own workspace, still in it, as
    Slack says (users.info), never as the payload says. Refused on the
    manager's field otherwise."""
    if not found:
        problem = (
            "I can't find that person in this workspace: mention them, like `/myplan manager @sam`."
        )
    elif not same_workspace:
        problem = "Choose someone in this workspace."
    elif is_bot:
        problem = "A bot can't be your manager: choose a person."
    elif not active:
        problem = "That person is deactivated in Slack: choose your manager now."
    else:
        return
    raise ValidationError({"manager": problem})


class ChannelMembership(enum.Enum):
    """Whether a person is in a channel, as Slack counts its members now."""

    MEMBER = "member"
    OUTSIDE = "outside"
    UNSEEN = "unseen"  # a private channel myplan is not in (or none at all)


def refuse_team_channel(membership: ChannelMembership, *, channel_id: str, field: str) -> None:
    """A team is its channel's members: naming a channel is no way into a team
    (and its team-visible plans) for someone Slack does not count in it."""
    if membership is ChannelMembership.MEMBER:
        return
    if membership is ChannelMembership.OUTSIDE:
        problem = (
            f"You're not in <#{channel_id}>: join it in Slack first, "
            "or choose your team's own channel."
        )
    else:
        problem = (
            "I can't see that channel: invite @myplan to it with `/invite @myplan` there, "
            "then choose it again."
        )
    raise ValidationError({field: problem})
