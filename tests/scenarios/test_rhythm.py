"""The weekly rhythm on the loopback Slack, with time as a value."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from slack_sdk import WebClient

from bot.app import make_client
from bot.config import Settings
from bot.domain.content import CommitmentInput, PlanInput
from bot.outbox.delivery import EVENT_TYPE
from bot.outbox.keys import prompt_key
from bot.scheduler.jobs import TickReport
from tests.scenarios.conftest import Bot
from tests.slack_emulator import wait_until
from tests.support import run_due

UTC = dt.UTC
MONDAY = dt.date(2026, 11, 23)
BEFORE = dt.datetime(2026, 11, 23, 13, 59, tzinfo=UTC)  # 08:59 in New York
AT = dt.datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 09:00 in New York
PLAN = PlanInput(
    aspiration="Grow",
    commitments=[
        CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="20", target="25")
    ],
)


def client(bot: Bot) -> WebClient:
    return make_client(
        Settings(slack_bot_token=bot.slack.bot_token, slack_api_url=bot.slack.api_url)
    )


def tick(bot: Bot, now: dt.datetime) -> TickReport:
    web = client(bot)
    return run_due(services=bot.services, clients=lambda _team: web, now=now)


def setup_team(
    bot: Bot,
    channel: str = "CTEAM",
    users: tuple[str, ...] = ("UOWNER", "UPEER"),
    visibility: str = "team",
) -> int:
    services = bot.services
    workspace = services.members.ensure_workspace(slack_team_id=bot.slack.team_id)
    team = services.members.configure_team(
        workspace_id=workspace,
        channel_id=channel,
        name="AEs",
        checkin_weekday=0,
        checkin_time=dt.time(9),
        timezone="America/New_York",
    )
    for user in users:
        tz = bot.slack.users[user].tz if user in bot.slack.users else "America/New_York"
        member = services.members.ensure_member(
            slack_team_id=bot.slack.team_id,
            slack_user_id=user,
            display_name=user.lower(),
            timezone=tz,
        )
        services.members.mark_onboarded(member_id=member.id, now=AT)
        # Each said at onboarding they have no manager here: their plans need no one else.
        services.members.set_manager(
            member_id=member.id, manager_id=None, changed_by_id=member.id, now=AT, no_manager=True
        )
        services.members.join_team(member_id=member.id, team_id=team)
        plan = services.plans.start_plan(owner_id=member.id, today=MONDAY)
        services.plans.save(
            actor_id=member.id,
            plan_id=plan.id,
            now=AT,
            plan_input=PlanInput(
                aspiration=PLAN.aspiration, commitments=PLAN.commitments, visibility=visibility
            ),
        )
        services.plans.propose(actor_id=member.id, plan_id=plan.id, now=AT)
    return team


def parents(bot: Bot, channel: str = "CTEAM") -> list:  # type: ignore[type-arg]
    return bot.slack.channel_messages(channel, top_level=True)


@pytest.mark.socket_mode  # the check-ins, over HTTP and Socket Mode alike
def test_the_weekly_thread(bot: Bot) -> None:
    slack = bot.slack
    setup_team(bot)
    assert tick(bot, BEFORE).sent == {}
    assert tick(bot, AT).sent == {"checkin-prompt": 1}
    assert tick(bot, AT + dt.timedelta(minutes=1)).sent == {}
    [parent] = parents(bot)
    assert parent.text == "Check-ins for the week of Nov 23\u201329 · week 9 of Q4 FY2026"
    assert "This check-in is for Nov 23\u201329: check in any day until Sunday" in str(
        parent.blocks
    )
    assert "0 of 2 checked in" in str(parent.blocks)

    # Dana checks in from the button in the thread's parent.
    bot.driver.click_button("UOWNER", "Check in", message=parent)
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in modal")
    assert "The week of Nov 23\u201329" in str(modal.view["blocks"][0])
    assert json.loads(modal.view["private_metadata"])["monday"] == "2026-11-23"
    refused = bot.driver.submit_view("UOWNER", {"confidence": "4"})
    assert list(refused.errors) == [next(iter(refused.errors))]
    assert next(iter(refused.errors)).startswith("value_")
    modal = slack.open_modal("UOWNER")
    assert modal is not None
    value_block = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    )
    assert (
        bot.driver.submit_view(
            "UOWNER", {value_block: "23", "confidence": "4", "win": "Booked <!channel> demo"}
        ).errors
        == {}
    )
    replies = wait_until(lambda: slack.thread("CTEAM", parent.ts), message="the reply")
    assert "uowner* checked in · confidence 4/5" in replies[0].text
    assert "Calls: 23 calls" in replies[0].text
    assert "&lt;!channel&gt;" in replies[0].text
    wait_until(
        lambda: "1 of 2 checked in: uowner" in str(slack.find_message("CTEAM", parent.ts).blocks)
    )  # type: ignore[union-attr]

    # Editing this week's check-in edits the reply; the thread keeps one reply.
    bot.driver.slash_command("UOWNER", "checkin")
    wait_until(lambda: slack.open_modal("UOWNER"))
    bot.driver.submit_view("UOWNER", {value_block: "27", "confidence": "5"})
    wait_until(
        lambda: "27 calls" in slack.thread("CTEAM", parent.ts)[0].text, message="the edited reply"
    )
    assert len(slack.thread("CTEAM", parent.ts)) == 1

    # Tuesday 15:00 in New York: one reminder, to Lee only.
    assert tick(bot, dt.datetime(2026, 11, 24, 19, 59, tzinfo=UTC)).sent == {}
    assert tick(bot, dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)).sent == {"checkin-reminder": 1}
    assert tick(bot, dt.datetime(2026, 11, 24, 20, 5, tzinfo=UTC)).sent == {}
    assert len(slack.dms("UPEER")) == 1
    assert "check-in is waiting" in slack.dms("UPEER")[0].text
    assert slack.dms("UOWNER") == []


@pytest.mark.socket_mode  # the check-ins, over HTTP and Socket Mode alike
def test_a_private_plan_shows_only_that_the_member_checked_in(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER",), visibility="private")
    tick(bot, AT)
    bot.driver.slash_command("UOWNER", "checkin")
    modal = wait_until(lambda: bot.slack.open_modal("UOWNER"))
    value_block = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    )
    bot.driver.submit_view(
        "UOWNER", {value_block: "23", "confidence": "3", "blocker": "Pipeline is thin"}
    )
    [parent] = parents(bot)
    reply = wait_until(lambda: bot.slack.thread("CTEAM", parent.ts))[0]
    assert reply.text == "*uowner* checked in · confidence 3/5"


@pytest.mark.socket_mode  # the check-ins, over HTTP and Socket Mode alike
def test_skipping_a_week_means_no_reminder(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER",))
    tick(bot, AT)
    bot.driver.slash_command("UOWNER", "skip on holiday")
    wait_until(lambda: bot.slack.responses)
    assert "Skipped the week of Nov 23" in bot.slack.responses[0]["text"]
    assert tick(bot, dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)).sent == {}


def test_a_prompt_missed_all_day_is_not_sent_the_next_day(bot: Bot) -> None:
    setup_team(bot)
    assert tick(bot, dt.datetime(2026, 11, 24, 14, 0, tzinfo=UTC)).sent == {}
    assert tick(bot, dt.datetime(2026, 11, 24, 4, 0, tzinfo=UTC)).sent == {
        "checkin-prompt": 1
    }  # 23:00 Monday local
    assert len(parents(bot)) == 1


def test_a_missing_channel_does_not_stop_other_teams(bot: Bot) -> None:
    setup_team(bot, channel="CGONE", users=("ULEADER",))
    setup_team(bot, channel="CTEAM", users=("UOWNER",))
    report = tick(bot, AT)
    assert report.sent == {"checkin-prompt": 1}
    assert report.failed == ["prompt for team 1: channel_not_found"]
    assert len(parents(bot)) == 1
    # A failure is recorded once, not retried every minute.
    assert tick(bot, AT + dt.timedelta(minutes=1)).failed == []


def test_a_crash_after_posting_does_not_post_again(bot: Bot) -> None:
    team = setup_team(bot)
    workspace = bot.services.members.ensure_workspace(slack_team_id=bot.slack.team_id)
    key = prompt_key(team, MONDAY)
    # The process claimed the delivery and reached Slack, then died before recording it.
    bot.services.deliveries.claim(
        workspace_id=workspace,
        key=key,
        kind="checkin-prompt",
        due_at=AT,
        now=AT,
        channel_id="CTEAM",
    )
    client(bot).chat_postMessage(
        channel="CTEAM",
        text="Week 9 of Q4 FY2026 check-ins",
        metadata={"event_type": EVENT_TYPE, "event_payload": {"key": key}},
    )
    assert tick(bot, AT + dt.timedelta(minutes=1)).sent == {}  # too soon: maybe still running
    tick(bot, AT + dt.timedelta(minutes=3))
    assert len(parents(bot)) == 1
    assert bot.services.deliveries.sent_ts(workspace_id=workspace, key=key) is not None


def test_a_crash_before_posting_is_caught_up(bot: Bot) -> None:
    team = setup_team(bot)
    workspace = bot.services.members.ensure_workspace(slack_team_id=bot.slack.team_id)
    bot.services.deliveries.claim(
        workspace_id=workspace,
        key=prompt_key(team, MONDAY),
        kind="checkin-prompt",
        due_at=AT,
        now=AT,
        channel_id="CTEAM",
    )
    assert tick(bot, AT + dt.timedelta(minutes=3)).sent == {"checkin-prompt": 1}
    assert len(parents(bot)) == 1


def test_a_429_storm_is_ridden_out(bot: Bot) -> None:
    setup_team(bot)
    bot.slack.fail_next("chat.postMessage", times=2, status=429, retry_after=0)
    assert tick(bot, AT).sent == {"checkin-prompt": 1}
    assert len(parents(bot)) == 1


def test_two_tick_processes_at_the_same_instant_post_once(bot: Bot) -> None:
    setup_team(bot)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
        "DATABASE_URL": bot.db.engine.url.render_as_string(hide_password=False),
        "SLACK_BOT_TOKEN": bot.slack.bot_token,
        "SLACK_API_URL": bot.slack.api_url,
    }
    command = [sys.executable, "-m", "bot", "tick", "--now", "2026-11-23T14:00:00Z"]
    processes = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    assert len(parents(bot)) == 1
    assert sorted("checkin-prompt" in out for out, _ in outputs) == [False, True]


def test_tick_needs_an_instant_with_a_zone(bot: Bot) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "tick", "--now", "2026-11-23T14:00:00"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "has no time zone" in result.stderr


@pytest.fixture(autouse=True)
def _quiet_limits(bot: Bot) -> None:
    # Posting several thread replies in a second is normal; keep Slack's per-channel limit realistic.
    bot.slack.limits.post_channel_burst = 5


def test_the_last_week_asks_for_the_review_and_next_quarter_starts_higher(bot: Bot) -> None:
    slack, services = bot.slack, bot.services
    setup_team(bot, users=("UOWNER",))
    owner = services.members.find(workspace_id=1, slack_user_id="UOWNER")
    manager = services.members.ensure_member(slack_team_id=slack.team_id, slack_user_id="UMANAGER")
    assert owner is not None
    services.members.set_manager(
        member_id=owner.id, manager_id=manager.id, changed_by_id=owner.id, now=AT
    )
    plan = services.plans.current_plan(owner_id=owner.id, today=MONDAY)
    assert plan is not None
    calls = plan.commitments[0].id
    for week in range(3):
        services.plans.record_checkin(
            actor_id=owner.id,
            plan_id=plan.id,
            day=MONDAY + dt.timedelta(weeks=week),
            values={calls: str(28 + week)},
            confidence=4,
            now=AT,
        )

    last_monday = dt.datetime(2026, 12, 28, 14, 0, tzinfo=UTC)  # 09:00 New York, last week of Q4
    report = tick(bot, last_monday)
    # The owner is asked by DM; the manager in their digest of the day.
    assert report.sent == {"checkin-prompt": 1, "review-request": 1, "manager-digest": 1}
    assert tick(bot, last_monday + dt.timedelta(minutes=1)).sent == {}
    assert "Time to review your Q4 FY2026 plan" in str(slack.dms("UOWNER")[-1].blocks)
    digest = slack.dms("UMANAGER")[-1]
    assert "1 review to write" in str(digest.blocks)
    assert "*uowner*" in str(digest.blocks)

    # The manager sees the numbers but does not close the owner's quarter: they
    # write their own reflection, no bar.
    bot.driver.click_button("UMANAGER", "Review the quarter", message=digest)
    manager_view = wait_until(lambda: slack.open_modal("UMANAGER"), message="the manager's review")
    assert manager_view.view["submit"]["text"] == "Save my reflection"
    assert f"target_{calls}" not in str(manager_view.view)
    assert "actual 29 calls" in str(manager_view.view)

    bot.driver.click_button("UOWNER", "Review the quarter")
    review = wait_until(lambda: slack.open_modal("UOWNER"), message="the owner's review")
    assert "Proposed for next quarter: 29 \u2192 32" in str(review.view)
    refused = bot.driver.submit_view("UOWNER", {f"target_{calls}": "30"})
    assert "reason" in refused.errors
    assert bot.driver.submit_view("UOWNER", {"reflection": "Steady quarter"}).errors == {}
    drafted = wait_until(
        lambda: next((m for m in slack.dms("UOWNER") if "Quarter closed" in m.text), None)
    )
    assert "Q1 FY2027" in drafted.text
    next_plan = services.plans.current_plan(owner_id=owner.id, today=dt.date(2027, 1, 4))
    assert next_plan is not None
    assert (
        next_plan.commitments[0].commitment.baseline,
        next_plan.commitments[0].commitment.target,
    ) == (29, 32)


def away(bot: Bot, typed: str) -> str:
    before = len(bot.slack.responses)
    bot.driver.slash_command("UOWNER", f"away {typed}")
    wait_until(lambda: len(bot.slack.responses) > before, message="the answer")
    return str(bot.slack.responses[-1]["text"])


def test_away_takes_what_people_type_and_says_the_date_it_understood(bot: Bot) -> None:
    """Read from the member's own today (Monday Nov 23, in New York)."""
    setup_team(bot, users=("UOWNER",))
    assert "away until Friday, Nov 27, 2026" in away(bot, "Friday")
    assert "away until Sunday, Dec 6, 2026" in away(bot, "next week")
    assert "away until Thursday, Dec 24, 2026" in away(bot, "Dec 24")
    assert "away until Thursday, Dec 24, 2026" in away(bot, "2026-12-24")
    assert "like `/myplan away Friday`" in away(bot, "whenever")
    assert "has passed" in away(bot, "yesterday")
    assert "Welcome back" in away(bot, "off")


