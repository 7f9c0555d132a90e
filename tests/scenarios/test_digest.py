"""A manager's digest: one DM a day listing what waits for them (proposals,
new revisions, reviews), a row and its buttons each, edited in place as they
act, instead of a DM per event; read for the same number of SQL statements
with 30 reports as with 1."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.domain.plans import PlanState
from bot.ids import Action
from bot.usecases.digest import manager_digest
from tests.scenarios.conftest import NOW, Bot
from tests.scenarios.test_home_queries import MAX_STATEMENTS, PLAN, counting, onboarded
from tests.scenarios.test_rhythm import tick
from tests.scenarios.test_team_view import buttons
from tests.slack_emulator import wait_until

DM = "DMANY"


def proposing(bot: Bot, manager: int, slack_id: str) -> int:
    """A report of ``manager`` with this quarter's plan saved, not proposed yet."""
    report = onboarded(bot, slack_id, manager=manager)
    plan = bot.services.plans.start_plan(owner_id=report, today=NOW.date())
    bot.services.plans.save(actor_id=report, plan_id=plan.id, plan_input=PLAN, now=NOW)
    return plan.id


def propose_through_slack(bot: Bot, slack_id: str, plan_id: int) -> None:
    """The report clicks Propose on their plan (App Home's button: no response_url)."""
    action = {
        "type": "button",
        "action_id": Action.PROPOSE.value,
        "text": {"type": "plain_text", "text": "Propose to my manager"},
        "value": str(plan_id),
    }
    bot.driver.block_action(slack_id, action, block_id="plan")


def digests(bot: Bot, slack_id: str) -> list[Any]:
    return [m for m in bot.slack.dms(slack_id) if "for you" in m.text]


