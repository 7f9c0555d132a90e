"""A check-in is for the week of the thread it was asked in, and every surface
names that week by its dates: the prompt, the modal, the manager's copy."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from bot.db.models import CheckIn
from bot.domain.content import PlanInput
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import PLAN, parents, setup_team, tick
from tests.slack_emulator import wait_until

UTC = dt.UTC


def friday_team_in_q1(bot: Bot) -> None:
    """Dana checks in on Fridays at 16:00 in New York, on her Q1 FY2027 plan,
    Sam her manager; Q1 starts on Friday Jan 1."""
    services, slack = bot.services, bot.slack
    workspace = services.members.ensure_workspace(slack_team_id=slack.team_id)
    team = services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        checkin_weekday=4,
        checkin_time=dt.time(16),
        timezone="America/New_York",
    )
    owner = services.members.ensure_member(
        slack_team_id=slack.team_id,
        slack_user_id="UOWNER",
        display_name="Dana",
        timezone="America/New_York",
    )
    manager = services.members.ensure_member(slack_team_id=slack.team_id, slack_user_id="UMANAGER")
    services.members.join_team(member_id=owner.id, team_id=team)
    now = dt.datetime(2026, 12, 30, tzinfo=UTC)
    services.members.mark_onboarded(member_id=owner.id, now=now)  # check-ins come after onboarding
    services.members.set_manager(
        member_id=owner.id, manager_id=manager.id, changed_by_id=owner.id, now=now
    )
    plan = services.plans.start_plan(owner_id=owner.id, today=dt.date(2027, 1, 1))
    services.plans.save(
        actor_id=owner.id,
        plan_id=plan.id,
        now=now,
        plan_input=PlanInput(aspiration="Grow", commitments=PLAN.commitments, visibility="team"),
    )
    services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=now)


def test_the_week_reported_is_the_week_the_prompt_names(bot: Bot) -> None:
    slack = bot.slack
    friday_team_in_q1(bot)
    prompt = dt.datetime(2027, 1, 1, 21, 0, tzinfo=UTC)  # Friday Jan 1, 16:00 in New York
    # Sam has had Dana's plan to acknowledge since Dec 30: his morning digest too.
    assert tick(bot, prompt).sent == {"checkin-prompt": 1, "manager-digest": 1}
    [parent] = parents(bot)
    # The week of Monday Dec 28 to Sunday Jan 3, Q1's first (it starts on the Friday).
    assert parent.text == "Check-ins for the week of Dec 28\u2013Jan 3 · week 1 of Q1 FY2027"
    assert "This check-in is for Dec 28\u2013Jan 3" in str(parent.blocks)

    bot.now = prompt + dt.timedelta(hours=1)
    bot.driver.click_button("UOWNER", "Check in", message=parent)
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in modal")
    assert json.loads(modal.view["private_metadata"])["monday"] == "2026-12-28"
    assert "The week of Dec 28\u2013Jan 3" in str(modal.view["blocks"][0])
    value_block = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    )
    assert bot.driver.submit_view("UOWNER", {value_block: "22", "confidence": "4"}).errors == {}

    reply = wait_until(lambda: slack.thread("CTEAM", parent.ts), message="the reply")
    assert "Calls: 22 calls" in reply[0].text
    copy = wait_until(
        lambda: [m for m in slack.dms("UMANAGER") if "checked in" in m.text],
        message="the manager's copy",
    )
    assert "checked in for the week of Dec 28\u2013Jan 3" in copy[0].text
    with bot.db.sessions.begin() as session:
        [week] = session.scalars(select(CheckIn.week_start)).all()
    assert week == dt.date(2026, 12, 28)


def test_a_straddling_week_without_next_quarters_plan_goes_to_this_ones(bot: Bot) -> None:
    """A Friday team's week of Dec 28 is Q1's (its prompt day, Jan 1); Lee has
    no Q1 plan yet, so on Tuesday Dec 29 he checks in on his Q4 one."""
    setup_team(bot, users=("UPEER",))
    workspace = bot.services.members.ensure_workspace(slack_team_id=bot.slack.team_id)
    bot.services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        checkin_weekday=4,
        checkin_time=dt.time(16),
        timezone="America/New_York",
    )
    bot.now = dt.datetime(2026, 12, 29, 15, 0, tzinfo=UTC)
    bot.driver.slash_command("UPEER", "checkin")
    modal = wait_until(lambda: bot.slack.open_modal("UPEER"), message="the check-in modal")
    assert "Q4 FY2026" in str(modal.view["blocks"][0])
    assert json.loads(modal.view["private_metadata"])["monday"] == "2026-12-28"
