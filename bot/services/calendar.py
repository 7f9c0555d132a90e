"""The quarter's turns over the database: whose plans the calendar asks
something of, and the closes it makes (by grace, early and undone)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import bindparam, or_, select
from sqlalchemy.orm import Session

from bot.db import models as m
from bot.domain.calendar import may_undo_early_close
from bot.domain.errors import IllegalTransition
from bot.domain.plans import PlanState, close_unreviewed, reopen_early_close
from bot.domain.quarters import Quarter
from bot.services.next_plan import carries, draft_next, review_bars, take_bars
from bot.services.read_model import PlanView, load_plan, plan_quarter, plan_view
from bot.services.reviews import decide_bars, proposal_of, record_review
from bot.services.rhythm import OPEN_STATES


@dataclass(frozen=True, kw_only=True)
class PlanOwnerRow:
    """A plan of a team's member, for what the calendar asks of its owner."""

    plan_id: int
    member_id: int
    slack_user_id: str
    timezone: str


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


# The team's current members' plans of a quarter in some states; built once,
# as the clock asks it of every team most hours (see bot/services/rhythm_queries.py).
_PLANS_OF_QUARTER = (
    select(m.Plan.id, m.Member.id, m.Member.slack_user_id, m.Member.timezone)
    .join(m.Member, m.Member.id == m.Plan.owner_id)
    .where(
        m.Member.team_id == bindparam("team_id"),
        m.Member.deactivated_at.is_(None),
        m.Plan.fiscal_year == bindparam("fiscal_year"),
        m.Plan.quarter == bindparam("quarter"),
    )
    .order_by(m.Plan.id)
)
_IN_STATES = m.Plan.state.in_(bindparam("states", expanding=True))
_PLANS_IN = _PLANS_OF_QUARTER.where(_IN_STATES)
_ANY_PLAN_IN = _PLANS_IN.limit(1)
# ... and those whose review was closed by ``closed_by``.
_PLANS_IN_OR_CLOSED_BY = _PLANS_OF_QUARTER.where(
    or_(
        _IN_STATES,
        select(m.Review.id)
        .where(m.Review.plan_id == m.Plan.id, m.Review.closed_by == bindparam("closed_by"))
        .exists(),
    )
)


class CalendarService:
    def __init__(self, session: Session) -> None:
        self._session = session

    def plans_in(
        self,
        *,
        team_id: int,
        quarter: Quarter,
        states: tuple[PlanState, ...],
        or_closed_by: str | None = None,
    ) -> list[PlanOwnerRow]:
        """The team's current members' plans of ``quarter`` in ``states`` (and
        those whose review was closed by ``or_closed_by``). One query."""
        params = {
            "team_id": team_id,
            "fiscal_year": quarter.fiscal_year,
            "quarter": quarter.number,
            "states": list(states),
        }
        if or_closed_by:
            params["closed_by"] = or_closed_by
        rows = self._session.execute(_PLANS_IN_OR_CLOSED_BY if or_closed_by else _PLANS_IN, params)
        return [
            PlanOwnerRow(plan_id=plan_id, member_id=member_id, slack_user_id=user, timezone=tz)
            for plan_id, member_id, user, tz in rows
        ]

    def has_plans(self, *, team_id: int, quarter: Quarter) -> bool:
        """Whether any current member of the team has a plan for ``quarter``, drafts included."""
        return (
            self._session.scalar(
                _ANY_PLAN_IN,
                {
                    "team_id": team_id,
                    "fiscal_year": quarter.fiscal_year,
                    "quarter": quarter.number,
                    "states": [PlanState.DRAFT, *OPEN_STATES],
                },
            )
            is not None
        )

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
            carried=carries(session, review, next_plan=next_plan),
        )

    def close_unreviewed(self, *, plan_id: int, now: dt.datetime) -> Closed | None:
        """The grace period is over: close the plan with its computed actuals
        and the proposed bars, which reach next quarter's plan (drafted on them,
        or an untouched draft takes them; an edited one is left to its owner,
        who is asked). Idempotent: a plan closed already is left as it is."""
        session = self._session
        plan = load_plan(session, plan_id)
        if plan.state in (PlanState.PROPOSED, PlanState.ACTIVE, PlanState.IN_REVIEW):
            proposal = proposal_of(session, plan, viewer=plan.owner)
            decisions = decide_bars(proposal, chosen={}, reason=None)
            review = record_review(
                session, plan, proposal=proposal, decisions=decisions, reflection="", now=now
            )
            review.closed_by = "grace"
            plan.state = close_unreviewed(plan.state)
            next_plan, drafted, _ = draft_next(
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
        take_bars(next_plan, review_bars(session, review))
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
