"""A plan's content as a person enters it, its validation, and its snapshot.

Field names in validation errors are the domain's (bot/domain/fields.py:
"aspiration", "commitments[2].target", "one_on_one_cadence"), so the Slack
layer can put each message on the block the person typed into.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from bot.domain.commitments import (
    Commitment,
    CommitmentKind,
    Direction,
    typed_number,
    validate_commitment,
)
from bot.domain.errors import ValidationError
from bot.domain.fields import drafted
from bot.domain.plans import Visibility
from bot.domain.quarters import Quarter
from bot.domain.revisions import Snapshot
from bot.domain.text import clean_text

MAX_COMMITMENTS = 10  # a modal holds 100 blocks; 10 commitments of 8 inputs fit
MAX_CADENCE_WEEKS = 13


@dataclass(frozen=True, kw_only=True)
class CommitmentInput:
    """One commitment exactly as typed: strings, so nothing is lost on refusal."""

    title: str | None = None
    kind: str | None = None
    unit: str | None = None
    baseline: str | None = None
    target: str | None = None
    direction: str | None = "up"
    rollup: str | None = None
    due_date: date | None = None
    # The stored commitment this slot edits (None: a new one). Forgeable, so
    # the service matches it only among the plan's own commitments.
    id: int | None = None


@dataclass(frozen=True, kw_only=True)
class PlanInput:
    aspiration: str = ""
    strengths: str = ""
    growth_areas: str = ""
    feedback_acted_on: str = ""
    visibility: str = Visibility.PRIVATE.value
    commitments: Sequence[CommitmentInput] = ()
    one_on_one_cadence: str | None = None  # weeks between 1:1s, as typed
    coaching_focus: str = ""
    other_support: str = ""


@dataclass(frozen=True, kw_only=True)
class ManagerSide:
    one_on_one_cadence_weeks: int | None
    coaching_focus: str
    other_support: str


@dataclass(frozen=True, kw_only=True)
class PlanContent:
    """Validated content, ready to store."""

    aspiration: str
    strengths: str
    growth_areas: str
    feedback_acted_on: str
    visibility: Visibility
    commitments: tuple[Commitment, ...]
    manager: ManagerSide = field(
        default_factory=lambda: ManagerSide(
            one_on_one_cadence_weeks=None, coaching_focus="", other_support=""
        )
    )


def validate_plan(
    plan: PlanInput, *, quarter: Quarter | None = None, locale: str | None = None
) -> PlanContent:
    """Validate a whole plan, collecting every problem on its own field;
    numbers are read in ``locale``, the Slack locale of whoever typed them."""
    errors: dict[str, str] = {}
    texts = {}
    for name in ("aspiration", "strengths", "growth_areas", "feedback_acted_on"):
        texts[name] = clean_text(getattr(plan, name), field=name, errors=errors)
    if not texts["aspiration"] and "aspiration" not in errors:
        errors["aspiration"] = (
            "Say what you are aiming for this quarter: the aspiration is the heart of the plan."
        )
    try:
        visibility = Visibility(plan.visibility)
    except ValueError:
        errors["visibility"] = "Choose who can see the plan: private, team or public."
        visibility = Visibility.PRIVATE
    commitments = _commitments(plan.commitments, quarter=quarter, errors=errors, locale=locale)
    manager = _manager_side(plan, errors=errors)
    if errors:
        raise ValidationError(errors)
    return PlanContent(
        aspiration=texts["aspiration"],
        strengths=texts["strengths"],
        growth_areas=texts["growth_areas"],
        feedback_acted_on=texts["feedback_acted_on"],
        visibility=visibility,
        commitments=tuple(commitments),
        manager=manager,
    )


def _commitments(
    drafts: Sequence[CommitmentInput],
    *,
    quarter: Quarter | None,
    errors: dict[str, str],
    locale: str | None,
) -> list[Commitment]:
    """Each drafted commitment checked, its problems on its own fields; titles unique."""
    if len(drafts) > MAX_COMMITMENTS:
        errors["commitments"] = (
            f"A plan holds at most {MAX_COMMITMENTS} commitments: focus on what matters most."
        )
    commitments: list[Commitment] = []
    titles: dict[str, int] = {}
    ids: set[int] = set()
    for index, raw in enumerate(drafts):
        try:
            commitment = validate_commitment(
                title=raw.title,
                kind=raw.kind,
                unit=raw.unit,
                baseline=raw.baseline,
                target=raw.target,
                direction=raw.direction,
                rollup=raw.rollup,
                due_date=raw.due_date,
                quarter_start=quarter.start if quarter else None,
                quarter_end=quarter.end if quarter else None,
                locale=locale,
            )
        except ValidationError as error:
            errors.update({drafted(index, name): msg for name, msg in error.errors.items()})
            continue
        key = commitment.title.casefold()
        if key in titles:
            errors[drafted(index, "title")] = (
                "Another commitment has this title; give each its own."
            )
        titles[key] = index
        # One slot per stored commitment: a repeated id (forged) is a new one.
        commitments.append(replace(commitment, id=raw.id if raw.id not in ids else None))
        if raw.id is not None:
            ids.add(raw.id)
    return commitments


def validate_manager_side(
    *, one_on_one_cadence: str | None, coaching_focus: str, other_support: str
) -> ManagerSide:
    """The manager's side as the manager typed it, every problem on its field."""
    errors: dict[str, str] = {}
    side = _manager_side(
        PlanInput(
            one_on_one_cadence=one_on_one_cadence,
            coaching_focus=coaching_focus,
            other_support=other_support,
        ),
        errors=errors,
    )
    if errors:
        raise ValidationError(errors)
    return side


