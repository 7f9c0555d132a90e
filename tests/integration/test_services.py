from __future__ import annotations

import datetime as dt
import itertools

import pytest

from bot.db.models import DeliveryState
from bot.db.session import Database
from bot.domain.content import CommitmentInput, PlanInput
from bot.domain.errors import IllegalTransition, NotFound, PermissionDenied, ValidationError
from bot.domain.plans import PlanState
from bot.outbox.store import OutboxStore
from bot.services.people import MemberRef
from bot.services.plans import ManagerSideInput
from tests.support import PerCallServices as Services

NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
CALLS = CommitmentInput(
    title="Discovery calls", kind="activity", unit="calls", baseline="20", target="25"
)
PIPELINE = CommitmentInput(
    title="Pipeline", kind="result", unit="k$", baseline="100", target="150", rollup="latest"
)
PLAN = PlanInput(aspiration="Become the team's best closer", commitments=[CALLS, PIPELINE])


@pytest.fixture
def services(db: Database) -> Services:
    return Services.build(db)


def member(services: Services, user: str, team: str = "T1") -> MemberRef:
    return services.members.ensure_member(slack_team_id=team, slack_user_id=user, display_name=user)


def test_members_are_created_once_and_refreshed(services: Services) -> None:
    first = member(services, "U1")
    again = services.members.ensure_member(
        slack_team_id="T1", slack_user_id="U1", timezone="Europe/Paris", is_slack_admin=True
    )
    assert again.id == first.id
    assert again.timezone == "Europe/Paris" and again.is_admin
    other_workspace = member(services, "U1", team="T2")
    assert other_workspace.id != first.id


def test_manager_changes_keep_their_history_and_refuse_loops(services: Services) -> None:
    rep, lead, vp = member(services, "UREP"), member(services, "ULEAD"), member(services, "UVP")
    services.members.set_manager(
        member_id=rep.id, manager_id=lead.id, changed_by_id=rep.id, now=NOW
    )
    services.members.set_manager(
        member_id=lead.id, manager_id=vp.id, changed_by_id=lead.id, now=NOW
    )
    later = NOW + dt.timedelta(days=30)
    services.members.set_manager(member_id=rep.id, manager_id=vp.id, changed_by_id=vp.id, now=later)
    history = services.members.manager_history(rep.id)
    assert [(manager, ended is not None) for manager, _, ended in history] == [
        (lead.id, True),
        (vp.id, False),
    ]
    with pytest.raises(ValidationError) as caught:
        services.members.set_manager(
            member_id=vp.id, manager_id=rep.id, changed_by_id=vp.id, now=later
        )
    assert "reports to you" in caught.value.errors["manager"]
    with pytest.raises(ValidationError):
        services.members.set_manager(
            member_id=vp.id, manager_id=vp.id, changed_by_id=vp.id, now=later
        )
    stranger = member(services, "UX", team="T9")
    with pytest.raises(ValidationError):
        services.members.set_manager(
            member_id=rep.id, manager_id=stranger.id, changed_by_id=rep.id, now=later
        )


def test_teams_are_validated(services: Services) -> None:
    workspace = services.members.ensure_workspace(slack_team_id="T1")
    with pytest.raises(ValidationError) as caught:
        services.members.configure_team(
            workspace_id=workspace,
            channel_id="C1",
            timezone="Nowhere/Land",
            stretch=3.0,
            checkin_weekday=9,
        )
    assert set(caught.value.errors) == {"timezone", "stretch", "checkin_weekday"}
    team = services.members.configure_team(
        workspace_id=workspace, channel_id="C1", name="AEs", timezone="America/New_York"
    )
    assert services.members.configure_team(workspace_id=workspace, channel_id="C1") == team


