"""Plans: drafting, revisions, acknowledgement, wins and weekly check-ins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from bot.db import models as m
from bot.db.session import Database
from bot.domain import commitments as c
from bot.domain.content import (
    ManagerSide,
    PlanContent,
    PlanInput,
    snapshot,
    validate_plan,
)
from bot.domain.errors import IllegalTransition, NotFound, ValidationError
from bot.domain.fields import measured
from bot.domain.permissions import Access, PlanFacts, plan_access, require
from bot.domain.plans import PlanState, Visibility, is_editable, move
from bot.domain.quarters import Quarter, quarter_of, week_start
from bot.domain.revisions import AckStatus, Change, ack_status, diff
from bot.domain.rhythm import OneOnOnes, one_on_ones
from bot.services.members import load_member, managers_above, viewer_of

WIN_MAX = 3000


@dataclass(frozen=True, kw_only=True)
class CommitmentView:
    id: int
    commitment: c.Commitment
    weekly_values: tuple[float, ...]
    actual: float | None
    progress: float


@dataclass(frozen=True, kw_only=True)
class WinView:
    text: str
    happened_on: dt.date
    message_link: str | None


@dataclass(frozen=True, kw_only=True)
class PlanView:
    id: int
    owner_id: int
    owner_slack_user_id: str
    quarter: Quarter
    state: PlanState
    revision: int
    content: PlanContent
    commitments: tuple[CommitmentView, ...]
    wins: tuple[WinView, ...]
    acknowledgement: AckStatus
    manager_id: int | None
    access: Access
    one_on_ones: OneOnOnes | None = None


@dataclass(frozen=True, kw_only=True)
class ReportRow:
    member_id: int
    slack_user_id: str
    name: str
    plan_id: int | None
    state: PlanState | None
    last_checkin: dt.date | None
    progress: float | None  # mean progress over commitments, each capped at 100%
    one_on_ones: OneOnOnes | None = None


@dataclass(frozen=True, kw_only=True)
class SaveResult:
    plan: PlanView
    changes: tuple[Change, ...]
    needs_acknowledgement_again: bool


class PlanService:
    def __init__(self, db: Database) -> None:
        self._db = db

    def start_plan(self, *, owner_id: int, today: dt.date) -> PlanView:
        """The owner's plan for the quarter containing ``today``, created as a
        draft when there is none yet."""
        with self._db.sessions.begin() as session:
            owner = load_member(session, owner_id)
            quarter = quarter_of(today, owner.workspace.fiscal_start_month)
            plan = _plan_for_quarter(session, owner_id, quarter)
            if plan is None:
                plan = m.Plan(
                    owner_id=owner_id,
                    fiscal_year=quarter.fiscal_year,
                    quarter=quarter.number,
                    state=PlanState.DRAFT,
                    visibility=Visibility.PRIVATE,
                    revision=0,
                )
                session.add(plan)
                session.flush()
            return _view(session, plan, owner)

    def current_plan(self, *, owner_id: int, today: dt.date) -> PlanView | None:
        with self._db.sessions.begin() as session:
            owner = load_member(session, owner_id)
            quarter = quarter_of(today, owner.workspace.fiscal_start_month)
            plan = _plan_for_quarter(session, owner_id, quarter)
            return None if plan is None else _view(session, plan, owner)

    def plan_of(self, *, viewer_id: int, owner_id: int, today: dt.date) -> PlanView | None:
        """Someone's plan for this quarter, if the viewer may see it."""
        with self._db.sessions.begin() as session:
            viewer = load_member(session, viewer_id)
            owner = load_member(session, owner_id)
            if owner.workspace_id != viewer.workspace_id:
                raise NotFound("You can't see that plan.")
            quarter = quarter_of(today, owner.workspace.fiscal_start_month)
            plan = _plan_for_quarter(session, owner_id, quarter)
            if plan is None:
                return None
            require(viewer_of(viewer), _facts(session, plan, viewer), "view")
            return _view(session, plan, viewer)

    def owner_of(self, *, plan_id: int) -> int:
        with self._db.sessions.begin() as session:
            return _load_plan(session, plan_id).owner_id

    def checked_in(self, *, plan_id: int, day: dt.date) -> bool:
        with self._db.sessions.begin() as session:
            return (
                session.scalar(
                    select(m.CheckIn.id).where(
                        m.CheckIn.plan_id == plan_id, m.CheckIn.week_start == week_start(day)
                    )
                )
                is not None
            )

    def get_plan(self, *, viewer_id: int, plan_id: int) -> PlanView:
        """A plan, if ``viewer_id`` may see it (checked from the database)."""
        with self._db.sessions.begin() as session:
            viewer = load_member(session, viewer_id)
            plan = _load_plan(session, plan_id)
            require(viewer_of(viewer), _facts(session, plan, viewer), "view")
            return _view(session, plan, viewer)

    def save(
        self, *, actor_id: int, plan_id: int, plan_input: PlanInput, now: dt.datetime
    ) -> SaveResult:
        """Replace the plan's content with what the owner entered, as a new
        revision. An edit after acknowledgement sends the plan back for both
        acknowledgements; the returned changes say what changed."""
        with self._db.sessions.begin() as session:
            _lock_plan(session, plan_id)
            actor = load_member(session, actor_id)
            plan = _load_plan(session, plan_id)
            require(viewer_of(actor), _facts(session, plan, actor), "edit")
            if not is_editable(plan.state):
                raise IllegalTransition(
                    f"This plan is {plan.state.label.lower()}: it can no longer be edited."
                )
            content = validate_plan(plan_input, quarter=_quarter(plan))
            before = snapshot(_content(plan))
            after = snapshot(content)
            changes = tuple(diff(before, after))
            if not changes and plan.revision > 0:
                return SaveResult(
                    plan=_view(session, plan, actor), changes=(), needs_acknowledgement_again=False
                )
            _write_content(session, plan, content)
            plan.revision += 1
            session.add(
                m.Revision(
                    plan_id=plan.id,
                    number=plan.revision,
                    author_id=actor_id,
                    snapshot=dict(after),
                    summary="\n".join(change.line for change in changes),
                    created_at=now,
                )
            )
            needs_again = plan.state is PlanState.ACTIVE
            if needs_again:
                plan.state = move(plan.state, PlanState.PROPOSED)
            session.flush()
            return SaveResult(
                plan=_view(session, plan, actor),
                changes=changes,
                needs_acknowledgement_again=needs_again,
            )

    def propose(self, *, actor_id: int, plan_id: int, now: dt.datetime) -> PlanView:
        """The owner proposes the plan to their manager. Proposing is the
        owner's acknowledgement of the current revision."""
        with self._db.sessions.begin() as session:
            _lock_plan(session, plan_id)
            actor = load_member(session, actor_id)
            plan = _load_plan(session, plan_id)
            require(viewer_of(actor), _facts(session, plan, actor), "edit")
            if not plan.commitments:
                raise ValidationError(
                    {"commitments": "Add at least one measurable commitment before proposing."}
                )
            plan.state = move(plan.state, PlanState.PROPOSED)
            _acknowledge(session, plan, actor_id, plan.revision, now)
            return _view(session, plan, actor)

    def acknowledge(
        self, *, actor_id: int, plan_id: int, revision: int, now: dt.datetime
    ) -> PlanView:
        """Record that ``actor_id`` read ``revision``. When owner and manager
        have both acknowledged the current revision, the plan is active."""
        with self._db.sessions.begin() as session:
            _lock_plan(session, plan_id)
            actor = load_member(session, actor_id)
            plan = _load_plan(session, plan_id)
            require(viewer_of(actor), _facts(session, plan, actor), "acknowledge")
            if plan.state is not PlanState.PROPOSED:
                raise IllegalTransition(
                    f"Only a proposed plan is acknowledged; this one is {plan.state.label.lower()}."
                )
            if revision != plan.revision:
                raise IllegalTransition(
                    f"The plan changed since you read it (now revision {plan.revision}): "
                    "read the new version, then acknowledge it."
                )
            _acknowledge(session, plan, actor_id, revision, now)
            return _view(session, plan, actor)

    def add_win(
        self,
        *,
        actor_id: int,
        text: str,
        today: dt.date,
        message_link: str | None = None,
    ) -> PlanView:
        """Log a win on the actor's plan for the quarter containing ``today``."""
        clean = text.strip()
        if not clean:
            raise ValidationError({"win": "Say what the win was, like `/myplan win Closed Acme`."})
        if len(clean) > WIN_MAX:
            raise ValidationError({"win": f"Keep a win under {WIN_MAX} characters."})
        with self._db.sessions.begin() as session:
            actor = load_member(session, actor_id)
            quarter = quarter_of(today, actor.workspace.fiscal_start_month)
            plan = _plan_for_quarter(session, actor_id, quarter)
            if plan is None:
                raise NotFound("Start your plan with `/myplan` first, then log wins on it.")
            plan.wins.append(
                m.Win(author_id=actor_id, text=clean, happened_on=today, message_link=message_link)
            )
            session.flush()
            return _view(session, plan, actor)

    def record_checkin(
        self,
        *,
        actor_id: int,
        plan_id: int,
        day: dt.date,
        values: Mapping[int, str],
        confidence: int | None,
        win: str | None = None,
        blocker: str | None = None,
        one_on_one_happened: bool | None = None,
        now: dt.datetime,
    ) -> PlanView:
        """Record (or replace) the week's check-in containing ``day``.
        ``values`` maps commitment id to what was typed; every measured
        commitment needs a value, and every problem is reported on its field."""
        with self._db.sessions.begin() as session:
            actor = load_member(session, actor_id)
            plan = _load_plan(session, plan_id)
            if plan.owner_id != actor_id:
                require(viewer_of(actor), _facts(session, plan, actor), "edit")
            if plan.state not in (PlanState.ACTIVE, PlanState.PROPOSED, PlanState.IN_REVIEW):
                raise IllegalTransition(
                    "Check-ins start once the plan is proposed; this one is "
                    f"{plan.state.label.lower()}."
                )
            quarter = _quarter(plan)
            if not quarter.contains(day):
                # The week comes from the modal's metadata, which a client can forge.
                message = f"That week is not in this plan's quarter ({quarter.label})."
                raise ValidationError({"confidence": message})
            errors: dict[str, str] = {}
            parsed: dict[int, float] = {}
            known = {commitment.id: commitment for commitment in plan.commitments}
            for commitment_id in values:
                if commitment_id not in known:
                    raise NotFound("That commitment is not on this plan.")
            for commitment in plan.commitments:
                field = measured(commitment.id, "value")
                try:
                    parsed[commitment.id] = c.parse_number(
                        values.get(commitment.id), field=field, label=commitment.title
                    )
                except ValidationError as error:
                    errors.update(error.errors)
            if confidence is None or not 1 <= confidence <= 5:
                errors["confidence"] = "Choose how confident you are, from 1 to 5."
            if errors:
                raise ValidationError(errors)
            week = week_start(day)
            checkin = session.scalar(
                select(m.CheckIn).where(m.CheckIn.plan_id == plan.id, m.CheckIn.week_start == week)
            )
            if checkin is None:
                checkin = m.CheckIn(plan_id=plan.id, week_start=week, submitted_at=now)
                session.add(checkin)
            checkin.skipped = False
            checkin.skip_reason = None
            checkin.confidence = confidence
            checkin.win = (win or "").strip() or None
            checkin.blocker = (blocker or "").strip() or None
            checkin.one_on_one_happened = one_on_one_happened
            checkin.updated_at = now
            # Update in place: replacing the rows would insert before deleting
            # and trip the one-value-per-commitment key.
            existing = {row.commitment_id: row for row in checkin.values}
            for commitment_id, value in parsed.items():
                row = existing.pop(commitment_id, None)
                if row is None:
                    checkin.values.append(m.CheckInValue(commitment_id=commitment_id, value=value))
                else:
                    row.value = value
            for stale in existing.values():
                checkin.values.remove(stale)
            session.flush()
            return _view(session, plan, actor)

    def comment(
        self, *, actor_id: int, plan_id: int, text: str, suggestion: bool, now: dt.datetime
    ) -> PlanView:
        """A comment, or a suggested edit the owner may take up, on a plan."""
        clean = text.strip()
        if not clean:
            raise ValidationError({"comment": "Write the comment first."})
        if len(clean) > WIN_MAX:
            raise ValidationError({"comment": f"Keep a comment under {WIN_MAX} characters."})
        with self._db.sessions.begin() as session:
            actor = load_member(session, actor_id)
            plan = _load_plan(session, plan_id)
            require(viewer_of(actor), _facts(session, plan, actor), "comment")
            session.add(
                m.PlanComment(
                    plan_id=plan.id,
                    author_id=actor_id,
                    revision=plan.revision,
                    text=clean,
                    is_suggestion=suggestion,
                    created_at=now,
                )
            )
            session.flush()
            return _view(session, plan, actor)

    def add_feedback(
        self,
        *,
        actor_id: int,
        text: str,
        today: dt.date,
        from_slack_user_id: str | None = None,
        message_link: str | None = None,
    ) -> PlanView:
        """Keep feedback to act on with the actor's plan for this quarter."""
        clean = text.strip()
        if not clean:
            raise ValidationError({"text": "There is no text to keep as feedback."})
        with self._db.sessions.begin() as session:
            actor = load_member(session, actor_id)
            quarter = quarter_of(today, actor.workspace.fiscal_start_month)
            plan = _plan_for_quarter(session, actor_id, quarter)
            if plan is None:
                raise NotFound("Start your plan with `/myplan` first, then save feedback to it.")
            session.add(
                m.Feedback(
                    plan_id=plan.id,
                    text=clean[:WIN_MAX],
                    from_slack_user_id=from_slack_user_id,
                    message_link=message_link,
                )
            )
            session.flush()
            return _view(session, plan, actor)

    def feedback(self, *, viewer_id: int, plan_id: int) -> list[tuple[str, str | None]]:
        with self._db.sessions.begin() as session:
            viewer = load_member(session, viewer_id)
            plan = _load_plan(session, plan_id)
            require(viewer_of(viewer), _facts(session, plan, viewer), "view")
            rows = session.execute(
                select(m.Feedback.text, m.Feedback.message_link)
                .where(m.Feedback.plan_id == plan.id)
                .order_by(m.Feedback.id)
            )
            return [(text, link) for text, link in rows]

    def share(self, *, actor_id: int, plan_id: int) -> PlanView:
        """Make the owner's plan public (leaders model the plan in the open)."""
        with self._db.sessions.begin() as session:
            actor = load_member(session, actor_id)
            plan = _load_plan(session, plan_id)
            require(viewer_of(actor), _facts(session, plan, actor), "edit")
            plan.visibility = Visibility.PUBLIC
            session.flush()
            return _view(session, plan, actor)

    def record_shared_post(self, *, plan_id: int, channel_id: str, ts: str) -> None:
        with self._db.sessions.begin() as session:
            plan = _load_plan(session, plan_id)
            plan.shared_channel_id = channel_id
            plan.shared_ts = ts

    def shared_post(self, *, plan_id: int) -> tuple[str, str] | None:
        with self._db.sessions.begin() as session:
            row = session.execute(
                select(m.Plan.shared_channel_id, m.Plan.shared_ts).where(m.Plan.id == plan_id)
            ).one_or_none()
            if row is None or row[0] is None or row[1] is None:
                return None
            return row[0], row[1]

    def public_plans(self, *, viewer_id: int, today: dt.date, limit: int = 10) -> list[PlanView]:
        """This quarter's public plans in the viewer's workspace: leaders' first."""
        with self._db.sessions.begin() as session:
            viewer = load_member(session, viewer_id)
            quarter = quarter_of(today, viewer.workspace.fiscal_start_month)
            plans = session.scalars(
                select(m.Plan)
                .join(m.Member, m.Member.id == m.Plan.owner_id)
                .where(
                    m.Member.workspace_id == viewer.workspace_id,
                    m.Plan.visibility == Visibility.PUBLIC,
                    m.Plan.fiscal_year == quarter.fiscal_year,
                    m.Plan.quarter == quarter.number,
                )
                .order_by(m.Plan.updated_at.desc())
                .limit(limit)
                .options(selectinload(m.Plan.commitments), selectinload(m.Plan.wins))
            ).all()
            return [_view(session, plan, viewer) for plan in plans]

    def past_plans(self, *, owner_id: int, today: dt.date) -> list[tuple[Quarter, PlanState]]:
        with self._db.sessions.begin() as session:
            owner = load_member(session, owner_id)
            current = quarter_of(today, owner.workspace.fiscal_start_month)
            rows = session.execute(
                select(m.Plan.fiscal_year, m.Plan.quarter, m.Plan.state)
                .where(m.Plan.owner_id == owner_id)
                .order_by(m.Plan.fiscal_year.desc(), m.Plan.quarter.desc())
            )
            month = owner.workspace.fiscal_start_month
            return [
                (Quarter(year, number, month), state)
                for year, number, state in rows
                if (year, number) < (current.fiscal_year, current.number)
            ]

    def team_overview(self, *, manager_id: int, today: dt.date) -> list[ReportRow]:
        """The manager's direct reports with plan state, last check-in and
        progress, in a fixed number of queries however many reports there are."""
        with self._db.sessions.begin() as session:
            manager = load_member(session, manager_id)
            quarter = quarter_of(today, manager.workspace.fiscal_start_month)
            reports = session.scalars(
                select(m.Member)
                .where(m.Member.manager_id == manager_id)
                .order_by(m.Member.display_name)
            ).all()
            if not reports:
                return []
            plans = {
                plan.owner_id: plan
                for plan in session.scalars(
                    select(m.Plan)
                    .where(
                        m.Plan.owner_id.in_([r.id for r in reports]),
                        m.Plan.fiscal_year == quarter.fiscal_year,
                        m.Plan.quarter == quarter.number,
                    )
                    .options(
                        selectinload(m.Plan.commitments), selectinload(m.Plan.manager_commitments)
                    )
                )
            }
            plan_ids = [plan.id for plan in plans.values()]
            last_checkin: dict[int, dt.date] = {}
            values: dict[int, list[float]] = {}
            answers: dict[int, list[bool | None]] = {}
            if plan_ids:
                for plan_id, week in session.execute(
                    select(m.CheckIn.plan_id, func.max(m.CheckIn.week_start))
                    .where(m.CheckIn.plan_id.in_(plan_ids), m.CheckIn.skipped.is_(False))
                    .group_by(m.CheckIn.plan_id)
                ):
                    last_checkin[plan_id] = week
                for plan_id, happened in session.execute(
                    select(m.CheckIn.plan_id, m.CheckIn.one_on_one_happened)
                    .where(m.CheckIn.plan_id.in_(plan_ids), m.CheckIn.skipped.is_(False))
                    .order_by(m.CheckIn.week_start)
                ):
                    answers.setdefault(plan_id, []).append(happened)
                for commitment_id, value in session.execute(
                    select(m.CheckInValue.commitment_id, m.CheckInValue.value)
                    .join(m.CheckIn, m.CheckIn.id == m.CheckInValue.checkin_id)
                    .where(m.CheckIn.plan_id.in_(plan_ids), m.CheckIn.skipped.is_(False))
                    .order_by(m.CheckIn.week_start)
                ):
                    values.setdefault(commitment_id, []).append(value)
            rows = []
            for report in reports:
                plan = plans.get(report.id)
                progress = None
                if plan is not None and plan.commitments:
                    scores = [
                        min(
                            1.0,
                            c.commitment_progress(_domain_commitment(row), values.get(row.id, [])),
                        )
                        for row in plan.commitments
                    ]
                    progress = sum(scores) / len(scores)
                rows.append(
                    ReportRow(
                        member_id=report.id,
                        slack_user_id=report.slack_user_id,
                        name=report.display_name,
                        plan_id=plan.id if plan else None,
                        state=plan.state if plan else None,
                        last_checkin=last_checkin.get(plan.id) if plan else None,
                        progress=progress,
                        one_on_ones=one_on_ones(
                            cadence_weeks=_cadence(plan), answers=answers.get(plan.id, [])
                        )
                        if plan
                        else None,
                    )
                )
            return rows


