"""The quarterly raise-the-bar review: actuals, next quarter's bar, the next plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain import commitments as c
from bot.domain.calendar import may_undo_early_close
from bot.domain.errors import IllegalTransition, ValidationError
from bot.domain.fields import measured, parse_measured
from bot.domain.permissions import require
from bot.domain.plans import PlanState, close_unreviewed, move, reopen_early_close
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


@dataclass(frozen=True, kw_only=True)
class ChosenBar:
    baseline: str
    target: str


@dataclass(frozen=True, kw_only=True)
class Closed:
    """A quarter closed: what it did to next quarter's plan."""

    plan_id: int
    owner_slack_user_id: str
    quarter_label: str
    next_plan_id: int
    next_label: str
    closed_by: str  # "owner", "early" or "grace"
    # The new bars reached the next plan (drafted on them, or an untouched draft
    # took them); False: the owner had edited it already, and is asked.
    carried: bool


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
        proposal = _proposal(session, plan, viewer=actor)
        texts: dict[str, str] = {}
        reflection = clean_text(reflection, field="reflection", errors=texts, what="a reflection")
        reason = clean_text(reason, field="reason", errors=texts, what="the reason") or None
        if texts:  # refused whole, never cut: the modal's limit is the same
            raise ValidationError(texts)
        decisions = _decide_bars(proposal, chosen=chosen, reason=reason)
        if plan.state is PlanState.ACTIVE:
            plan.state = move(plan.state, PlanState.IN_REVIEW)
        review = _record_review(
            session, plan, proposal=proposal, decisions=decisions, reflection=reflection, now=now
        )
        review.closed_by = closed_by
        plan.state = move(plan.state, PlanState.CLOSED)
        next_plan, drafted, _ = _draft_next(
            session, plan, bars={cid: d[1] for cid, d in decisions.items()}
        )
        review.next_plan_id = next_plan.id
        review.drafted_next = drafted
        session.flush()
        return plan_view(session, next_plan, viewer=actor)

    def closed(self, *, plan_id: int) -> Closed | None:
        """How the plan's quarter closed, if it did."""
        session = self._session
        plan = load_plan(session, plan_id)
        review = session.scalar(select(m.Review).where(m.Review.plan_id == plan_id))
        if review is None or review.next_plan_id is None:
            return None
        next_plan = load_plan(session, review.next_plan_id)
        return Closed(
            plan_id=plan.id,
            owner_slack_user_id=plan.owner.slack_user_id,
            quarter_label=plan_quarter(plan).label,
            next_plan_id=next_plan.id,
            next_label=plan_quarter(next_plan).label,
            closed_by=review.closed_by,
            carried=_carries(session, review, next_plan),
        )

    def close_unreviewed(self, *, plan_id: int, now: dt.datetime) -> Closed | None:
        """The grace period is over: close the plan with its computed actuals
        and the proposed bars, which reach next quarter's plan (drafted on them,
        or an untouched draft takes them; an edited one is left to its owner,
        who is asked). Idempotent: a plan closed already is left as it is."""
        session = self._session
        plan = load_plan(session, plan_id)
        if plan.state in (PlanState.PROPOSED, PlanState.ACTIVE, PlanState.IN_REVIEW):
            proposal = _proposal(session, plan, viewer=plan.owner)
            decisions = _decide_bars(proposal, chosen={}, reason=None)
            review = _record_review(
                session, plan, proposal=proposal, decisions=decisions, reflection="", now=now
            )
            review.closed_by = "grace"
            plan.state = close_unreviewed(plan.state)
            next_plan, drafted, _ = _draft_next(
                session, plan, bars={cid: d[1] for cid, d in decisions.items()}
            )
            review.next_plan_id = next_plan.id
            review.drafted_next = drafted
            session.flush()
        return self.closed(plan_id=plan_id)

    def apply_bars(self, *, actor_id: int, plan_id: int) -> PlanView:
        """The owner takes the review's bars into next quarter's plan, which
        they had edited before the quarter closed: while it is a draft."""
        session = self._session
        plan = load_plan(session, plan_id)
        if plan.owner_id != actor_id:
            raise IllegalTransition("Only the plan's owner can take its new bars.")
        review = session.scalar(select(m.Review).where(m.Review.plan_id == plan_id))
        if review is None or review.next_plan_id is None:
            raise IllegalTransition("This quarter is not closed yet.")
        next_plan = load_plan(session, review.next_plan_id)
        if next_plan.state is not PlanState.DRAFT:
            raise IllegalTransition(
                "Your next plan is proposed already: change its bars with `/myplan edit`."
            )
        _take_bars(next_plan, _review_bars(session, review))
        session.flush()
        return plan_view(session, next_plan, viewer=plan.owner)

    def undo_early_close(self, *, actor_id: int, plan_id: int, today: dt.date) -> PlanView:
        """Reopen a quarter its owner closed early, while it lasts: the plan is
        active again, the review is forgotten, and the next plan it drafted goes
        while untouched."""
        session = self._session
        plan = load_plan(session, plan_id)
        if plan.owner_id != actor_id:
            raise IllegalTransition("Only the plan's owner can reopen its quarter.")
        review = session.scalar(select(m.Review).where(m.Review.plan_id == plan_id))
        if review is None or review.closed_by != "early":
            raise IllegalTransition("Only a quarter closed early can be reopened.")
        quarter = plan_quarter(plan)
        if not may_undo_early_close(quarter, today=today):
            raise IllegalTransition(f"{quarter.label} is over: its close stands.")
        plan.state = reopen_early_close(plan.state)
        if review.drafted_next and review.next_plan_id is not None:
            next_plan = load_plan(session, review.next_plan_id)
            if next_plan.state is PlanState.DRAFT and next_plan.revision == 0:
                session.delete(next_plan)
        session.delete(review)
        session.flush()
        return plan_view(session, plan, viewer=plan.owner)


