"""A plan's life: its states, the moves between them, and its visibility."""

from __future__ import annotations

from enum import StrEnum

from bot.domain.errors import IllegalTransition


class PlanState(StrEnum):
    DRAFT = "draft"  # the owner is writing it
    PROPOSED = "proposed"  # waiting for both owner and manager to acknowledge
    ACTIVE = "active"  # both acknowledged the same revision
    IN_REVIEW = "in_review"  # the quarter's raise-the-bar review is under way
    CLOSED = "closed"  # reviewed; the next quarter's plan carries on
    LEFT = "left"  # closed when its owner left the workspace; kept, never deleted

    @property
    def label(self) -> str:
        return {
            PlanState.DRAFT: "Draft",
            PlanState.PROPOSED: "Waiting for acknowledgement",
            PlanState.ACTIVE: "Active",
            PlanState.IN_REVIEW: "In review",
            PlanState.CLOSED: "Closed",
            PlanState.LEFT: "Closed (its owner left)",
        }[self]


class Visibility(StrEnum):
    PRIVATE = "private"  # the owner and their manager chain
    TEAM = "team"  # also the owner's team
    PUBLIC = "public"  # the whole workspace

    @property
    def label(self) -> str:
        return {
            Visibility.PRIVATE: "Private (you and your manager chain)",
            Visibility.TEAM: "Team (also your team)",
            Visibility.PUBLIC: "Public (the whole workspace)",
        }[self]


# Any plan not closed yet closes as left when its owner leaves the workspace.
_MOVES: dict[PlanState, frozenset[PlanState]] = {
    PlanState.DRAFT: frozenset({PlanState.PROPOSED, PlanState.LEFT}),
    # Back to draft when the owner withdraws it to keep writing.
    PlanState.PROPOSED: frozenset({PlanState.DRAFT, PlanState.ACTIVE, PlanState.LEFT}),
    # Back to proposed when an edit after acknowledgement needs both sides again.
    PlanState.ACTIVE: frozenset({PlanState.PROPOSED, PlanState.IN_REVIEW, PlanState.LEFT}),
    # Back to active when a review is reopened before it is completed.
    PlanState.IN_REVIEW: frozenset({PlanState.ACTIVE, PlanState.CLOSED, PlanState.LEFT}),
    PlanState.CLOSED: frozenset(),
    # A member who comes back (reactivated in Slack) takes this quarter's plan up again.
    PlanState.LEFT: frozenset({PlanState.DRAFT}),
}

_WHY_NOT: dict[PlanState, str] = {
    PlanState.DRAFT: "only a proposed plan, or a returning member's, can go back to draft",
    PlanState.PROPOSED: "only a draft, or an active plan that was edited, can be proposed",
    PlanState.ACTIVE: "a plan becomes active when owner and manager acknowledge it",
    PlanState.IN_REVIEW: "only an active plan can be reviewed",
    PlanState.CLOSED: "only a plan in review can be closed",
    PlanState.LEFT: "a plan closes as left when its owner leaves the workspace",
}


def can_move(current: PlanState, target: PlanState) -> bool:
    return target in _MOVES[current]


def move(current: PlanState, target: PlanState) -> PlanState:
    """The new state, or an error a person can read."""
    if current is PlanState.CLOSED:
        raise IllegalTransition(
            "This plan is closed: its quarter was reviewed. Work on the next quarter's plan."
        )
    if current is PlanState.LEFT and target is not PlanState.DRAFT:
        raise IllegalTransition(
            "This plan closed when its owner left the workspace; it is kept as it was."
        )
    if not can_move(current, target):
        raise IllegalTransition(
            f"A {current.label.lower()} plan cannot become {target.label.lower()}: "
            f"{_WHY_NOT[target]}."
        )
    return target


def is_open(state: PlanState) -> bool:
    """Whether the plan is still under way (neither reviewed and closed, nor left)."""
    return state not in (PlanState.CLOSED, PlanState.LEFT)


def is_editable(state: PlanState) -> bool:
    """Whether the plan's content can still change (its commitments, aspiration)."""
    return state in (PlanState.DRAFT, PlanState.PROPOSED, PlanState.ACTIVE)


def close_unreviewed(current: PlanState) -> PlanState:
    """The grace period is over: an open plan nobody reviewed closes by itself."""
    if current not in (PlanState.PROPOSED, PlanState.ACTIVE, PlanState.IN_REVIEW):
        raise IllegalTransition(f"A {current.label.lower()} plan is not open: nothing to close.")
    return PlanState.CLOSED


def reopen_early_close(current: PlanState) -> PlanState:
    """A quarter closed early, undone before it ends: the plan is active again."""
    if current is not PlanState.CLOSED:
        raise IllegalTransition("This plan is not closed: there is nothing to undo.")
    return PlanState.ACTIVE