def _cadence(plan: m.Plan) -> int | None:
    return next(
        (
            mc.cadence_weeks
            for mc in plan.manager_commitments
            if mc.kind is m.ManagerCommitmentKind.ONE_ON_ONE
        ),
        None,
    )


def _quarter(plan: m.Plan) -> Quarter:
    return Quarter(plan.fiscal_year, plan.quarter, plan.owner.workspace.fiscal_start_month)


def _plan_for_quarter(session: Session, owner_id: int, quarter: Quarter) -> m.Plan | None:
    return session.scalar(
        select(m.Plan).where(
            m.Plan.owner_id == owner_id,
            m.Plan.fiscal_year == quarter.fiscal_year,
            m.Plan.quarter == quarter.number,
        )
    )


def _lock_plan(session: Session, plan_id: int) -> None:
    """Take the plan for this transaction before reading anything: owner and
    manager acknowledging at the same moment must each see the other's
    acknowledgement, or neither makes the plan active. The no-op update locks
    the row on PostgreSQL and takes SQLite's write lock, before any read (so
    SQLite never has to upgrade a stale read to a write)."""
    session.execute(
        update(m.Plan)
        .where(m.Plan.id == plan_id)
        .values(revision=m.Plan.revision)
        .execution_options(synchronize_session=False)
    )


