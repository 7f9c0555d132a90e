"""Next quarter's plan from a closed review: drafted on the new bars, or an
existing one given them (while its owner has not edited it)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain.plans import PlanState
from bot.domain.raise_bar import Bar
from bot.services.read_model import plan_quarter


def review_bars(session: Session, review: m.Review) -> dict[str, Bar]:
    """The review's chosen bars, by the title of the commitment they are for."""
    rows = session.execute(
        select(m.Commitment.title, m.ReviewBar.chosen_baseline, m.ReviewBar.chosen_target)
        .join(m.ReviewBar, m.ReviewBar.commitment_id == m.Commitment.id)
        .where(m.ReviewBar.review_id == review.id)
    )
    return {title.casefold(): Bar(baseline, target) for title, baseline, target in rows}


def take_bars(next_plan: m.Plan, bars: Mapping[str, Bar]) -> None:
    for row in next_plan.commitments:
        bar = bars.get(row.title.casefold())
        if bar is not None:
            row.baseline, row.target = bar.baseline, bar.target


def carries(session: Session, review: m.Review, *, next_plan: m.Plan) -> bool:
    """Whether every bar of the review is the next plan's, where it has the commitment."""
    bars = review_bars(session, review)
    return all(
        (row.baseline, row.target) == (bars[key].baseline, bars[key].target)
        for row in next_plan.commitments
        if (key := row.title.casefold()) in bars
    )


def draft_next(
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
                take_bars(existing, by_title)
            else:  # an empty draft (started by hand): drafted whole on the bars
                existing.commitments = next_commitments(plan, bars)
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
    next_plan.commitments = next_commitments(plan, bars)
    next_plan.manager_commitments = [
        m.ManagerCommitment(
            kind=mc.kind, description=mc.description, cadence_weeks=mc.cadence_weeks
        )
        for mc in plan.manager_commitments
    ]
    session.add(next_plan)
    session.flush()
    return next_plan, True, True


def next_commitments(plan: m.Plan, bars: Mapping[int, Bar]) -> list[m.Commitment]:
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
            key=row.key,  # the same commitment, next quarter
        )
        for row in plan.commitments
        if row.id in bars
    ]
