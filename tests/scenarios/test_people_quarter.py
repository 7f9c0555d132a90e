"""One quarter of a team whose people change, through Slack's payloads and
the clock: a joiner in week 3, a manager change in week 5, a time zone change
in week 6, a leaver who manages two in week 8, and a manager of 30 beside
them. Every week's count and reminders, the access decisions and the DMs."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from bot.domain.errors import DomainError
from bot.domain.plans import PlanState
from bot.ids import Action
from tests.scenarios.conftest import Bot
from tests.scenarios.test_collaboration import PLAN as FORM
from tests.scenarios.test_people import member, onboarded, user_change
from tests.scenarios.test_rhythm import PLAN, parents, tick
from tests.slack_emulator import wait_until

UTC = dt.UTC
FIRST_MONDAY = dt.date(2027, 1, 4)  # week 1 of Q1 FY2027
BIG = [f"UMANYR{i:02d}" for i in range(30)]
REMINDER = "A reminder: this week's check-in"


def at(week: int, hour: int, *, day: int = 0) -> dt.datetime:
    monday = FIRST_MONDAY + dt.timedelta(weeks=week - 1, days=day)
    return dt.datetime.combine(monday, dt.time(hour), tzinfo=UTC)


def team(bot: Bot, channel: str) -> int:
    services = bot.services
    return services.members.configure_team(
        workspace_id=services.members.ensure_workspace(slack_team_id=bot.slack.team_id),
        channel_id=channel,
        name=channel,
        checkin_weekday=0,
        checkin_time=dt.time(9),
        timezone="America/New_York",
    )


def saved_plan(bot: Bot, user: str, *, manager: str | None, team_id: int) -> tuple[int, int]:
    """An onboarded member of the team with this quarter's plan saved (not proposed)."""
    services = bot.services
    ref = onboarded(bot, user, manager=manager)
    services.members.join_team(member_id=ref, team_id=team_id)
    plan = services.plans.start_plan(owner_id=ref, today=FIRST_MONDAY)
    services.plans.save(actor_id=ref, plan_id=plan.id, plan_input=PLAN, now=at(1, 0))
    return ref, plan.id


def propose(bot: Bot, user: str, plan_id: int) -> None:
    """*Propose to my manager*, clicked on the plan's card."""
    action = {
        "type": "button",
        "action_id": Action.PROPOSE.value,
        "text": {"type": "plain_text", "text": "Propose to my manager"},
        "value": str(plan_id),
    }
    bot.driver.block_action(user, action, block_id="plan")


def digests(bot: Bot, user: str) -> list[Any]:
    return [
        m for m in bot.slack.dms(user) if "for you today" in m.text or "Nothing waits" in m.text
    ]


def reminded(bot: Bot, now: dt.datetime) -> set[str]:
    """Who the tick at ``now`` sent a check-in reminder to."""

    def counts() -> Counter[str]:
        return Counter(
            {user: sum(REMINDER in m.text for m in bot.slack.dms(user)) for user in bot.slack.users}
        )

    before = counts()
    report = tick(bot, now)
    assert report.failed == [], report.failed
    after = counts()
    sent = {user for user in after if after[user] > before[user]}
    assert report.sent.get("checkin-reminder", 0) == len(sent)
    return sent