def _load_plan(session: Session, plan_id: int) -> m.Plan:
    plan = session.scalar(
        select(m.Plan)
        .where(m.Plan.id == plan_id)
        .options(
            selectinload(m.Plan.commitments),
            selectinload(m.Plan.manager_commitments),
            selectinload(m.Plan.wins),
        )
    )
    if plan is None:
        # The same words as a plan one may not see: ids reveal nothing.
        raise NotFound("You can't see that plan.")
    return plan


def _facts(session: Session, plan: m.Plan, viewer: m.Member) -> PlanFacts:
    """What decides ``viewer``'s access to ``plan``. The owner's access never
    depends on the chain of managers, so it is only looked up for others, and
    once per transaction (a check, then the view, both ask)."""
    owner = plan.owner
    chain: tuple[int, ...] = ()
    if viewer.id != owner.id:
        chains: dict[int, tuple[int, ...]] = session.info.setdefault("manager_chains", {})
        if owner.id not in chains:
            chains[owner.id] = managers_above(session, owner.id)
        chain = chains[owner.id]
    return PlanFacts(
        owner_id=owner.id,
        workspace_id=owner.workspace_id,
        owner_team_id=owner.team_id,
        visibility=plan.visibility,
        manager_chain=chain,
    )


def _domain_commitment(row: m.Commitment) -> c.Commitment:
    return c.Commitment(
        title=row.title,
        kind=row.kind,
        unit=row.unit,
        baseline=row.baseline,
        target=row.target,
        direction=row.direction,
        rollup=row.rollup,
        due_date=row.due_date,
    )