def test_the_collaborative_flow(services: Services) -> None:
    owner, manager = member(services, "UOWNER"), member(services, "UMGR")
    services.members.set_manager(
        member_id=owner.id, manager_id=manager.id, changed_by_id=owner.id, now=NOW
    )
    plan = services.plans.start_plan(owner_id=owner.id, today=TODAY)
    assert plan.state is PlanState.DRAFT and plan.quarter.label == "Q4 FY2026"
    assert services.plans.start_plan(owner_id=owner.id, today=TODAY).id == plan.id

    with pytest.raises(ValidationError):
        services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=NOW)
    saved = services.plans.save(actor_id=owner.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
    assert saved.plan.revision == 1 and len(saved.plan.commitments) == 2

    proposed = services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=NOW)
    assert proposed.state is PlanState.PROPOSED
    assert proposed.acknowledgement.waiting_for == {manager.id}

    with pytest.raises(PermissionDenied):
        services.plans.save(actor_id=manager.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
    with pytest.raises(IllegalTransition, match="changed since you read it"):
        services.plans.acknowledge(actor_id=manager.id, plan_id=plan.id, revision=0, now=NOW)
    active = services.plans.acknowledge(actor_id=manager.id, plan_id=plan.id, revision=1, now=NOW)
    assert active.state is PlanState.ACTIVE

    edited = services.plans.save(
        actor_id=owner.id,
        plan_id=plan.id,
        plan_input=PlanInput(
            aspiration=PLAN.aspiration, commitments=[CALLS], one_on_one_cadence="1"
        ),
        now=NOW,
    )
    assert edited.needs_acknowledgement_again
    assert edited.plan.state is PlanState.PROPOSED and edited.plan.revision == 2
    # Once proposed, the manager's side is the manager's: the owner's cadence is not kept.
    assert {change.field for change in edited.changes} == {"Commitment \u201cPipeline\u201d"}
    assert edited.plan.acknowledgement.waiting_for == {owner.id, manager.id}
    services.plans.acknowledge(actor_id=manager.id, plan_id=plan.id, revision=2, now=NOW)
    final = services.plans.acknowledge(actor_id=owner.id, plan_id=plan.id, revision=2, now=NOW)
    assert final.state is PlanState.ACTIVE
    assert final.content.manager.one_on_one_cadence_weeks is None

    # The manager writes it, as a new revision both acknowledge.
    with pytest.raises(PermissionDenied):
        services.plans.set_manager_side(
            actor_id=owner.id,
            plan_id=plan.id,
            side=ManagerSideInput(one_on_one_cadence="1"),
            now=NOW,
        )
    side = services.plans.set_manager_side(
        actor_id=manager.id, plan_id=plan.id, side=ManagerSideInput(one_on_one_cadence="1"), now=NOW
    )
    assert [change.field for change in side.changes] == ["1:1 cadence"]
    assert side.plan.state is PlanState.PROPOSED and side.plan.revision == 3
    assert side.plan.content.manager.one_on_one_cadence_weeks == 1


def test_a_refused_save_changes_nothing(services: Services) -> None:
    owner = member(services, "UOWNER")
    plan = services.plans.start_plan(owner_id=owner.id, today=TODAY)
    services.plans.save(actor_id=owner.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
    bad = PlanInput(
        aspiration="x",
        commitments=[CommitmentInput(title="Calls", kind="activity", unit="c", baseline="a")],
    )
    with pytest.raises(ValidationError) as caught:
        services.plans.save(actor_id=owner.id, plan_id=plan.id, plan_input=bad, now=NOW)
    assert set(caught.value.errors) == {"commitments[0].baseline", "commitments[0].target"}
    unchanged = services.plans.get_plan(viewer_id=owner.id, plan_id=plan.id)
    assert unchanged.revision == 1 and unchanged.content.aspiration == PLAN.aspiration


def test_plans_are_hidden_by_id_from_those_who_may_not_see_them(services: Services) -> None:
    owner, peer = member(services, "UOWNER"), member(services, "UPEER")
    plan = services.plans.start_plan(owner_id=owner.id, today=TODAY)
    with pytest.raises(PermissionDenied, match="can't see"):
        services.plans.get_plan(viewer_id=peer.id, plan_id=plan.id)
    with pytest.raises(NotFound, match="can't see"):
        services.plans.get_plan(viewer_id=peer.id, plan_id=plan.id + 1000)
    outsider = member(services, "UOWNER", team="T2")
    with pytest.raises(PermissionDenied):
        services.plans.save(actor_id=outsider.id, plan_id=plan.id, plan_input=PLAN, now=NOW)


def test_checkins_roll_up_into_progress(services: Services) -> None:
    owner = member(services, "UOWNER")
    plan = services.plans.start_plan(owner_id=owner.id, today=TODAY)
    saved = services.plans.save(actor_id=owner.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
    services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=NOW)  # no manager: active
    calls, pipeline = (view.id for view in saved.plan.commitments)

    with pytest.raises(ValidationError) as caught:
        services.plans.record_checkin(
            actor_id=owner.id,
            plan_id=plan.id,
            day=TODAY,
            values={calls: "lots"},
            confidence=9,
            now=NOW,
        )
    assert set(caught.value.errors) == {
        f"commitment#{calls}.value",
        f"commitment#{pipeline}.value",
        "confidence",
    }

    for week, (c, p) in enumerate([("22", "110"), ("24", "120"), ("26", "130")]):
        day = TODAY + dt.timedelta(weeks=week)
        services.plans.record_checkin(
            actor_id=owner.id,
            plan_id=plan.id,
            day=day,
            values={calls: c, pipeline: p},
            confidence=4,
            now=NOW,
        )
    # Editing a week replaces its values rather than adding a week.
    view = services.plans.record_checkin(
        actor_id=owner.id,
        plan_id=plan.id,
        day=TODAY + dt.timedelta(weeks=2, days=1),
        values={calls: "27", pipeline: "140"},
        confidence=5,
        now=NOW,
    )
    by_title = {cv.commitment.title: cv for cv in view.commitments}
    assert by_title["Discovery calls"].weekly_values == (22, 24, 27)
    assert by_title["Discovery calls"].actual == pytest.approx(73 / 3)
    assert by_title["Discovery calls"].progress == pytest.approx((73 / 3 - 20) / 5)
    assert by_title["Pipeline"].actual == 140
    assert by_title["Pipeline"].progress == pytest.approx(0.8)


def test_wins_are_logged_on_the_current_plan(services: Services) -> None:
    owner = member(services, "UOWNER")
    with pytest.raises(NotFound):
        services.plans.add_win(actor_id=owner.id, text="Closed Acme", today=TODAY)
    services.plans.start_plan(owner_id=owner.id, today=TODAY)
    with pytest.raises(ValidationError):
        services.plans.add_win(actor_id=owner.id, text="  ", today=TODAY)
    view = services.plans.add_win(actor_id=owner.id, text="Closed <!channel> Acme", today=TODAY)
    assert [win.text for win in view.wins] == ["Closed <!channel> Acme"]


def test_a_delivery_is_claimed_once(services: Services, db: Database) -> None:
    workspace = services.members.ensure_workspace(slack_team_id="T1")
    store = OutboxStore(db)
    key = "checkin-prompt:team=1:week=2026-11-23"
    first = store.claim(workspace_id=workspace, key=key, kind="prompt", due_at=NOW, now=NOW)
    second = store.claim(workspace_id=workspace, key=key, kind="prompt", due_at=NOW, now=NOW)
    assert first.fresh and not second.fresh and second.state is DeliveryState.PENDING
    store.mark_sent(delivery_id=first.id, channel_id="C1", ts="1.2", now=NOW)
    third = store.claim(workspace_id=workspace, key=key, kind="prompt", due_at=NOW, now=NOW)
    assert (third.fresh, third.state, third.ts) == (False, DeliveryState.SENT, "1.2")


def test_concurrent_first_sight_of_a_member_makes_one_row(services: Services) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=8) as pool:
        refs = list(pool.map(lambda _: member(services, "URACE", team="TRACE"), range(16)))
    assert len({ref.id for ref in refs}) == 1


def test_the_manager_chain_is_read_in_one_statement_and_survives_a_loop(
    services: Services, db: Database
) -> None:
    from sqlalchemy import event, update

    from bot.db.models import Member
    from bot.services.people import managers_above

    people = [member(services, f"UCHAIN{i}") for i in range(5)]
    for lower, upper in itertools.pairwise(people):
        services.members.set_manager(
            member_id=lower.id, manager_id=upper.id, changed_by_id=lower.id, now=NOW
        )
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(str(args[2])))
    with db.sessions.begin() as session:
        assert managers_above(session, people[0].id) == tuple(p.id for p in people[1:])
        assert managers_above(session, people[4].id) == ()
    assert len(statements) == 2
    # A loop that slipped into the data (the service refuses to make one) stops the walk.
    with db.sessions.begin() as session:
        session.execute(
            update(Member).where(Member.id == people[4].id).values(manager_id=people[0].id)
        )
    with db.sessions.begin() as session:
        assert managers_above(session, people[0].id) == tuple(p.id for p in people[1:])