def test_away_until_a_date_means_no_reminders_until_then(bot: Bot) -> None:
    setup_team(bot, users=("UOWNER", "UPEER"))
    assert "has passed" in away(bot, "yesterday")
    assert "away until Monday, Nov 30, 2026" in away(bot, "2026-11-30")
    tick(bot, AT)
    assert "0 of 1 checked in" in str(parents(bot)[0].blocks)  # Dana is away
    assert tick(bot, dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC)).sent == {"checkin-reminder": 1}
    assert bot.slack.dms("UOWNER") == []


@pytest.mark.socket_mode  # the check-ins, over HTTP and Socket Mode alike
def test_leaders_share_at_quarter_start_and_check_in_in_the_open(bot: Bot) -> None:
    slack, services = bot.slack, bot.services
    q1_monday = dt.date(2027, 1, 4)  # Q1 FY2027 starts on Friday Jan 1: this is its first prompt
    first_prompt = dt.datetime(2027, 1, 4, 14, 0, tzinfo=UTC)
    workspace = services.members.ensure_workspace(slack_team_id=slack.team_id)
    team = services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        checkin_weekday=0,
        checkin_time=dt.time(9),
        timezone="America/New_York",
    )
    refs = {}
    for user in ("UOWNER", "UMANAGER"):
        ref = services.members.ensure_member(
            slack_team_id=slack.team_id,
            slack_user_id=user,
            display_name=user.lower(),
            timezone="America/New_York",
        )
        services.members.mark_onboarded(member_id=ref.id, now=first_prompt)
        services.members.join_team(member_id=ref.id, team_id=team)
        refs[user] = ref
    services.members.set_manager(
        member_id=refs["UOWNER"].id,
        manager_id=refs["UMANAGER"].id,
        changed_by_id=refs["UOWNER"].id,
        now=first_prompt,
    )
    for user, visibility in (("UOWNER", "private"), ("UMANAGER", "public")):
        plan = services.plans.start_plan(owner_id=refs[user].id, today=q1_monday)
        services.plans.save(
            actor_id=refs[user].id,
            plan_id=plan.id,
            now=first_prompt,
            plan_input=PlanInput(
                aspiration=f"{user} grows", commitments=PLAN.commitments, visibility=visibility
            ),
        )
        services.plans.propose(actor_id=refs[user].id, plan_id=plan.id, now=first_prompt)
    with bot.db.sessions.begin() as session:
        from bot.db.models import Workspace

        session.get_one(Workspace, workspace).leaders_channel_id = "CLEADERS"

    bot.now = first_prompt + dt.timedelta(hours=2)
    report = tick(bot, first_prompt)
    assert report.sent == {"checkin-prompt": 1, "leaders-prompt": 1, "leader-plan": 1}
    assert tick(bot, first_prompt + dt.timedelta(minutes=5)).sent == {}
    leaders_channel = bot.slack.channel_messages("CLEADERS", top_level=True)
    assert [m.text for m in leaders_channel] == [
        "Leaders' check-ins for the week of Jan 4\u201310 · week 2 of Q1 FY2027",
        "umanager's Q1 FY2027 plan",
    ]
    assert "UMANAGER grows" in str(leaders_channel[1].blocks)

    # The leader's check-in goes to the team thread and, in the open, to the leaders' thread.
    bot.driver.slash_command("UMANAGER", "checkin")
    modal = wait_until(lambda: slack.open_modal("UMANAGER"))
    value_block = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    )
    bot.driver.submit_view("UMANAGER", {value_block: "21", "confidence": "5"})
    leaders_thread = wait_until(
        lambda: slack.thread("CLEADERS", leaders_channel[0].ts), message="leaders reply"
    )
    assert "umanager* checked in · confidence 5/5" in leaders_thread[0].text
    assert wait_until(lambda: slack.thread("CTEAM", parents(bot)[0].ts))
    # An edit updates the leaders' reply too, in place.
    bot.driver.slash_command("UMANAGER", "checkin")
    wait_until(lambda: slack.open_modal("UMANAGER"))
    bot.driver.submit_view("UMANAGER", {value_block: "24", "confidence": "4"})
    wait_until(
        lambda: "confidence 4/5" in slack.thread("CLEADERS", leaders_channel[0].ts)[0].text,
        message="edit",
    )
    assert len(slack.thread("CLEADERS", leaders_channel[0].ts)) == 1
    # A member who leads nobody stays out of the leaders' thread.
    bot.driver.slash_command("UOWNER", "checkin")
    wait_until(lambda: slack.open_modal("UOWNER"))
    bot.driver.submit_view(
        "UOWNER",
        {
            next(
                b["block_id"]
                for b in slack.open_modal("UOWNER").view["blocks"]  # type: ignore[union-attr]
                if b.get("block_id", "").startswith("value_")
            ): "20",
            "confidence": "3",
        },
    )
    wait_until(lambda: len(slack.thread("CTEAM", parents(bot)[0].ts)) == 2, message="owner's reply")
    assert len(slack.thread("CLEADERS", leaders_channel[0].ts)) == 1