Decision = tuple[BarProposal, Bar, str | None]  # the proposal, the bar chosen, why lower


def _decide_bars(
    proposal: ReviewProposal, *, chosen: Mapping[int, ChosenBar], reason: str | None
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
            )
            target = c.parse_number(
                typed.target if typed else bar.proposed.target,
                field=measured(bar.commitment_id, "target"),
                label="target",
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
    )


def _review_bars(session: Session, review: m.Review) -> dict[str, Bar]:
    """The review's chosen bars, by the title of the commitment they are for."""
    rows = session.execute(
        select(m.Commitment.title, m.ReviewBar.chosen_baseline, m.ReviewBar.chosen_target)
        .join(m.ReviewBar, m.ReviewBar.commitment_id == m.Commitment.id)
        .where(m.ReviewBar.review_id == review.id)
    )
    return {title.casefold(): Bar(baseline, target) for title, baseline, target in rows}


def _take_bars(next_plan: m.Plan, bars: Mapping[str, Bar]) -> None:
    for row in next_plan.commitments:
        bar = bars.get(row.title.casefold())
        if bar is not None:
            row.baseline, row.target = bar.baseline, bar.target


def _carries(session: Session, review: m.Review, next_plan: m.Plan) -> bool:
    """Whether every bar of the review is the next plan's, where it has the commitment."""
    bars = _review_bars(session, review)
    return all(
        (row.baseline, row.target) == (bars[key].baseline, bars[key].target)
        for row in next_plan.commitments
        if (key := row.title.casefold()) in bars
    )


def _draft_next(
    session: Session, plan: m.Plan, *, bars: Mapping[int, Bar]
) -> tuple[m.Plan, bool, bool]:
    """Next quarter's plan: the same aspiration and numeric commitments, on
    the new bars. Returns it, whether it was drafted now, and whether it took
    the bars: a plan that exists already takes them while its owner has not
    edited it (revision 0); an edited one is theirs to decide on."""
    quarter = plan_quarter(plan).next()
    existing = session.scalar(
        select(m.Plan).where(
            m.Plan.owner_id == plan.owner_id,
            m.Plan.fiscal_year == quarter.fiscal_year,
            m.Plan.quarter == quarter.number,
        )
    )
    if existing is not None:
        if existing.state is PlanState.DRAFT and existing.revision == 0:
            if existing.commitments:
                by_title = {
                    row.title.casefold(): bars[row.id] for row in plan.commitments if row.id in bars
                }
                _take_bars(existing, by_title)
            else:  # an empty draft (started by hand): drafted whole on the bars
                existing.commitments = _next_commitments(plan, bars)
            return existing, False, True
        return existing, False, False
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
    next_plan.commitments = _next_commitments(plan, bars)
    next_plan.manager_commitments = [
        m.ManagerCommitment(
            kind=mc.kind, description=mc.description, cadence_weeks=mc.cadence_weeks
        )
        for mc in plan.manager_commitments
    ]
    session.add(next_plan)
    session.flush()
    return next_plan, True, True


def _next_commitments(plan: m.Plan, bars: Mapping[int, Bar]) -> list[m.Commitment]:
    return [
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
        )
        for row in plan.commitments
        if row.id in bars
    ]