def test_a_quarter_of_joiners_movers_leavers_and_a_manager_of_thirty(bot: Bot) -> None:
    slack, driver, services = bot.slack, bot.driver, bot.services
    sales, big = team(bot, "CTEAM"), team(bot, "CBIG")
    bot.now = at(1, 12)
    vera = onboarded(bot, "ULEADER")
    sam, sams_plan = saved_plan(bot, "UMANAGER", manager="ULEADER", team_id=sales)
    services.plans.propose(actor_id=sam, plan_id=sams_plan, now=bot.now)
    services.plans.acknowledge(actor_id=vera, plan_id=sams_plan, revision=1, now=bot.now)
    dana, danas_plan = saved_plan(bot, "UOWNER", manager="UMANAGER", team_id=sales)
    lee, lees_plan = saved_plan(bot, "UPEER", manager="UMANAGER", team_id=sales)

    # Week 1: Dana and Lee propose; Sam gets one DM, his digest, listing both.
    propose(bot, "UOWNER", danas_plan)
    propose(bot, "UPEER", lees_plan)
    assert bot.runner.wait_idle(10)
    [sams_digest] = wait_until(lambda: digests(bot, "UMANAGER"), message="Sam's digest")
    wait_until(
        lambda: (
            "2 plans to acknowledge"
            in str(slack.find_message(sams_digest.channel, sams_digest.ts).blocks)
        ),
        message="both listed",
    )
    # He acknowledges Lee's from it; Dana's waits (she changes manager first).
    lees_row = slack.find_message(sams_digest.channel, sams_digest.ts)
    block_id, button = next(
        (b, e)
        for b, e in _acknowledge_buttons(lees_row.blocks or [])
        if f'"plan": {lees_plan}' in e["value"]
    )
    driver.block_action("UMANAGER", button, message=lees_row, block_id=block_id)
    wait_until(
        lambda: services.plans.get_plan(viewer_id=lee, plan_id=lees_plan).state is PlanState.ACTIVE,
        message="Lee's plan active",
    )
    wait_until(
        lambda: (
            "1 plan to acknowledge"
            in str(slack.find_message(sams_digest.channel, sams_digest.ts).blocks)
        ),
        message="the digest edited",
    )
    assert len(slack.dms("UMANAGER")) == 1

    # The manager of thirty: thirty proposals, one DM; fifteen acknowledged from it.
    for i, user in enumerate(BIG):
        slack.add_user(user, user.lower(), real_name=f"Rep {i:02d}", tz="America/New_York")
    slack.add_user("UMANY", "max", real_name="Max Lin", tz="America/New_York")
    slack.add_channel("CBIG", "big-team", members=[*BIG, "UMANY"])
    onboarded(bot, "UMANY")
    for user in BIG:
        _, plan_id = saved_plan(bot, user, manager="UMANY", team_id=big)
        propose(bot, user, plan_id)
    assert bot.runner.wait_idle(30)
    [maxs] = wait_until(lambda: digests(bot, "UMANY"), message="Max's digest")
    assert "30 plans to acknowledge" in str(maxs.blocks)
    for _ in range(15):
        latest = slack.find_message(maxs.channel, maxs.ts)
        driver.click_button("UMANY", _first_acknowledge(latest.blocks or []), message=latest)
        assert bot.runner.wait_idle(10)
    wait_until(
        lambda: "15 plans to acknowledge" in str(slack.find_message(maxs.channel, maxs.ts).blocks),
        message="Max's digest after fifteen",
    )
    assert slack.dms("UMANY") == [slack.find_message(maxs.channel, maxs.ts)]

    expected = {"UMANAGER", "UOWNER", "UPEER"}
    told_of_sam: dict[str, int] = {}
    for week in range(1, 10):
        bot.now = at(week, 12)
        if week == 3:  # a joiner, onboarded through Slack: team channel and manager
            joins(bot)
            expected.add("UJOIN")
        if week == 5:  # Dana now reports to Vera, who is asked for what waited for Sam
            driver.slash_command("UOWNER", "manager <@ULEADER|vp>")
            veras = wait_until(lambda: digests(bot, "ULEADER"), message="Vera's digest")[-1]
            assert "Revision 1 waits for your acknowledgement" in str(veras.blocks)
            driver.click_button("ULEADER", "Acknowledge revision 1", message=veras)
            wait_until(
                lambda: (
                    services.plans.get_plan(viewer_id=dana, plan_id=danas_plan).state
                    is PlanState.ACTIVE
                ),
                message="Dana's plan active on Vera's acknowledgement",
            )
            # Sam managed Dana this quarter: he reads it still, nothing newer.
            assert services.plans.get_plan(viewer_id=sam, plan_id=danas_plan).id == danas_plan
            later = services.plans.start_plan(owner_id=dana, today=dt.date(2027, 4, 5))
            with pytest.raises(DomainError):
                services.plans.get_plan(viewer_id=sam, plan_id=later.id)
        if week == 6:  # Lee moves to London: his reminder follows his clock
            user_change(bot, "UPEER", tz="Europe/London")
            assert member(bot, "UPEER").timezone == "Europe/London"
        if week == 8:  # Sam leaves; he managed Lee and Jo by now
            user_change(bot, "UMANAGER", deleted=True)
            expected.discard("UMANAGER")
            for user in ("UPEER", "UJOIN"):
                told = wait_until(
                    lambda user=user: [m for m in slack.dms(user) if "has left" in m.text],
                    message=f"{user} told",
                )
                told_of_sam[user] = len(told)
            assert (
                services.plans.get_plan(viewer_id=vera, plan_id=sams_plan).state is PlanState.LEFT
            )
            sams_dms = len(slack.dms("UMANAGER"))

        report = tick(bot, at(week, 14))
        assert report.sent.get("checkin-prompt") == 2, (week, report.sent)
        parent = parents(bot)[-1]
        assert f"0 of {len(expected)} checked in" in str(parent.blocks), week
        # Reminders on Tuesday, 15:00 in each member's own zone.
        london = {"UMANAGER"} & expected | ({"UPEER"} if week >= 6 else set())
        assert reminded(bot, at(week, 15, day=1)) == london, week
        new_york = (expected - london) | set(BIG)
        assert reminded(bot, at(week, 20, day=1)) == new_york, week

    # Each of Sam's reports was told once; Sam, once gone, got nothing more.
    for user in ("UPEER", "UJOIN"):
        assert len([m for m in slack.dms(user) if "has left" in m.text]) == told_of_sam[user] == 1
    assert "Until then your Q1 FY2027 plan waits" in next(
        m.text for m in slack.dms("UJOIN") if "has left" in m.text
    )
    assert "waits" not in next(m.text for m in slack.dms("UPEER") if "has left" in m.text)
    assert len(slack.dms("UMANAGER")) == sams_dms
    # Max's DMs are his digests, never one per event: a message a day at most,
    # each working morning the clock ran while fifteen plans still waited.
    days = [str(m.metadata["event_payload"]["key"]).rsplit("=", 1)[1] for m in slack.dms("UMANY")]
    assert len(days) == len(set(days)) == 1 + 2 * 9 - 1  # week 1's Monday was its request's
    assert all("15 plans to acknowledge" in str(m.blocks) for m in slack.dms("UMANY"))
    # A peer still cannot read a private plan of the team.
    with pytest.raises(DomainError):
        services.plans.get_plan(viewer_id=lee, plan_id=danas_plan)