def test_the_leader_approves_the_teams_standards_in_the_last_week(bot: Bot) -> None:
    slack, services = bot.slack, bot.services
    setup_team(bot, users=("UOWNER", "UPEER"))
    manager = services.members.ensure_member(slack_team_id=slack.team_id, slack_user_id="UMANAGER")
    for user, calls in (("UOWNER", "26"), ("UPEER", "30")):
        member = services.members.find(workspace_id=1, slack_user_id=user)
        assert member is not None
        services.members.set_manager(
            member_id=member.id, manager_id=manager.id, changed_by_id=manager.id, now=AT
        )
        plan = services.plans.current_plan(owner_id=member.id, today=MONDAY)
        assert plan is not None
        services.plans.record_checkin(
            actor_id=member.id,
            plan_id=plan.id,
            day=MONDAY,
            values={plan.commitments[0].id: calls},
            confidence=4,
            now=AT,
        )
    bot.now = dt.datetime(2026, 12, 28, 16, 0, tzinfo=UTC)
    report = tick(bot, dt.datetime(2026, 12, 28, 14, 0, tzinfo=UTC))
    assert report.sent["standards"] == 1
    offer = slack.dms("UMANAGER")[-1]
    assert "Calls* (calls, higher is better): none yet \u2192 *28*, the median of 2 people" in str(
        offer.blocks
    )

    bot.driver.click_button("UPEER", "Approve standards", message=offer)  # a forged click
    wait_until(
        lambda: any("Only the team's leader" in m.text for m in slack.dms("UPEER")),
        message="the refusal",
    )
    bot.driver.click_button("UMANAGER", "Approve standards", message=offer)
    wait_until(lambda: "Approved" in slack.dms("UMANAGER")[-1].text, message="the approval")
    assert "Calls \u2265 28" in slack.dms("UMANAGER")[-1].text


