"""The quarterly raise-the-bar review: actuals, next quarter's bar, the next plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain import commitments as c
from bot.domain.errors import IllegalTransition, ValidationError
from bot.domain.fields import measured, parse_measured
from bot.domain.permissions import require
from bot.domain.plans import PlanState, move
from bot.domain.raise_bar import DEFAULT_STRETCH, Bar, decide_bar, meet_standard, next_bar
from bot.domain.text import clean_text
from bot.services.next_plan import draft_next
from bot.services.people import load_member, viewer_of
from bot.services.read_model import PlanView, load_plan, plan_facts, plan_view
from bot.services.standards import metric_key


@dataclass(frozen=True, kw_only=True)
class BarProposal:
    commitment_id: int
    title: str
    unit: str
    kind: c.CommitmentKind
    direction: c.Direction
    actual: float | None
    target: float
    proposed: Bar | None  # None for milestones: they do not carry over
    standard: float | None = None  # the team's approved minimum for this metric


@dataclass(frozen=True, kw_only=True)
class ReviewProposal:
    plan: PlanView
    stretch: float
    bars: tuple[BarProposal, ...]
    wins: tuple[str, ...]
    # What the review holds so far: both reflections, and each lowered bar's reason.
    owner_reflection: str = ""
    manager_reflection: str = ""
    lowered: tuple[tuple[str, str], ...] = ()  # (commitment title, why lower)
    closed: bool = False
    locale: str | None = None  # the reviewer's (Slack's): how the bars are typed and shown


@dataclass(frozen=True, kw_only=True)
class ChosenBar:
    baseline: str
    target: str


class ReviewService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def proposal(self, *, actor_id: int, plan_id: int) -> ReviewProposal:
        session = self._session
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="review")
        return proposal_of(session, plan, viewer=actor)

    def reflect(
        self, *, actor_id: int, plan_id: int, reflection: str, now: dt.datetime
    ) -> PlanView:
        """The owner's direct manager writes (or rewrites) their reflection on
        the quarter, before or after the owner closes it."""
        session = self._session
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="review")
        if plan.owner.manager_id != actor.id:
            raise IllegalTransition("The plan's manager writes the manager's reflection.")
        if plan.state not in (PlanState.ACTIVE, PlanState.IN_REVIEW, PlanState.CLOSED):
            raise IllegalTransition(
                f"Only an active plan is reviewed; this one is {plan.state.label.lower()}."
            )
        texts: dict[str, str] = {}
        kept = clean_text(reflection, field="reflection", errors=texts, what="a reflection")
        if texts:
            raise ValidationError(texts)
        if not kept:
            raise ValidationError({"reflection": "Write your reflection on the quarter first."})
        review = _review_of(session, plan.id, now=now)
        review.manager_reflection = kept
        session.flush()
        return plan_view(session, plan, viewer=actor)

    def complete(
        self,
        *,
        actor_id: int,
        plan_id: int,
        reflection: str,
        chosen: Mapping[int, ChosenBar],
        reason: str | None,
        now: dt.datetime,
        closed_by: str = "owner",
    ) -> PlanView:
        """Close the quarter: record actuals and the chosen bars (a lower bar
        than proposed needs the reason), close the plan, and draft next
        quarter's plan from the new bars. Returns the new draft."""
        session = self._session
        actor = load_member(session, actor_id)
        plan = load_plan(session, plan_id)
        require(viewer_of(actor), plan_facts(session, plan, viewer=actor), to="review")
        if plan.owner_id != actor_id:
            raise IllegalTransition("The plan's owner completes the review; you can comment on it.")
        if plan.state not in (PlanState.ACTIVE, PlanState.IN_REVIEW):
            raise IllegalTransition(
                f"Only an active plan is reviewed; this one is {plan.state.label.lower()}."
            )
        proposal = proposal_of(session, plan, viewer=actor)
        texts: dict[str, str] = {}
        reflection = clean_text(reflection, field="reflection", errors=texts, what="a reflection")
        reason = clean_text(reason, field="reason", errors=texts, what="the reason") or None
        if texts:  # refused whole, never cut: the modal's limit is the same
            raise ValidationError(texts)
        decisions = decide_bars(proposal, chosen=chosen, reason=reason, locale=actor.locale)
        if plan.state is PlanState.ACTIVE:
            plan.state = move(plan.state, PlanState.IN_REVIEW)
        review = record_review(
            session, plan, proposal=proposal, decisions=decisions, reflection=reflection, now=now
        )
        review.closed_by = closed_by
        plan.state = move(plan.state, PlanState.CLOSED)
        next_plan, drafted, _ = draft_next(
            session, plan, bars={cid: d[1] for cid, d in decisions.items()}
        )
        review.next_plan_id = next_plan.id
        review.drafted_next = drafted
        session.flush()
        return plan_view(session, next_plan, viewer=actor)


Decision = tuple[BarProposal, Bar, str | None]  # the proposal, the bar chosen, why lower


