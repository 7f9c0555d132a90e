"""Editing a check-in starts from every earlier answer, as stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from bot.db.models import CheckIn
from bot.domain.content import CommitmentInput, PlanInput
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import AT, MONDAY, parents, tick
from tests.slack_emulator import wait_until

PLAN = PlanInput(
    aspiration="Close bigger deals",
    visibility="team",
    one_on_one_cadence="1",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="20", target="25"),
        CommitmentInput(title="Pipeline", kind="result", unit="k$", baseline="100", target="150"),
        CommitmentInput(title="MEDDICC cert", kind="milestone", due_date=dt.date(2026, 12, 11)),
    ],
)


def stage(bot: Bot) -> int:
    """Dana, managed by Sam, in a Monday 09:00 team; returns her plan's id."""
    services, slack = bot.services, bot.slack
    workspace = services.members.ensure_workspace(slack_team_id=slack.team_id)
    team = services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        checkin_weekday=0,
        checkin_time=dt.time(9),
        timezone="America/New_York",
    )
    owner = services.members.ensure_member(
        slack_team_id=slack.team_id,
        slack_user_id="UOWNER",
        display_name="Dana",
        timezone="America/New_York",
    )
    manager = services.members.ensure_member(slack_team_id=slack.team_id, slack_user_id="UMANAGER")
    services.members.mark_onboarded(member_id=owner.id, now=AT)
    services.members.join_team(member_id=owner.id, team_id=team)
    services.members.set_manager(
        member_id=owner.id, manager_id=manager.id, changed_by_id=owner.id, now=AT
    )
    plan = services.plans.start_plan(owner_id=owner.id, today=MONDAY)
    services.plans.save(actor_id=owner.id, plan_id=plan.id, now=AT, plan_input=PLAN)
    services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=AT)
    return owner.id


def stored_week(bot: Bot) -> tuple[object, ...]:
    """The week's check-in row and its values, as the database holds them."""
    with bot.db.sessions.begin() as session:
        checkin = session.scalars(select(CheckIn).where(CheckIn.week_start == MONDAY)).one()
        return (
            checkin.confidence,
            checkin.win,
            checkin.blocker,
            checkin.one_on_one_happened,
            sorted((row.commitment_id, row.value) for row in checkin.values),
        )


def inputs(modal: Any) -> dict[str, Any]:
    """Each input's initial value (a text) or option (its value), by block id."""
    shown = {}
    for block in modal.view["blocks"]:
        element = block.get("element", {})
        if block.get("type") == "input" and block["block_id"] != "week":  # the week picker
            option = element.get("initial_option")
            shown[block["block_id"]] = option["value"] if option else element.get("initial_value")
    return shown


def test_reopening_a_check_in_keeps_every_answer(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    owner = stage(bot)
    tick(bot, AT)
    [parent] = parents(bot)
    bot.now = AT + dt.timedelta(hours=1)

    driver.slash_command("UOWNER", "checkin")
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in modal")
    assert set(inputs(modal).values()) == {None}  # a first check-in starts empty
    calls, pipeline, cert = (b for b in inputs(modal) if b.startswith("value_"))
    answers = {
        calls: "27.5",
        pipeline: "1,234.125",
        cert: "Done",
        "confidence": "4",
        "win": "Booked a demo with Acme",
        "blocker": "Legal is slow",
        "one_on_one": "Yes",
    }
    assert driver.submit_view("UOWNER", answers).errors == {}
    reply = wait_until(lambda: slack.thread("CTEAM", parent.ts), message="the reply")[0]
    assert ":trophy: Booked a demo with Acme" in reply.text
    plan = bot.services.plans.current_plan(owner_id=owner, today=MONDAY)
    stored = stored_week(bot)
    assert plan.one_on_ones is not None and plan.one_on_ones.label == "1 of 1 1:1s happened"

    # Reopened, it shows every answer as stored.
    driver.slash_command("UOWNER", "checkin")
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the modal, again")
    assert inputs(modal) == {
        calls: "27.5",
        pipeline: "1234.125",
        cert: "1",
        "confidence": "4",
        "win": "Booked a demo with Acme",
        "blocker": "Legal is slow",
        "one_on_one": "yes",
    }

    # Submitted untouched, it changes nothing: the win stays in the thread's reply,
    # the 1:1 is still counted, and the manager's copy still says it happened.
    assert driver.submit_view("UOWNER", {}).errors == {}
    wait_until(
        lambda: slack.thread("CTEAM", parent.ts)[0].edited, message="the reply, edited in place"
    )
    assert len(slack.thread("CTEAM", parent.ts)) == 1
    assert slack.thread("CTEAM", parent.ts)[0].text == reply.text
    assert stored_week(bot) == stored
    plan = bot.services.plans.current_plan(owner_id=owner, today=MONDAY)
    assert plan.one_on_ones is not None and plan.one_on_ones.label == "1 of 1 1:1s happened"
    assert "1:1 with you: happened" in slack.dms("UMANAGER")[-1].text