def joins(bot: Bot) -> None:
    """Jo is new: `/myplan` onboards her (team channel, manager), then she
    writes her plan in the builder and proposes it; Sam's digest lists it."""
    slack, driver = bot.slack, bot.driver
    slack.add_user("UJOIN", "jo", real_name="Jo Kim", tz="America/New_York")
    slack.channels["CTEAM"].members.add("UJOIN")
    driver.slash_command("UJOIN")
    wait_until(lambda: slack.open_modal("UJOIN"), message="Jo's onboarding")
    ack = driver.submit_view("UJOIN", {"team_channel": "CTEAM", "manager": "UMANAGER"})
    assert ack.json["response_action"] == "update"
    assert driver.submit_view("UJOIN", FORM).status == 200
    saved = wait_until(lambda: slack.dms("UJOIN"), message="Jo's saved plan")[-1]
    driver.click_button("UJOIN", "Propose to my manager", message=saved)
    wait_until(
        lambda: any("Jo Kim" in str(m.blocks) for m in digests(bot, "UMANAGER")),
        message="Sam's digest listing Jo",
    )


def _acknowledge_buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (block.get("block_id", ""), element)
        for block in blocks
        if block.get("type") == "actions"
        for element in block["elements"]
        if element.get("action_id") == Action.ACKNOWLEDGE.value
    ]


def _first_acknowledge(blocks: list[dict[str, Any]]) -> str:
    return str(_acknowledge_buttons(blocks)[0][1]["text"]["text"])