def _manager_side(plan: PlanInput, *, errors: dict[str, str]) -> ManagerSide:
    cadence: int | None = None
    raw_cadence = (plan.one_on_one_cadence or "").strip()
    if raw_cadence:
        if not raw_cadence.isdigit() or not 1 <= int(raw_cadence) <= MAX_CADENCE_WEEKS:
            errors["one_on_one_cadence"] = (
                f"Enter how many weeks between 1:1s, a whole number from 1 to {MAX_CADENCE_WEEKS}."
            )
        else:
            cadence = int(raw_cadence)
    return ManagerSide(
        one_on_one_cadence_weeks=cadence,
        coaching_focus=clean_text(plan.coaching_focus, field="coaching_focus", errors=errors),
        other_support=clean_text(plan.other_support, field="other_support", errors=errors),
    )


def describe_commitment(commitment: Commitment) -> str:
    """One readable line: 'activity: 20 → 25 calls (higher is better, average of weeks)'."""
    if commitment.kind is CommitmentKind.MILESTONE:
        due = commitment.due_date.isoformat() if commitment.due_date else "no date"
        return f"milestone: done by {due}"
    better = "higher" if commitment.direction is Direction.UP else "lower"
    per = " per week" if commitment.kind is CommitmentKind.ACTIVITY else ""
    return (
        f"{commitment.kind.value}: {typed_number(commitment.baseline, grouped=True)} \u2192 "
        f"{typed_number(commitment.target, grouped=True)} {commitment.unit}{per} "
        f"({better} is better, {commitment.rollup.value} of weeks)"
    )


def commitment_label(title: str) -> str:
    """A commitment's field in a snapshot (and so in a diff)."""
    return f"Commitment \u201c{title}\u201d"


def renamed_labels(before: PlanContent, after: PlanContent) -> Mapping[str, str]:
    """The snapshot labels of the commitments ``after`` renamed, by identity:
    old label -> new label, for ``diff`` to say "renamed"."""
    titles = {c.id: c.title for c in before.commitments if c.id is not None}
    return {
        commitment_label(titles[c.id]): commitment_label(c.title)
        for c in after.commitments
        if c.id in titles and titles[c.id] != c.title
    }


def snapshot(content: PlanContent) -> Snapshot:
    """The plan as labelled text, for revisions and readable diffs."""
    result: dict[str, str] = {
        "Aspiration": content.aspiration,
        "Strengths to stretch": content.strengths,
        "Growth areas": content.growth_areas,
        "Feedback acted on": content.feedback_acted_on,
        "Visibility": content.visibility.value,
    }
    for commitment in content.commitments:
        result[commitment_label(commitment.title)] = describe_commitment(commitment)
    cadence = content.manager.one_on_one_cadence_weeks
    result["1:1 cadence"] = f"every {cadence} week(s)" if cadence else ""
    result["Coaching focus"] = content.manager.coaching_focus
    result["Other support"] = content.manager.other_support
    return {label: value for label, value in result.items() if value}


def input_as_json(plan: PlanInput) -> dict[str, object]:
    """A plan as typed, for keeping (a suggested edit): plain JSON values."""
    return {
        "aspiration": plan.aspiration,
        "strengths": plan.strengths,
        "growth_areas": plan.growth_areas,
        "feedback_acted_on": plan.feedback_acted_on,
        "visibility": plan.visibility,
        "commitments": [
            {
                "title": c.title,
                "kind": c.kind,
                "unit": c.unit,
                "baseline": c.baseline,
                "target": c.target,
                "direction": c.direction,
                "rollup": c.rollup,
                "due_date": c.due_date.isoformat() if c.due_date else None,
            }
            for c in plan.commitments
        ],
    }


def input_from_json(data: object) -> PlanInput:
    """The plan as kept by :func:`input_as_json`; a ValueError if it is not one."""
    if not isinstance(data, dict):
        raise ValueError("not a kept plan")

    def text(source: dict[str, object], name: str) -> str | None:
        value = source.get(name)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} is not text")
        return value

    rows = data.get("commitments") or []
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValueError("commitments are not a list")
    commitments = []
    for row in rows:
        due = text(row, "due_date")
        commitments.append(
            CommitmentInput(
                title=text(row, "title"),
                kind=text(row, "kind"),
                unit=text(row, "unit"),
                baseline=text(row, "baseline"),
                target=text(row, "target"),
                direction=text(row, "direction"),
                rollup=text(row, "rollup"),
                due_date=date.fromisoformat(due) if due else None,
            )
        )
    return PlanInput(
        aspiration=text(data, "aspiration") or "",
        strengths=text(data, "strengths") or "",
        growth_areas=text(data, "growth_areas") or "",
        feedback_acted_on=text(data, "feedback_acted_on") or "",
        visibility=text(data, "visibility") or Visibility.PRIVATE.value,
        commitments=commitments,
    )


@dataclass(frozen=True, kw_only=True)
class ManagerSideInput:
    """The manager's side as typed in its modal: strings, so nothing is lost on refusal."""

    one_on_one_cadence: str | None = None
    coaching_focus: str = ""
    other_support: str = ""