def decide_bars(
    proposal: ReviewProposal,
    *,
    chosen: Mapping[int, ChosenBar],
    reason: str | None,
    locale: str | None = None,
) -> dict[int, Decision]:
    """Each carried-over commitment's next bar as chosen (the proposed one when
    left as it was); every refusal is reported on its own field, all at once."""
    errors: dict[str, str] = {}
    decisions: dict[int, Decision] = {}
    for bar in proposal.bars:
        if bar.proposed is None:
            continue
        typed = chosen.get(bar.commitment_id)
        try:
            baseline = c.parse_number(
                typed.baseline if typed else bar.proposed.baseline,
                field=measured(bar.commitment_id, "baseline"),
                label="baseline",
                locale=locale,
            )
            target = c.parse_number(
                typed.target if typed else bar.proposed.target,
                field=measured(bar.commitment_id, "target"),
                label="target",
                locale=locale,
            )
            decision = decide_bar(
                proposed=bar.proposed,
                chosen=Bar(baseline, target),
                direction=bar.direction,
                reason=reason,
            )
        except ValidationError as error:
            for field, message in error.errors.items():
                key = (
                    field
                    if parse_measured(field) or field == "reason"
                    else measured(bar.commitment_id, field)
                )
                errors[key] = f"{bar.title}: {message}" if key == "reason" else message
            continue
        decisions[bar.commitment_id] = (bar, decision.bar, decision.reason)
    if errors:
        raise ValidationError(errors)
    return decisions


def record_review(
    session: Session,
    plan: m.Plan,
    *,
    proposal: ReviewProposal,
    decisions: Mapping[int, Decision],
    reflection: str,
    now: dt.datetime,
) -> m.Review:
    review = _review_of(session, plan.id, now=now)
    review.owner_reflection = reflection
    review.wins_summary = "\n".join(proposal.wins)
    review.completed_at = now
    session.flush()
    for bar, decided, lowered_reason in decisions.values():
        assert bar.proposed is not None
        session.add(
            m.ReviewBar(
                review_id=review.id,
                commitment_id=bar.commitment_id,
                actual=bar.actual,
                proposed_baseline=bar.proposed.baseline,
                proposed_target=bar.proposed.target,
                chosen_baseline=decided.baseline,
                chosen_target=decided.target,
                lowered_reason=lowered_reason,
            )
        )
    return review


def _review_of(session: Session, plan_id: int, *, now: dt.datetime) -> m.Review:
    """The plan's review, begun when the first of owner and manager writes to it."""
    review = session.scalar(select(m.Review).where(m.Review.plan_id == plan_id))
    if review is None:
        review = m.Review(plan_id=plan_id, created_at=now)
        session.add(review)
        session.flush()
    return review


@dataclass(frozen=True, kw_only=True)
class _Kept:
    owner_reflection: str = ""
    manager_reflection: str = ""
    lowered: tuple[tuple[str, str], ...] = ()
    closed: bool = False


def _kept_review(session: Session, plan: m.Plan) -> _Kept:
    """What the plan's review holds so far, for the review's readers."""
    review = session.scalar(select(m.Review).where(m.Review.plan_id == plan.id))
    if review is None:
        return _Kept()
    titles = {row.id: row.title for row in plan.commitments}
    lowered = tuple(
        (titles.get(commitment_id, "A commitment"), reason)
        for commitment_id, reason in session.execute(
            select(m.ReviewBar.commitment_id, m.ReviewBar.lowered_reason)
            .where(m.ReviewBar.review_id == review.id, m.ReviewBar.lowered_reason.is_not(None))
            .order_by(m.ReviewBar.id)
        )
        if reason
    )
    return _Kept(
        owner_reflection=review.owner_reflection,
        manager_reflection=review.manager_reflection,
        lowered=lowered,
        closed=review.completed_at is not None,
    )


def _stretch(plan: m.Plan) -> float:
    team = plan.owner.team
    if team is not None and team.stretch is not None:
        return team.stretch
    return plan.owner.workspace.default_stretch or DEFAULT_STRETCH


def _standards(session: Session, team_id: int | None) -> dict[str, float]:
    """The team's approved minimums, by metric."""
    if team_id is None:
        return {}
    rows = session.execute(
        select(m.TeamStandard.metric_key, m.TeamStandard.minimum).where(
            m.TeamStandard.team_id == team_id, m.TeamStandard.minimum.is_not(None)
        )
    )
    return {key: minimum for key, minimum in rows if minimum is not None}


def proposal_of(session: Session, plan: m.Plan, *, viewer: m.Member) -> ReviewProposal:
    view = plan_view(session, plan, viewer=viewer)
    stretch = _stretch(plan)
    standards = _standards(session, plan.owner.team_id)
    bars = []
    for cv in view.commitments:
        commitment = cv.commitment
        standard = standards.get(metric_key(commitment))
        proposed = None
        if not commitment.is_milestone:
            proposed = next_bar(
                baseline=commitment.baseline,
                target=commitment.target,
                achieved=c.achieved_in_target_terms(commitment, cv.weekly_values),
                direction=commitment.direction,
                stretch=stretch,
            )
            proposed = meet_standard(proposed, minimum=standard, direction=commitment.direction)
        bars.append(
            BarProposal(
                commitment_id=cv.id,
                title=commitment.title,
                unit=commitment.unit,
                kind=commitment.kind,
                direction=commitment.direction,
                actual=cv.actual,
                target=commitment.target,
                proposed=proposed,
                standard=standard,
            )
        )
    kept = _kept_review(session, plan)
    return ReviewProposal(
        plan=view,
        stretch=stretch,
        bars=tuple(bars),
        wins=tuple(f"{w.happened_on:%b %-d}: {w.text}" for w in view.wins),
        owner_reflection=kept.owner_reflection,
        manager_reflection=kept.manager_reflection,
        lowered=kept.lowered,
        closed=kept.closed,
        locale=viewer.locale,
    )