def _content(plan: m.Plan) -> PlanContent:
    side = {mc.kind: mc for mc in plan.manager_commitments}
    one_on_one = side.get(m.ManagerCommitmentKind.ONE_ON_ONE)
    coaching = side.get(m.ManagerCommitmentKind.COACHING)
    support = side.get(m.ManagerCommitmentKind.SUPPORT)
    return PlanContent(
        aspiration=plan.aspiration,
        strengths=plan.strengths,
        growth_areas=plan.growth_areas,
        feedback_acted_on=plan.feedback_acted_on,
        visibility=plan.visibility,
        commitments=tuple(_domain_commitment(row) for row in plan.commitments),
        manager=ManagerSide(
            one_on_one_cadence_weeks=one_on_one.cadence_weeks if one_on_one else None,
            coaching_focus=coaching.description if coaching else "",
            other_support=support.description if support else "",
        ),
    )


def _write_content(session: Session, plan: m.Plan, content: PlanContent) -> None:
    plan.aspiration = content.aspiration
    plan.strengths = content.strengths
    plan.growth_areas = content.growth_areas
    plan.feedback_acted_on = content.feedback_acted_on
    plan.visibility = content.visibility
    # Commitments are matched by title so that an edit keeps their check-in history.
    existing = {row.title.casefold(): row for row in plan.commitments}
    rows = []
    for position, commitment in enumerate(content.commitments):
        row = existing.pop(commitment.title.casefold(), None) or m.Commitment()
        row.position = position
        row.title = commitment.title
        row.kind = commitment.kind
        row.unit = commitment.unit
        row.baseline = commitment.baseline
        row.target = commitment.target
        row.direction = commitment.direction
        row.rollup = commitment.rollup
        row.due_date = commitment.due_date
        rows.append(row)
    plan.commitments = rows
    side = content.manager
    manager_rows = []
    if side.one_on_one_cadence_weeks:
        manager_rows.append(
            m.ManagerCommitment(
                kind=m.ManagerCommitmentKind.ONE_ON_ONE,
                description="1:1",
                cadence_weeks=side.one_on_one_cadence_weeks,
            )
        )
    if side.coaching_focus:
        manager_rows.append(
            m.ManagerCommitment(
                kind=m.ManagerCommitmentKind.COACHING, description=side.coaching_focus
            )
        )
    if side.other_support:
        manager_rows.append(
            m.ManagerCommitment(
                kind=m.ManagerCommitmentKind.SUPPORT, description=side.other_support
            )
        )
    plan.manager_commitments = manager_rows
    session.flush()