def test_thirty_proposals_make_one_dm_edited_in_place_as_the_manager_acts(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    manager = onboarded(bot, "UMANY")
    plans = [proposing(bot, manager, f"UMANYR{i:02d}") for i in range(30)]
    for i, plan_id in enumerate(plans):
        propose_through_slack(bot, f"UMANYR{i:02d}", plan_id)
        wanted = f"{i + 1} plan{'s' if i else ''} to acknowledge"
        wait_until(
            lambda wanted=wanted: (
                digests(bot, "UMANY") and wanted in str(digests(bot, "UMANY")[-1].blocks)
            ),
            message=wanted,
        )
    assert bot.runner.wait_idle(10)
    # One DM for thirty requests: the first posted it, each next one edited it.
    [digest] = digests(bot, "UMANY")
    assert slack.dms("UMANY") == [digest]
    assert digest.edited
    blocks = digest.blocks or []
    assert len(blocks) <= 50
    text = str(blocks)
    assert "30 plans to acknowledge" in text
    assert "umanyr00" in text.lower() and "umanyr14" in text.lower()
    assert "umanyr15" not in text.lower()
    assert "…and 15 more: `/myplan team` lists them all." in text
    assert buttons(blocks).count("Acknowledge revision 1") == 15
    assert buttons(blocks).count("Open") == 15
    # Nobody's words are in it, only names and states: the plan opens apart.
    assert "Calls" not in text

    # Open shows the plan and what acknowledging means, to the manager alone.
    driver.click_button("UMANY", "Open", message=digest)
    opened = wait_until(lambda: slack.responses and slack.responses[-1], message="the plan")
    assert opened["response_type"] == "ephemeral" and "Calls" in str(opened["blocks"])

    # Acknowledging from the digest edits it: one fewer waits.
    driver.click_button("UMANY", "Acknowledge revision 1", message=digest)
    wait_until(
        lambda: "29 plans to acknowledge" in str(slack.find_message(digest.channel, digest.ts)),
        message="the digest edited after the acknowledgement",
    )
    first = bot.services.plans.get_plan(viewer_id=manager, plan_id=plans[0])
    assert first.state is PlanState.ACTIVE
    assert len(digests(bot, "UMANY")) == 1


def test_the_next_day_gets_a_new_digest_and_nothing_left_says_so(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    manager = onboarded(bot, "UMANY")
    first = proposing(bot, manager, "UMANYR00")
    propose_through_slack(bot, "UMANYR00", first)
    today = wait_until(lambda: digests(bot, "UMANY"), message="today's digest")[0]
    bot.now = NOW + dt.timedelta(days=1)
    second = proposing(bot, manager, "UMANYR01")
    propose_through_slack(bot, "UMANYR01", second)
    tomorrow = wait_until(
        lambda: len(digests(bot, "UMANY")) == 2 and digests(bot, "UMANY")[1],
        message="the next day's digest",
    )
    assert "2 plans to acknowledge" in str(tomorrow.blocks)  # yesterday's still waits
    for _ in range(2):
        driver.click_button("UMANY", "Acknowledge revision 1", message=tomorrow)
        assert bot.runner.wait_idle(10)
    wait_until(
        lambda: (
            "Nothing waits for you now" in str(slack.find_message(tomorrow.channel, tomorrow.ts))
        ),
        message="the digest emptied",
    )
    # Yesterday's message is left as it was: only today's is edited.
    assert slack.find_message(today.channel, today.ts).ts == today.ts
    assert len(digests(bot, "UMANY")) == 2


def test_the_digest_costs_the_same_for_thirty_reports_as_for_one(bot: Bot) -> None:
    counts = []
    for slack_id, reports in (("UONE", 1), ("UMANY", 30)):
        manager = onboarded(bot, slack_id)
        for i in range(reports):
            plan = proposing(bot, manager, f"{slack_id}R{i:02d}")
            owner = bot.services.plans.get_plan(viewer_id=manager, plan_id=plan).owner_id
            bot.services.plans.propose(actor_id=owner, plan_id=plan, now=NOW)
        with counting(bot) as counted:
            digest = manager_digest(bot.db, manager_id=manager, now=NOW)
        assert len(digest.waiting) == reports
        assert len(counted.statements) <= MAX_STATEMENTS, "\n".join(counted.statements)
        assert counted.transactions == 1
        counts.append(len(counted.statements))
    assert counts[0] == counts[1]


def test_a_forged_open_names_a_plan_the_clicker_cannot_see(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    manager = onboarded(bot, "UMANY")
    other = onboarded(bot, "UOTHER")
    mine = proposing(bot, manager, "UMANYR00")
    propose_through_slack(bot, "UMANYR00", mine)
    theirs = proposing(bot, other, "UOTHERR00")
    digest = wait_until(lambda: digests(bot, "UMANY"), message="the digest")[0]
    forged = [dict(block) for block in digest.blocks or []]
    for block in forged:
        if "accessory" in block:
            block["accessory"] = {**block["accessory"], "value": str(theirs)}
    before = len(slack.responses)
    driver.click_button_in("UMANY", "Open", blocks=forged, channel_id=DM)
    said = wait_until(
        lambda: len(slack.responses) > before and slack.responses[before], message="refusal"
    )
    assert said["text"] == "You can't see that plan."
    assert "Calls" not in str(said)


def test_thirty_proposals_at_once_end_in_one_digest_listing_all(bot: Bot) -> None:
    """Proposals racing each other: each request reads the digest after the
    others' writes (the manager's row is held), and an older read is never
    sent over a newer one, so the message ends listing all thirty."""
    manager = onboarded(bot, "UMANY")
    plans = [proposing(bot, manager, f"UMANYR{i:02d}") for i in range(30)]
    for i, plan_id in enumerate(plans):  # no waiting between clicks
        propose_through_slack(bot, f"UMANYR{i:02d}", plan_id)
    assert bot.runner.wait_idle(30)
    [digest] = wait_until(lambda: digests(bot, "UMANY"), message="the digest")
    assert "30 plans to acknowledge" in str(digest.blocks)
    assert bot.slack.dms("UMANY") == [digest]


def test_what_still_waits_comes_back_each_working_morning_once(bot: Bot) -> None:
    """A proposal not acknowledged by the next day is listed again in that
    day's digest, from 09:00 the manager's time, once a day, working days only."""
    manager = onboarded(bot, "UMANY")
    bot.services.members.ensure_member(
        slack_team_id=bot.slack.team_id, slack_user_id="UMANY", timezone="America/New_York"
    )
    assert bot.services.members.get(manager).timezone == "America/New_York"
    plan = proposing(bot, manager, "UMANYR00")
    bot.now = dt.datetime(2026, 11, 27, 15, tzinfo=dt.UTC)  # Friday 10:00 in New York
    propose_through_slack(bot, "UMANYR00", plan)
    wait_until(lambda: digests(bot, "UMANY"), message="Friday's digest")
    # Friday again, later: it has its digest; the weekend: nothing.
    for hour in (
        dt.datetime(2026, 11, 27, 20, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 28, 15, tzinfo=dt.UTC),
    ):
        assert "manager-digest" not in tick(bot, hour).sent
    # Monday: not before 09:00 in New York, then once.
    assert "manager-digest" not in tick(bot, dt.datetime(2026, 11, 30, 13, 30, tzinfo=dt.UTC)).sent
    assert tick(bot, dt.datetime(2026, 11, 30, 14, 0, tzinfo=dt.UTC)).sent == {"manager-digest": 1}
    assert "manager-digest" not in tick(bot, dt.datetime(2026, 11, 30, 14, 30, tzinfo=dt.UTC)).sent
    [friday, monday] = digests(bot, "UMANY")
    assert "Monday, November 30" in str(monday.blocks)
    assert "1 plan to acknowledge" in str(monday.blocks)
    # Acknowledged: Tuesday morning brings nothing.
    bot.now = dt.datetime(2026, 11, 30, 16, tzinfo=dt.UTC)
    bot.driver.click_button("UMANY", "Acknowledge revision 1", message=monday)
    wait_until(
        lambda: "Nothing waits" in str(bot.slack.find_message(monday.channel, monday.ts)),
        message="Monday's digest emptied",
    )
    assert "manager-digest" not in tick(bot, dt.datetime(2026, 12, 1, 14, 0, tzinfo=dt.UTC)).sent
    assert len(digests(bot, "UMANY")) == 2 and friday.ts != monday.ts
