"""A whole quarter in seconds: Q4 FY2026, hour by hour, on the loopback Slack.

A team of five checks in to #sales-team on Mondays at 09:00 New York time:
three in New York, two in London, so both daylight-saving changes (London on
Oct 25, New York on Nov 1) fall inside the quarter. Their manager leads in the
open. One skips a week, one checks in late, one edits a check-in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from bot.db.models import Workspace
from bot.domain.content import CommitmentInput, PlanInput
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import client
from tests.slack_emulator import wait_until
from tests.support import run_due

UTC = dt.UTC
NY = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
PEOPLE = {"UA": NY, "UB": NY, "UC": NY, "UD": LONDON, "UE": LONDON}
LEADER = "ULEAD"
MONDAYS = [dt.date(2026, 10, 5) + dt.timedelta(weeks=w) for w in range(13)]  # Oct 5 .. Dec 28
SKIPPER, LATE, EDITOR = "UB", "UD", "UC"
SKIP_WEEK, LATE_WEEK, EDIT_WEEK = MONDAYS[2], MONDAYS[4], MONDAYS[5]


def check_in(bot: Bot, user: str, value: int, at: dt.datetime) -> None:
    bot.now = at
    bot.driver.slash_command(user, "checkin")
    modal = wait_until(lambda: bot.slack.open_modal(user), message=f"{user}'s check-in")
    block = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    )
    answers = {block: str(value), "confidence": "4"}
    if any(b.get("block_id") == "one_on_one" for b in modal.view["blocks"]):
        answers["one_on_one"] = "yes"
    assert bot.driver.submit_view(user, answers).errors == {}
    wait_until(lambda: bot.slack.open_modal(user) is None)


def test_a_quarter_of_check_ins(bot: Bot) -> None:
    slack, services = bot.slack, bot.services
    slack.limits.enabled = False  # a quarter of traffic in seconds; limits have their own tests
    for user, tz in PEOPLE.items():
        slack.add_user(user, user.lower(), tz=tz.key)
    slack.add_user(LEADER, "lead", tz="America/New_York")
    slack.channels["CTEAM"].members.update([*PEOPLE, LEADER])
    slack.channels["CLEADERS"].members.add(LEADER)
    start = dt.datetime(2026, 10, 1, 12, tzinfo=UTC)
    workspace = services.members.ensure_workspace(slack_team_id=slack.team_id)
    with bot.db.sessions.begin() as session:
        session.get_one(Workspace, workspace).leaders_channel_id = "CLEADERS"
    team = services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        checkin_weekday=0,
        checkin_time=dt.time(9),
        timezone="America/New_York",
    )
    lead = services.members.ensure_member(
        slack_team_id=slack.team_id,
        slack_user_id=LEADER,
        display_name="lead",
        timezone="America/New_York",
    )
    ids = {}
    for user in [*PEOPLE, LEADER]:
        ref = services.members.ensure_member(
            slack_team_id=slack.team_id,
            slack_user_id=user,
            display_name=user.lower(),
            timezone=PEOPLE.get(user, NY).key,
        )
        services.members.join_team(member_id=ref.id, team_id=team)
        services.members.mark_onboarded(member_id=ref.id, now=start)
        if user != LEADER:
            services.members.set_manager(
                member_id=ref.id, manager_id=lead.id, changed_by_id=lead.id, now=start
            )
        plan = services.plans.start_plan(owner_id=ref.id, today=start.date())
        services.plans.save(
            actor_id=ref.id,
            plan_id=plan.id,
            now=start,
            plan_input=PlanInput(
                aspiration=f"{user} grows",
                visibility="public" if user == LEADER else "team",
                one_on_one_cadence="1",
                commitments=[
                    CommitmentInput(
                        title="Calls", kind="activity", unit="calls", baseline="20", target="25"
                    )
                ],
            ),
        )
        services.plans.propose(actor_id=ref.id, plan_id=plan.id, now=start)
        if user != LEADER:
            services.plans.acknowledge(actor_id=lead.id, plan_id=plan.id, revision=1, now=start)
        ids[user] = (ref.id, plan.id)

    web = client(bot)
    sent_at: dict[str, list[dt.datetime]] = defaultdict(list)
    dms_seen = {user: 0 for user in [*PEOPLE, LEADER]}
    reminders: dict[str, list[dt.datetime]] = defaultdict(list)
    now = dt.datetime(2026, 10, 4, 0, tzinfo=UTC)
    end = dt.datetime(2027, 1, 1, 0, tzinfo=UTC)
    while now < end:
        report = run_due(services=services, clients=lambda _team: web, now=now)
        assert report.failed == []
        for kind, count in report.sent.items():
            sent_at[kind] += [now] * count
        for user in dms_seen:
            dms = slack.dms(user)
            for message in dms[dms_seen[user] :]:
                if "check-in is waiting" in message.text:
                    reminders[user].append(now)
            dms_seen[user] = len(dms)
        local = now.astimezone(NY)
        if local.weekday() == 0 and local.hour == 11:  # two hours after the prompt
            monday = local.date()
            for user in [*PEOPLE, LEADER]:
                if (user, monday) in ((SKIPPER, SKIP_WEEK), (LATE, LATE_WEEK)):
                    continue
                check_in(bot, user, 24 + MONDAYS.index(monday) // 4, now)
            if monday == SKIP_WEEK:
                bot.now = now
                bot.driver.slash_command(SKIPPER, "skip at a conference")
            if monday == EDIT_WEEK:
                check_in(bot, EDITOR, 30, now + dt.timedelta(hours=1))
        if (
            now.astimezone(LONDON).date() == LATE_WEEK + dt.timedelta(days=2)
            and now.astimezone(LONDON).hour == 10
        ):
            check_in(bot, LATE, 25, now)  # Wednesday: late, after the reminder
        now += dt.timedelta(hours=1)

    # One team prompt a week, each at 09:00 in New York, across both clock changes.
    assert [t.astimezone(NY).strftime("%a %H:%M") for t in sent_at["checkin-prompt"]] == [
        "Mon 09:00"
    ] * 13
    assert [t.astimezone(NY).date() for t in sent_at["checkin-prompt"]] == MONDAYS
    assert len(slack.channel_messages("CTEAM", top_level=True)) == 13
    # One leaders' thread a week; the leader's plan once, at the quarter's first prompt.
    assert len(sent_at["leaders-prompt"]) == 13
    assert sent_at["leader-plan"] == [sent_at["checkin-prompt"][0]]
    # Reminders: only the late member, once, at 15:00 London time the day after the prompt.
    assert dict(reminders) == {LATE: [dt.datetime(2026, 11, 3, 15, tzinfo=UTC)]}
    assert reminders[LATE][0].astimezone(LONDON).strftime("%a %H:%M") == "Tue 15:00"
    # Every check-in is one reply in its week's thread; the edit changed it in place.
    for monday, parent in zip(
        MONDAYS, slack.channel_messages("CTEAM", top_level=True), strict=True
    ):
        replies = slack.thread("CTEAM", parent.ts)
        expected = 6 - (monday == SKIP_WEEK)
        assert len(replies) == expected, monday
        assert len({r.text.split(" checked in")[0] for r in replies}) == expected
    edit_thread = slack.thread("CTEAM", slack.channel_messages("CTEAM", top_level=True)[5].ts)
    assert any("uc* checked in" in r.text and "30 calls" in r.text for r in edit_thread)
    # The last week asks each owner to review, and their manager once, in the
    # digest of the day that lists all five; not the leader, whose plan nobody
    # acknowledged (still proposed: nothing to review).
    assert len(sent_at["review-request"]) == 5
    # The digest is posted when the London owners' windows open (09:00 UTC),
    # edited when the New York owners' do (14:00 UTC); again on the last day.
    assert [t.strftime("%d %H") for t in sent_at["manager-digest"]] == [
        "25 09",
        "25 14",
        "31 09",
        "31 14",
    ]
    digests = [m for m in slack.dms(LEADER) if "for you today" in m.text]
    assert len(digests) == 2  # one message a day
    assert "5 reviews to write" in str(digests[-1].blocks)

    # Closing the quarter raises the bar: the average became the baseline.
    owner_id, plan_id = ids["UA"]
    bot.now = dt.datetime(2026, 12, 30, 15, tzinfo=UTC)
    next_plan = services.reviews.complete(
        actor_id=owner_id, plan_id=plan_id, reflection="", chosen={}, reason=None, now=bot.now
    )
    calls = next_plan.commitments[0].commitment
    assert next_plan.quarter.label == "Q1 FY2027"
    assert calls.baseline > 20
    assert calls.target > calls.baseline
    assert next_plan.one_on_ones is None or next_plan.one_on_ones.expected == 0
