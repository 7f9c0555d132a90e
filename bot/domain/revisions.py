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
    renamed_from: str | None = None  # the field's label before a rename

    @property
    def line(self) -> str:
        if self.renamed_from is not None:
            line = f"{self.field}: renamed from {_name_in(self.renamed_from, like=self.field)}"
            if self.before != self.after:
                line += f"; \u201c{self.before}\u201d \u2192 \u201c{self.after}\u201d"
            return line
        if self.before is None:
            return f"{self.field}: added \u201c{self.after}\u201d"
        if self.after is None:
            return f"{self.field}: removed (was \u201c{self.before}\u201d)"
        return f"{self.field}: \u201c{self.before}\u201d \u2192 \u201c{self.after}\u201d"


def _name_in(label: str, *, like: str) -> str:
    """The part of ``label`` that names it ("“Calls”" of "Commitment “Calls”"),
    when ``like`` starts the same way."""
    kind, quote, _ = like.partition("\u201c")
    return label.removeprefix(kind) if quote and label.startswith(kind + quote) else label


def diff(
    before: Snapshot, after: Snapshot, *, renamed: Mapping[str, str] | None = None
) -> list[Change]:
    """What changed between two snapshots, in the order of ``after`` then
    removals. ``renamed`` maps a field's old label to its new one (a
    commitment renamed, by its identity): it is one change, "renamed", not a
    removal and an addition."""
    renames = dict(renamed or {})
    was = {new: old for old, new in renames.items() if old in before and new in after}
    changes = []
    for field, value in after.items():
        old = was.get(field)
        if old is not None:
            changes.append(Change(field, before[old], value, renamed_from=old))
        elif before.get(field) != value or (field in before and field in renames):
            # A field whose label another commitment took by a rename is new.
            changes.append(Change(field, None if field in renames else before.get(field), value))
    gone = set(was.values())
    changes += [
        Change(field, value, None)
        for field, value in before.items()
        if field not in gone and (field not in after or field in renames)
    ]
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
