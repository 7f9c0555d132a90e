"""Next quarter's plan from a closed review: drafted on the new bars, or an
existing one given them (while its owner has not edited it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain.plans import PlanState
from bot.domain.raise_bar import Bar
from bot.services.read_model import plan_quarter


@dataclass(frozen=True)
class KeptBar:
    """A review's chosen bar for one commitment, by its identity and its title."""

    key: str
    title: str
    bar: Bar


def review_bars(session: Session, review: m.Review) -> list[KeptBar]:
    """The review's chosen bars, each with the commitment it is for."""
    rows = session.execute(
        select(
            m.Commitment.key,
            m.Commitment.title,
            m.ReviewBar.chosen_baseline,
            m.ReviewBar.chosen_target,
        )
        .join(m.ReviewBar, m.ReviewBar.commitment_id == m.Commitment.id)
        .where(m.ReviewBar.review_id == review.id)
    )
    return [KeptBar(key, title, Bar(baseline, target)) for key, title, baseline, target in rows]


def matched(next_plan: m.Plan, bars: Sequence[KeptBar]) -> dict[int, Bar]:
    """Which of the next plan's commitments each bar is for, by commitment id.
    A commitment keeps its ``key`` across quarters and renames, so the key
    decides; a title only pairs what no key did (a next plan written by hand
    has commitments of its own, with their own keys)."""
    by_key = {bar.key: bar for bar in bars}
    found = {row.id: by_key[row.key] for row in next_plan.commitments if row.key in by_key}
    used = {bar.key for bar in found.values()}
    by_title = {bar.title.casefold(): bar for bar in bars if bar.key not in used}
    for row in next_plan.commitments:
        if row.id not in found and (bar := by_title.pop(row.title.casefold(), None)):
            found[row.id] = bar
    return {row_id: bar.bar for row_id, bar in found.items()}


def take_bars(next_plan: m.Plan, bars: Sequence[KeptBar]) -> None:
    taken = matched(next_plan, bars)
    for row in next_plan.commitments:
        if (bar := taken.get(row.id)) is not None:
            row.baseline, row.target = bar.baseline, bar.target


def carries(session: Session, review: m.Review, *, next_plan: m.Plan) -> bool:
    """Whether every bar of the review is the next plan's, where it has the commitment."""
    bars = review_bars(session, review)
    taken = matched(next_plan, bars)
    return all(
        (row.baseline, row.target) == (taken[row.id].baseline, taken[row.id].target)
        for row in next_plan.commitments
        if row.id in taken
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
                take_bars(
                    existing,
                    [
                        KeptBar(row.key, row.title, bars[row.id])
                        for row in plan.commitments
                        if row.id in bars
                    ],
                )
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
