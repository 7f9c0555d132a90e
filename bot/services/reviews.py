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
from bot.services.people import load_member, viewer_of
from bot.services.read_model import PlanView, load_plan, plan_facts, plan_quarter, plan_view
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
        return _proposal(session, plan, viewer=actor)

    def complete(
        self,
        *,
        actor_id: int,
        plan_id: int,
        reflection: str,
        chosen: Mapping[int, ChosenBar],
        reason: str | None,
        now: dt.datetime,
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
        proposal = _proposal(session, plan, viewer=actor)
        texts: dict[str, str] = {}
        reflection = clean_text(reflection, field="reflection", errors=texts, what="a reflection")
        reason = clean_text(reason, field="reason", errors=texts, what="the reason") or None
        if texts:  # refused whole, never cut: the modal's limit is the same
            raise ValidationError(texts)
        decisions = _decide_bars(proposal, chosen=chosen, reason=reason, locale=actor.locale)
        if plan.state is PlanState.ACTIVE:
            plan.state = move(plan.state, PlanState.IN_REVIEW)
        review = _record_review(
            session, plan, proposal=proposal, decisions=decisions, reflection=reflection, now=now
        )
        plan.state = move(plan.state, PlanState.CLOSED)
        next_plan = _draft_next(session, plan, bars={cid: d[1] for cid, d in decisions.items()})
        review.next_plan_id = next_plan.id
        session.flush()
        return plan_view(session, next_plan, viewer=actor)


Decision = tuple[BarProposal, Bar, str | None]  # the proposal, the bar chosen, why lower


def _decide_bars(
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


def _record_review(
    session: Session,
    plan: m.Plan,
    *,
    proposal: ReviewProposal,
    decisions: Mapping[int, Decision],
    reflection: str,
    now: dt.datetime,
) -> m.Review:
    review = m.Review(
        plan_id=plan.id,
        owner_reflection=reflection,
        wins_summary="\n".join(proposal.wins),
        completed_at=now,
    )
    session.add(review)
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


def _proposal(session: Session, plan: m.Plan, *, viewer: m.Member) -> ReviewProposal:
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
    return ReviewProposal(
        plan=view,
        stretch=stretch,
        bars=tuple(bars),
        wins=tuple(f"{w.happened_on:%b %-d}: {w.text}" for w in view.wins),
        locale=viewer.locale,
    )


def _draft_next(session: Session, plan: m.Plan, *, bars: Mapping[int, Bar]) -> m.Plan:
    """Next quarter's plan: the same aspiration and numeric commitments, on the new bars."""
    quarter = plan_quarter(plan).next()
    existing = session.scalar(
        select(m.Plan).where(
            m.Plan.owner_id == plan.owner_id,
            m.Plan.fiscal_year == quarter.fiscal_year,
            m.Plan.quarter == quarter.number,
        )
    )
    if existing is not None:
        return existing
    next_plan = m.Plan(
        owner_id=plan.owner_id,
        fiscal_year=quarter.fiscal_year,
        quarter=quarter.number,
        state=PlanState.DRAFT,
        visibility=plan.visibility,
        aspiration=plan.aspiration,
        strengths=plan.strengths,
        growth_areas=plan.growth_areas,
        feedback_acted_on=plan.feedback_acted_on,
        revision=0,
    )
    next_plan.commitments = [
        m.Commitment(
            position=row.position,
            title=row.title,
            kind=row.kind,
            unit=row.unit,
            baseline=bars[row.id].baseline,
            target=bars[row.id].target,
            direction=row.direction,
            rollup=row.rollup,
            metric_key=row.metric_key,
            key=row.key,  # the same commitment, next quarter
        )
        for row in plan.commitments
        if row.id in bars
    ]
    next_plan.manager_commitments = [
        m.ManagerCommitment(
            kind=mc.kind, description=mc.description, cadence_weeks=mc.cadence_weeks
        )
        for mc in plan.manager_commitments
    ]
    session.add(next_plan)
    session.flush()
    return next_plan
