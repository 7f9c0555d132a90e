"""Revisions and acknowledgements.

Every change of a plan is a numbered revision with an author and a time. An
acknowledgement names the revision it acknowledges; it records that both
read this version, not agreement with any judgement. A change after an
acknowledgement needs both acknowledgements again, and shows what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ACKNOWLEDGEMENT_MEANING = (
    "Acknowledging records that you both read this version of the plan. "
    "It is not an admission of poor performance, and not agreement with any judgement."
)

# What a plan looks like to a diff: field label -> readable value.
Snapshot = Mapping[str, str]


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None  # None: added
    after: str | None  # None: removed

    @property
    def line(self) -> str:
        if self.before is None:
            return f"{self.field}: added \u201c{self.after}\u201d"
        if self.after is None:
            return f"{self.field}: removed (was \u201c{self.before}\u201d)"
        return f"{self.field}: \u201c{self.before}\u201d \u2192 \u201c{self.after}\u201d"


def diff(before: Snapshot, after: Snapshot) -> list[Change]:
    """What changed between two snapshots, in the order of ``after`` then removals."""
    changes = [
        Change(field, before.get(field), value)
        for field, value in after.items()
        if before.get(field) != value
    ]
    changes += [Change(field, value, None) for field, value in before.items() if field not in after]
    return changes


@dataclass(frozen=True)
class AckStatus:
    revision: int
    waiting_for: frozenset[int]  # member ids who have not acknowledged this revision
    # The owner has no manager and has not said they have none (their manager
    # left, say): the plan waits for a manager to be named, and to acknowledge.
    needs_manager: bool = False

    @property
    def complete(self) -> bool:
        return not self.waiting_for and not self.needs_manager


def ack_status(
    *,
    revision: int,
    owner_id: int,
    manager_id: int | None,
    acknowledgements: Iterable[tuple[int, int]],
    has_no_manager: bool = False,
) -> AckStatus:
    """Who still has to acknowledge ``revision``. ``acknowledgements`` holds
    (member id, revision) pairs; one for an older revision does not count.
    Only an owner who stated they have no manager (the head of the company:
    ``has_no_manager``) makes a plan active alone; any other owner without a
    manager waits for one."""
    needed = {owner_id} if manager_id is None else {owner_id, manager_id}
    done = {member for member, rev in acknowledgements if rev == revision}
    return AckStatus(
        revision=revision,
        waiting_for=frozenset(needed - done),
        needs_manager=manager_id is None and not has_no_manager,
    )