def test_a_revoked_token_writes_nothing_off_and_a_reinstall_catches_up(bot: Bot) -> None:
    setup_team(bot)
    bot.slack.revoke(bot.slack.bot_token)
    report = tick(bot, AT)
    assert report.failed == ["team 1: token_revoked"]
    assert parents(bot) == []
    bot.slack.revoked.clear()  # reinstalled the same morning
    assert tick(bot, AT + dt.timedelta(hours=2)).sent == {"checkin-prompt": 1}
    assert len(parents(bot)) == 1


def test_a_deactivated_member_does_not_stop_the_other_reminders(bot: Bot) -> None:
    setup_team(bot)
    tick(bot, AT)
    bot.slack.fail_next("chat.postMessage", error="account_inactive")
    report = tick(bot, dt.datetime(2026, 11, 24, 20, 0, tzinfo=UTC))
    assert report.sent == {"checkin-reminder": 1}
    assert len(report.failed) == 1
    assert report.failed[0].endswith("account_inactive")


def test_a_tick_killed_mid_fan_out_then_restarted_posts_each_once(bot: Bot) -> None:
    import signal
    import time as _time

    services = bot.services
    workspace = services.members.ensure_workspace(slack_team_id=bot.slack.team_id)
    channels = [f"CKILL{i:02d}" for i in range(40)]
    for channel in channels:
        bot.slack.add_channel(channel, channel.lower())
        team = services.members.configure_team(
            workspace_id=workspace,
            channel_id=channel,
            checkin_weekday=0,
            checkin_time=dt.time(9),
            timezone="America/New_York",
        )
        member = services.members.ensure_member(
            slack_team_id=bot.slack.team_id, slack_user_id=f"UK{channel}"
        )
        services.members.join_team(member_id=member.id, team_id=team)
        plan = services.plans.start_plan(owner_id=member.id, today=MONDAY)
        services.plans.save(actor_id=member.id, plan_id=plan.id, plan_input=PLAN, now=AT)
        services.plans.propose(actor_id=member.id, plan_id=plan.id, now=AT)
    bot.slack.fail_next(
        "chat.postMessage", times=10_000, delay=0.05
    )  # a slow Slack: the kill lands mid-way
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
        "DATABASE_URL": bot.db.engine.url.render_as_string(hide_password=False),
        "SLACK_BOT_TOKEN": bot.slack.bot_token,
        "SLACK_API_URL": bot.slack.api_url,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "tick", "--now", "2026-11-23T14:00:00Z"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until(
        lambda: len(bot.slack.calls_to("chat.postMessage")) >= 10, timeout=60, message="a few posts"
    )
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    posted_before = {m.channel for c in channels for m in bot.slack.channel_messages(c)}
    assert 0 < len(posted_before) < len(channels)
    bot.slack.faults.clear()
    _time.sleep(0.2)  # requests the killed process had in flight land (or not) by now
    tick(bot, AT + dt.timedelta(minutes=3))  # the clock's next run, after the recovery delay
    for channel in channels:
        assert len(bot.slack.channel_messages(channel, top_level=True)) == 1, channel