def _acknowledge(
    session: Session, plan: m.Plan, member_id: int, revision: int, now: dt.datetime
) -> None:
    already = session.scalar(
        select(m.Acknowledgement.id).where(
            m.Acknowledgement.plan_id == plan.id,
            m.Acknowledgement.revision == revision,
            m.Acknowledgement.member_id == member_id,
        )
    )
    if already is None:
        session.add(
            m.Acknowledgement(
                plan_id=plan.id, revision=revision, member_id=member_id, acknowledged_at=now
            )
        )
        session.flush()
    if _ack_status(session, plan).complete:
        plan.state = move(plan.state, PlanState.ACTIVE)
        session.flush()


def _ack_status(session: Session, plan: m.Plan) -> AckStatus:
    acks = session.execute(
        select(m.Acknowledgement.member_id, m.Acknowledgement.revision).where(
            m.Acknowledgement.plan_id == plan.id, m.Acknowledgement.revision == plan.revision
        )
    )
    return ack_status(
        revision=plan.revision,
        owner_id=plan.owner_id,
        manager_id=plan.owner.manager_id,
        acknowledgements=[(member, rev) for member, rev in acks],
    )


def _view(session: Session, plan: m.Plan, viewer: m.Member) -> PlanView:
    values_by_commitment: dict[int, list[float]] = {row.id: [] for row in plan.commitments}
    if values_by_commitment:
        rows = session.execute(
            select(m.CheckInValue.commitment_id, m.CheckInValue.value)
            .join(m.CheckIn, m.CheckIn.id == m.CheckInValue.checkin_id)
            .where(m.CheckIn.plan_id == plan.id, m.CheckIn.skipped.is_(False))
            .order_by(m.CheckIn.week_start)
        )
        for commitment_id, value in rows:
            values_by_commitment.setdefault(commitment_id, []).append(value)
    commitments = []
    for row in plan.commitments:
        domain = _domain_commitment(row)
        weekly = values_by_commitment.get(row.id, [])
        commitments.append(
            CommitmentView(
                id=row.id,
                commitment=domain,
                weekly_values=tuple(weekly),
                actual=c.roll_up(weekly, domain.rollup),
                progress=c.commitment_progress(domain, weekly),
            )
        )
    answers = list(
        session.scalars(
            select(m.CheckIn.one_on_one_happened)
            .where(m.CheckIn.plan_id == plan.id, m.CheckIn.skipped.is_(False))
            .order_by(m.CheckIn.week_start)
        )
    )
    content = _content(plan)
    return PlanView(
        one_on_ones=one_on_ones(
            cadence_weeks=content.manager.one_on_one_cadence_weeks, answers=answers
        ),
        id=plan.id,
        owner_id=plan.owner_id,
        owner_slack_user_id=plan.owner.slack_user_id,
        quarter=_quarter(plan),
        state=plan.state,
        revision=plan.revision,
        content=content,
        commitments=tuple(commitments),
        wins=tuple(
            WinView(text=w.text, happened_on=w.happened_on, message_link=w.message_link)
            for w in plan.wins
        ),
        acknowledgement=_ack_status(session, plan),
        manager_id=plan.owner.manager_id,
        access=plan_access(viewer_of(viewer), _facts(session, plan, viewer)),
    )