def test_a_check_in_outside_the_plans_quarter_is_refused(services: Services) -> None:
    owner = member(services, "UOWNER")
    plan = services.plans.start_plan(owner_id=owner.id, today=TODAY)
    saved = services.plans.save(actor_id=owner.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
    services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=NOW)
    values = {cv.id: "1" for cv in saved.plan.commitments}
    with pytest.raises(ValidationError) as caught:
        services.plans.record_checkin(
            actor_id=owner.id,
            plan_id=plan.id,
            day=dt.date(2027, 2, 1),
            values=values,
            confidence=3,
            now=NOW,
        )
    assert "Q4 FY2026" in caught.value.errors["week"]


def test_owner_and_manager_acknowledging_at_once_activate_the_plan(services: Services) -> None:
    """Each acknowledgement checks whether the other is in; two at the same
    moment must not each miss the other and leave the plan waiting forever."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    owner, manager = member(services, "UOWNER"), member(services, "UMGR")
    services.members.set_manager(
        member_id=owner.id, manager_id=manager.id, changed_by_id=owner.id, now=NOW
    )
    plan = services.plans.start_plan(owner_id=owner.id, today=TODAY)
    services.plans.save(actor_id=owner.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
    services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=NOW)
    services.plans.acknowledge(actor_id=manager.id, plan_id=plan.id, revision=1, now=NOW)
    for round_ in range(8):
        target = str(30 + round_)
        edited = services.plans.save(
            actor_id=owner.id,
            plan_id=plan.id,
            plan_input=PlanInput(
                aspiration=PLAN.aspiration,
                commitments=[CommitmentInput(**{**CALLS.__dict__, "target": target})],
            ),
            now=NOW,
        )
        revision = edited.plan.revision
        assert edited.plan.acknowledgement.waiting_for == {owner.id, manager.id}
        together = threading.Barrier(2)

        def acknowledge(
            actor_id: int, revision: int = revision, together: threading.Barrier = together
        ) -> None:
            together.wait()
            services.plans.acknowledge(
                actor_id=actor_id, plan_id=plan.id, revision=revision, now=NOW
            )

        with ThreadPoolExecutor(2) as pool:
            list(pool.map(acknowledge, [owner.id, manager.id]))
        final = services.plans.get_plan(viewer_id=owner.id, plan_id=plan.id)
        assert final.acknowledgement.waiting_for == set(), f"round {round_}"
        assert final.state is PlanState.ACTIVE, f"round {round_}"


def test_a_leader_whose_reports_all_left_is_no_longer_expected_in_the_leaders_thread(
    services: Services,
) -> None:
    lead, rep, other = (
        member(services, "ULEAD"),
        member(services, "UREP"),
        member(services, "UOTHER"),
    )
    vp, stays = member(services, "UVP"), member(services, "USTAYS")
    for report, manager in ((rep, lead), (lead, vp), (stays, vp), (other, lead)):
        services.members.set_manager(
            member_id=report.id, manager_id=manager.id, changed_by_id=report.id, now=NOW
        )
    for leader in (lead, vp):
        plan = services.plans.start_plan(owner_id=leader.id, today=TODAY)
        services.plans.save(actor_id=leader.id, plan_id=plan.id, plan_input=PLAN, now=NOW)
        services.plans.propose(actor_id=leader.id, plan_id=plan.id, now=NOW)
    monday = TODAY - dt.timedelta(days=TODAY.weekday())

    def expected() -> list[int]:
        seats = services.rhythm.leaders_roster(
            workspace_id=lead.workspace_id, monday=monday, fiscal_start_month=1
        )
        return sorted(seat.member_id for seat in seats)

    assert expected() == sorted([lead.id, vp.id])
    services.lifecycle.leave(member_id=rep.id, now=NOW)
    assert expected() == sorted([lead.id, vp.id])  # one report of Lead's is still here
    services.lifecycle.leave(member_id=other.id, now=NOW)
    # Lead manages nobody who is still here: no longer a leader the thread expects,
    # as leaders() (who is asked to check in there) already says.
    assert expected() == [vp.id]
    leaders = services.rhythm.leaders(
        workspace_id=lead.workspace_id, day=TODAY, fiscal_start_month=1
    )
    assert [row.member_id for row in leaders] == [vp.id]
