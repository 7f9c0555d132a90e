"""People change: Slack's user_change, `/myplan manager` and `/myplan team`,
through Slack's own payloads against the loopback Slack."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bot.db.models import Workspace
from bot.domain.errors import DomainError
from bot.domain.plans import PlanState
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import AT, MONDAY, PLAN, parents, setup_team, tick
from tests.slack_emulator import wait_until
from tests.slack_emulator.server import User

UTC = dt.UTC


def member(bot: Bot, user: str) -> Any:
    return bot.services.members.find(workspace_id=1, slack_user_id=user)


def user_change(bot: Bot, user: str, **changes: Any) -> None:
    """Slack's user_change event, with the user as Slack now has them."""
    slack_user = bot.slack.users[user]
    for name, value in changes.items():
        setattr(slack_user, name, value)
    ack = bot.driver.event({"type": "user_change", "user": slack_user.to_dict(bot.slack.team_id)})
    assert ack.status == 200
    assert bot.runner.wait_idle(10)


def test_a_new_name_or_time_zone_refreshes_the_member(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER",))
    assert member(bot, "UOWNER").timezone == "America/New_York"
    user_change(bot, "UOWNER", real_name="Dana Reyes-Okafor", tz="Europe/Paris")
    refreshed = member(bot, "UOWNER")
    assert (refreshed.display_name, refreshed.timezone) == ("Dana Reyes-Okafor", "Europe/Paris")


def test_someone_myplan_never_saw_is_not_added(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER",))
    user_change(bot, "ULEADER", real_name="Vera P.")
    assert member(bot, "ULEADER") is None


def test_a_deactivated_user_leaves_the_count_and_the_reminders(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER", "UPEER"))
    user_change(bot, "UPEER", deleted=True)
    assert member(bot, "UPEER") is not None  # never deleted
    assert tick(bot, AT).sent == {"checkin-prompt": 1}
    [parent] = parents(bot)
    assert "0 of 1 checked in" in str(parent.blocks)
    # Tuesday 15:00 in New York: Dana's reminder, and none to the leaver.
    assert tick(bot, dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)).sent == {"checkin-reminder": 1}
    assert bot.slack.dms("UPEER") == []
    assert len(bot.slack.dms("UOWNER")) == 1


class ForeignUser(User):
    """Someone of another workspace (a Slack Connect guest, say)."""

    def to_dict(self, team_id: str) -> dict[str, Any]:
        return super().to_dict("TOTHER")


def answers(bot: Bot, count: int) -> list[str]:
    wait_until(lambda: len(bot.slack.responses) >= count, message=f"{count} answers")
    return [str(r.get("text", "")) for r in bot.slack.responses]


def onboarded(bot: Bot, user: str, *, manager: str | None = None) -> int:
    services = bot.services
    ref = services.members.ensure_member(
        slack_team_id=bot.slack.team_id,
        slack_user_id=user,
        display_name=bot.slack.users[user].real_name,
        timezone=bot.slack.users[user].tz,
    )
    services.members.mark_onboarded(member_id=ref.id, now=AT)
    if manager:
        services.members.set_manager(
            member_id=ref.id, manager_id=onboarded(bot, manager), changed_by_id=ref.id, now=AT
        )
    return int(ref.id)


def test_a_member_names_a_new_manager_and_the_history_is_kept(bot: Bot) -> None:
    owner = onboarded(bot, "UOWNER", manager="UMANAGER")
    bot.driver.slash_command("UOWNER", "manager <@ULEADER|vp>")
    assert answers(bot, 1)[0] == "Your manager is now Vera Park."
    # Vera never used myplan: her name and zone are Slack's.
    leader = member(bot, "ULEADER")
    assert (leader.display_name, leader.timezone) == ("Vera Park", "America/Los_Angeles")
    assert member(bot, "UOWNER").manager_id == leader.id
    history = bot.services.members.manager_history(owner)
    assert [manager for manager, _, _ in history] == [member(bot, "UMANAGER").id, leader.id]
    assert history[0][2] is not None  # Sam's ended
    # Vera hears it, by name.
    told = wait_until(lambda: bot.slack.dms("ULEADER"), message="the new manager's DM")
    assert "Dana Reyes named you as their manager" in told[0].text
    bot.driver.slash_command("UOWNER", "manager <@ULEADER>")
    assert answers(bot, 2)[1] == "Vera Park is your manager already."


def test_naming_a_manager_refuses_loops_strangers_and_typos(bot: Bot) -> None:
    onboarded(bot, "UPEER", manager="UOWNER")
    bot.slack.users["UFOREIGN"] = ForeignUser("UFOREIGN", "guest", real_name="Gus Guest")
    for text in (
        "manager <@UOWNER|dana>",
        "manager <@UPEER|lee>",
        "manager <@UFOREIGN|guest>",
        "manager <@UNOBODY>",
        "manager sam",
        "manager",
    ):
        bot.driver.slash_command("UOWNER", text)
        assert bot.runner.wait_idle(10)
    said = answers(bot, 6)
    assert said[0] == "You can't be your own manager."
    assert said[1] == "That person reports to you, directly or not: they can't be your manager."
    assert said[2] == "Choose someone in this workspace."
    assert said[3].startswith("I can't find that person in this workspace")
    assert "like `/myplan manager @sam`" in said[4]
    assert "like `/myplan manager @sam`" in said[5]
    assert member(bot, "UOWNER").manager_id is None
    assert member(bot, "UFOREIGN") is None


def test_a_member_moves_to_another_team_channel(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER",))
    bot.slack.add_channel("CNEW", "new-team", members=["UOWNER", "UPEER"])
    bot.driver.slash_command("UPEER", "team <#CNEW|new-team>")
    said = answers(bot, 1)[0]
    assert said.startswith("You check in to <#CNEW> now")
    # A new team takes its creator's zone: Lee's.
    assert "Monday at 09:00 (America/New_York)" in said
    peer = member(bot, "UPEER")
    team = bot.services.rhythm.team_of_member(member_id=peer.id)
    assert (team.channel_id, team.timezone) == ("CNEW", "America/New_York")
    # An existing team's channel joins that team.
    bot.driver.slash_command("UPEER", "team <#CTEAM>")
    assert answers(bot, 2)[1].startswith("You check in to <#CTEAM> now")
    assert bot.services.rhythm.team_of_member(member_id=peer.id).channel_id == "CTEAM"
    bot.driver.slash_command("UPEER", "team sales-team")
    assert "like `/myplan team #sales-team`" in answers(bot, 3)[2]
    # Bare, it is still a manager's view of their reports.
    bot.driver.slash_command("UPEER", "team")
    assert "Nobody reports to you" in str(
        wait_until(lambda: len(bot.slack.responses) == 4 and bot.slack.responses[3])
    )


def test_the_leaders_channel_is_no_team_channel(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER",))
    workspace = bot.services.members.ensure_workspace(slack_team_id=bot.slack.team_id)
    with bot.db.sessions.begin() as session:
        session.get_one(Workspace, workspace).leaders_channel_id = "CLEADERS"
    bot.driver.slash_command("UOWNER", "team <#CLEADERS|leaders>")
    assert "leaders channel" in answers(bot, 1)[0]
    assert (
        bot.services.rhythm.team_of_member(member_id=member(bot, "UOWNER").id).channel_id == "CTEAM"
    )


def with_plan(bot: Bot, user: str, *, manager: str | None, team: int) -> tuple[int, int]:
    """An onboarded member of ``team`` whose plan is proposed to ``manager``."""
    services = bot.services
    ref = onboarded(bot, user, manager=manager)
    services.members.join_team(member_id=ref, team_id=team)
    plan = services.plans.start_plan(owner_id=ref, today=MONDAY)
    services.plans.save(actor_id=ref, plan_id=plan.id, plan_input=PLAN, now=AT)
    services.plans.propose(actor_id=ref, plan_id=plan.id, now=AT)
    return ref, plan.id


def test_a_leaver_closes_as_left_and_each_report_is_told_once(bot: Bot) -> None:
    slack, services = bot.slack, bot.services
    team = setup_team(bot, users=())
    sam, sams_plan = with_plan(bot, "UMANAGER", manager="ULEADER", team=team)
    dana, danas_plan = with_plan(bot, "UOWNER", manager="UMANAGER", team=team)
    lee, lees_plan = with_plan(bot, "UPEER", manager="UMANAGER", team=team)
    services.plans.acknowledge(actor_id=sam, plan_id=lees_plan, revision=1, now=AT)
    assert services.plans.get_plan(viewer_id=lee, plan_id=lees_plan).state is PlanState.ACTIVE
    tick(bot, AT)
    [parent] = parents(bot)
    assert "0 of 3 checked in" in str(parent.blocks)

    # Sam is deactivated in Slack (which says so more than once).
    user_change(bot, "UMANAGER", deleted=True)
    user_change(bot, "UMANAGER", deleted=True)
    # Out of the count at once, and out of the reminders.
    wait_until(lambda: "0 of 2 checked in" in str(slack.find_message("CTEAM", parent.ts).blocks))
    # His plan is closed as left, never deleted, and his manager still reads it.
    assert services.plans.get_plan(viewer_id=sam, plan_id=sams_plan).state is PlanState.LEFT
    bot.driver.slash_command("ULEADER", "<@UMANAGER|sam>")
    card = str(wait_until(lambda: slack.responses, message="Sam's card")[0])
    assert "Closed (its owner left)" in card
    # ...and nobody who could not read it before reads it now (it is private).
    bot.driver.slash_command("UPEER", "<@UMANAGER|sam>")
    hidden = wait_until(lambda: len(slack.responses) == 2 and slack.responses[1]["text"])
    assert hidden == "You can't see that plan."
    # Each report is told once, and asked to name a new manager.
    for user in ("UOWNER", "UPEER"):
        [told] = wait_until(lambda user=user: slack.dms(user), message=f"{user}'s DM")
        assert "Sam Okafor has left the workspace" in told.text
        assert "`/myplan manager @someone`" in told.text
    assert "your Q4 FY2026 plan waits for their acknowledgement" in slack.dms("UOWNER")[0].text
    assert "waits for" not in slack.dms("UPEER")[0].text  # Lee's plan is active already
    assert tick(bot, dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)).sent == {"checkin-reminder": 2}
    assert slack.dms("UMANAGER") == []

    # Dana's plan waits for a manager: acknowledging it herself again does not make it active.
    danas = services.plans.get_plan(viewer_id=dana, plan_id=danas_plan)
    assert (danas.state, danas.acknowledgement.complete) == (PlanState.PROPOSED, False)
    assert danas.acknowledgement.needs_manager
    bot.driver.slash_command("UOWNER")
    card = str(wait_until(lambda: len(slack.responses) == 3 and slack.responses[2]))
    assert "Waiting for a manager to acknowledge it: name yours with" in card
    # She names Vera, who is asked to acknowledge the plan, and does.
    bot.driver.slash_command("UOWNER", "manager <@ULEADER|vp>")
    said = wait_until(lambda: len(slack.responses) == 4 and slack.responses[3]["text"])
    assert said == (
        "Your manager is now Vera Park. Your plan waits for their acknowledgement: "
        "I sent it to them."
    )
    request = wait_until(
        lambda: next((m for m in slack.dms("ULEADER") if "Acknowledge" in str(m.blocks)), None),
        message="Vera's request",
    )
    bot.driver.click_button("ULEADER", "Acknowledge revision 1", message=request)
    wait_until(
        lambda: (
            services.plans.get_plan(viewer_id=dana, plan_id=danas_plan).state is PlanState.ACTIVE
        ),
        message="Dana's plan to be active",
    )


def test_someone_reactivated_counts_again_and_takes_their_plan_up_as_a_draft(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER", "UPEER"))
    user_change(bot, "UPEER", deleted=True)
    peer = member(bot, "UPEER")
    plan = bot.services.plans.current_plan(owner_id=peer.id, today=MONDAY)
    assert (peer.deactivated, plan.state) == (True, PlanState.LEFT)
    user_change(bot, "UPEER", deleted=False)
    assert not member(bot, "UPEER").deactivated
    assert bot.services.plans.current_plan(owner_id=peer.id, today=MONDAY).state is PlanState.DRAFT


def test_a_manager_change_mid_quarter_keeps_the_revision_and_asks_the_new_manager(
    bot: Bot,
) -> None:
    slack, services = bot.slack, bot.services
    team = setup_team(bot, users=())
    dana, plan = with_plan(bot, "UOWNER", manager="UMANAGER", team=team)
    sam = member(bot, "UMANAGER").id
    services.plans.acknowledge(actor_id=sam, plan_id=plan, revision=1, now=AT)
    assert services.plans.get_plan(viewer_id=dana, plan_id=plan).state is PlanState.ACTIVE

    # Week 5: Dana now reports to Vera. The plan stays active on its revision
    # (check-ins go on) and Vera is asked to acknowledge it: the plan, not a diff.
    bot.driver.slash_command("UOWNER", "manager <@ULEADER|vp>")
    said = answers(bot, 1)[0]
    assert said == (
        "Your manager is now Vera Park. Your plan stays active; it waits for their "
        "acknowledgement of revision 1: I sent it to them."
    )
    shown = services.plans.get_plan(viewer_id=dana, plan_id=plan)
    assert (shown.state, shown.revision) == (PlanState.ACTIVE, 1)
    vera = member(bot, "ULEADER").id
    assert shown.acknowledgement.waiting_for == {vera}
    request = wait_until(
        lambda: next((m for m in slack.dms("ULEADER") if "Acknowledge" in str(m.blocks)), None),
        message="Vera's request",
    )
    bot.driver.click_button("ULEADER", "Open", message=request)
    opened = wait_until(lambda: len(slack.responses) == 2 and slack.responses[1])
    assert "Calls" in str(opened["blocks"])  # the plan itself
    bot.driver.slash_command("UOWNER")
    card = str(wait_until(lambda: len(slack.responses) == 3 and slack.responses[2]))
    assert "Waiting for Vera Park to acknowledge" in card

    # Sam managed Dana this quarter: he still reads this quarter's plan, and only it.
    assert services.plans.get_plan(viewer_id=sam, plan_id=plan).id == plan
    next_quarter = services.plans.start_plan(owner_id=dana, today=dt.date(2027, 1, 4))
    with pytest.raises(DomainError):
        services.plans.get_plan(viewer_id=sam, plan_id=next_quarter.id)
    assert services.plans.get_plan(viewer_id=vera, plan_id=next_quarter.id).id == next_quarter.id
    bot.driver.click_button("ULEADER", "Acknowledge revision 1", message=request)
    wait_until(
        lambda: (
            not services.plans.get_plan(viewer_id=dana, plan_id=plan).acknowledgement.waiting_for
        ),
        message="Vera's acknowledgement",
    )
    assert services.plans.get_plan(viewer_id=dana, plan_id=plan).state is PlanState.ACTIVE
