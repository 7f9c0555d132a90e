"""A Friday team's quarter ends like a Monday team's: the review is asked for
in the window before the quarter's last day, with one reminder, whatever the
check-in weekday (a Friday team's last-week prompt falls in the next quarter)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from bot.domain.content import CommitmentInput, PlanInput
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import tick

NY = ZoneInfo("America/New_York")
UTC = dt.UTC
START = dt.datetime(2026, 10, 5, 14, 0, tzinfo=UTC)
PLAN = PlanInput(
    aspiration="Grow",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="20", target="25")
    ],
)


def friday_team_with_an_active_plan(bot: Bot) -> tuple[int, int]:
    services, slack = bot.services, bot.slack
    workspace = services.members.ensure_workspace(slack_team_id=slack.team_id)
    team = services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        name="AEs",
        checkin_weekday=4,
        checkin_time=dt.time(9),
        timezone="America/New_York",
    )
    owner = services.members.ensure_member(
        slack_team_id=slack.team_id, slack_user_id="UOWNER", timezone="America/New_York"
    )
    manager = services.members.ensure_member(
        slack_team_id=slack.team_id, slack_user_id="UMANAGER", timezone="Europe/London"
    )
    services.members.mark_onboarded(member_id=owner.id, now=START)
    services.members.join_team(member_id=owner.id, team_id=team)
    services.members.set_manager(
        member_id=owner.id, manager_id=manager.id, changed_by_id=owner.id, now=START
    )
    plan = services.plans.start_plan(owner_id=owner.id, today=START.date())
    services.plans.save(actor_id=owner.id, plan_id=plan.id, plan_input=PLAN, now=START)
    services.plans.propose(actor_id=owner.id, plan_id=plan.id, now=START)
    services.plans.acknowledge(actor_id=manager.id, plan_id=plan.id, revision=1, now=START)
    return owner.id, plan.id


def hourly(bot: Bot, start: dt.datetime, end: dt.datetime) -> dict[str, list[dt.datetime]]:
    sent: dict[str, list[dt.datetime]] = defaultdict(list)
    now = start
    while now < end:
        for kind, count in tick(bot, now).sent.items():
            sent[kind] += [now] * count
        now += dt.timedelta(hours=1)
    return sent


def test_a_friday_team_is_asked_to_review_and_reminded_once(bot: Bot) -> None:
    friday_team_with_an_active_plan(bot)
    sent = hourly(
        bot, dt.datetime(2026, 12, 24, 0, tzinfo=UTC), dt.datetime(2027, 1, 1, 12, tzinfo=UTC)
    )
    # Five working days before Thursday Dec 31: Friday Dec 25, 09:00 in New York.
    opened = dt.datetime(2026, 12, 25, 14, 0, tzinfo=UTC)
    assert sent["review-request"] == [opened]  # the owner, once
    # One reminder on the quarter's last working day, at 09:00 the owner's time.
    last = dt.datetime(2026, 12, 31, 14, 0, tzinfo=UTC)
    assert sent["review-reminder"] == [last]
    # The manager is asked in their digest of the day: once when the window
    # opens, once more on its last working day, never a DM per event.
    assert sent["manager-digest"] == [opened, last]
    assert "Time to review your Q4 FY2026 plan" in str(bot.slack.dms("UOWNER")[0].blocks)
    digests = bot.slack.dms("UMANAGER")
    assert len(digests) == 2
    for digest in digests:
        assert "1 review to write (the quarter ends Dec 31)" in str(digest.blocks)
        bot.driver.find_button(digest.blocks or [], "Review the quarter")


def test_a_completed_review_is_not_reminded(bot: Bot) -> None:
    owner_id, plan_id = friday_team_with_an_active_plan(bot)
    first = hourly(
        bot, dt.datetime(2026, 12, 25, 13, tzinfo=UTC), dt.datetime(2026, 12, 25, 15, tzinfo=UTC)
    )
    assert len(first["review-request"]) == 1
    assert len(first["manager-digest"]) == 1
    bot.services.reviews.complete(
        actor_id=owner_id,
        plan_id=plan_id,
        reflection="A good quarter",
        chosen={},
        reason=None,
        now=dt.datetime(2026, 12, 29, 15, tzinfo=UTC),
    )
    later = hourly(
        bot, dt.datetime(2026, 12, 29, 16, tzinfo=UTC), dt.datetime(2027, 1, 1, 6, tzinfo=UTC)
    )
    assert "review-reminder" not in later
    assert "review-request" not in later


def test_a_proposed_plan_is_not_asked_for_a_review(bot: Bot) -> None:
    """A plan nobody acknowledged yet has nothing to review: no request, no reminder."""
    services, slack = bot.services, bot.slack
    friday_team_with_an_active_plan(bot)
    team = services.settings.team_at(
        channel_id="CTEAM",
        workspace_id=services.members.ensure_workspace(slack_team_id=slack.team_id),
    )
    assert team is not None
    peer = services.members.ensure_member(
        slack_team_id=slack.team_id, slack_user_id="UPEER", timezone="America/New_York"
    )
    services.members.mark_onboarded(member_id=peer.id, now=START)
    services.members.join_team(member_id=peer.id, team_id=team.id)
    services.members.set_manager(
        member_id=peer.id, manager_id=None, changed_by_id=peer.id, now=START, no_manager=False
    )
    plan = services.plans.start_plan(owner_id=peer.id, today=START.date())
    services.plans.save(actor_id=peer.id, plan_id=plan.id, plan_input=PLAN, now=START)
    services.plans.propose(actor_id=peer.id, plan_id=plan.id, now=START)
    sent = hourly(
        bot, dt.datetime(2026, 12, 25, 13, tzinfo=UTC), dt.datetime(2026, 12, 31, 15, tzinfo=UTC)
    )
    assert len(sent["review-request"]) == 1  # the active plan's owner
    assert len(sent["manager-digest"]) == 2  # and their manager: the window's first and last day
    assert not [dm for dm in slack.dms("UPEER") if "review" in dm.text]
