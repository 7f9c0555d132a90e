"""The clock's reads built once (bot/services/rhythm_queries.py): what they
find, with teams with and without members, and what they cost."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from bot.db.session import Database
from bot.domain.plans import PlanState
from tests.integration.test_query_counts import NOW, PLAN, counting
from tests.support import PerCallServices as Services


def member(services: Services, *, user: str, tz: str, team: int) -> int:
    found = services.members.ensure_member(slack_team_id="T1", slack_user_id=user, timezone=tz)
    services.members.join_team(member_id=found.id, team_id=team)
    return int(found.id)


def test_teams_come_with_their_current_members_zones_in_one_statement(db: Database) -> None:
    services = Services(db)
    workspace = services.members.ensure_workspace(slack_team_id="T1")
    busy = services.members.configure_team(workspace_id=workspace, channel_id="C1", name="B")
    empty = services.members.configure_team(workspace_id=workspace, channel_id="C2", name="E")
    member(services, user="U1", tz="Asia/Tokyo", team=busy)
    member(services, user="U2", tz="Asia/Tokyo", team=busy)
    member(services, user="U3", tz="Europe/Berlin", team=busy)
    gone = member(services, user="U4", tz="America/Chicago", team=busy)
    services.lifecycle.leave(member_id=gone, now=NOW)
    with counting(db) as statements:
        teams = services.rhythm.teams()
    assert len(statements) == 1, statements
    assert [(t.id, t.name, t.member_zones) for t in teams] == [
        (busy, "B", frozenset({"Asia/Tokyo", "Europe/Berlin"})),
        (empty, "E", frozenset()),
    ]
    assert teams[0].slack_team_id == "T1" and teams[0].review_window_days == 5


def test_a_roster_reads_plans_in_its_states_and_the_weeks_checkins(db: Database) -> None:
    services = Services(db)
    workspace = services.members.ensure_workspace(slack_team_id="T1")
    team = services.members.configure_team(workspace_id=workspace, channel_id="C1")
    owners = [member(services, user=f"U{i}", tz="UTC", team=team) for i in range(2)]
    plans = [services.plans.start_plan(owner_id=owner, today=NOW.date()).id for owner in owners]
    for owner, plan in zip(owners, plans, strict=True):
        services.plans.save(actor_id=owner, plan_id=plan, plan_input=PLAN, now=NOW)
    services.plans.propose(actor_id=owners[0], plan_id=plans[0], now=NOW)
    services.rhythm.skip(actor_id=owners[0], day=NOW.date(), reason="leave")
    roster = services.rhythm.roster(
        team_id=team, prompt_day=NOW.date(), fiscal_start_month=1
    )  # open plans: the draft is not on it
    assert [(r.member_id, r.skipped, r.checked_in, r.away) for r in roster] == [
        (owners[0], True, False, False)
    ]
    drafts = services.rhythm.roster(
        team_id=team, prompt_day=NOW.date(), fiscal_start_month=1, states=(PlanState.DRAFT,)
    )
    assert [r.member_id for r in drafts] == [owners[1]]


def test_a_members_team_is_the_team_the_clock_reads(db: Database) -> None:
    """A check-in or a review reads the member's team alone: with the same
    calendar (working days, holidays), grace and leaders channel as the
    clock's read of every team, or its review window would fall elsewhere."""
    services = Services(db)
    workspace = services.members.ensure_workspace(slack_team_id="T1")
    services.settings.update_workspace(
        workspace_id=workspace,
        grace_days=9,
        working_days=frozenset({0, 1, 2, 3}),
        holidays=frozenset({dt.date(2026, 12, 24)}),
    )
    team = services.members.configure_team(workspace_id=workspace, channel_id="C1", name="B")
    owner = member(services, user="U1", tz="Asia/Tokyo", team=team)
    [clocks] = services.rhythm.teams()
    alone = services.rhythm.team_of_member(member_id=owner)
    assert alone is not None
    assert alone.calendar.working_weekdays == frozenset({0, 1, 2, 3})
    assert alone == replace(clocks, member_zones=None)
