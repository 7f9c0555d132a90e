"""Crash recovery of a thread reply: a leader's check-in that reached Slack
before its process died is found in its thread, not posted twice."""

from __future__ import annotations

import datetime as dt

from bot.db.models import Workspace
from bot.domain.content import PlanInput
from bot.outbox.delivery import EVENT_TYPE
from bot.outbox.keys import leaders_prompt_key, leaders_reply_key
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import AT, MONDAY, PLAN, client, tick
from tests.slack_emulator import wait_until


def leader_and_report(bot: Bot) -> int:
    """Sam (UMANAGER) manages Dana on #sales-team and so checks in as a leader too."""
    services, slack = bot.services, bot.slack
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
        refs[user] = services.members.ensure_member(
            slack_team_id=slack.team_id,
            slack_user_id=user,
            display_name=user.lower(),
            timezone="America/New_York",
        )
        services.members.mark_onboarded(member_id=refs[user].id, now=AT)
        services.members.join_team(member_id=refs[user].id, team_id=team)
    services.members.set_manager(
        member_id=refs["UOWNER"].id,
        manager_id=refs["UMANAGER"].id,
        changed_by_id=refs["UOWNER"].id,
        now=AT,
    )
    for ref in refs.values():
        plan = services.plans.start_plan(owner_id=ref.id, today=MONDAY)
        services.plans.save(
            actor_id=ref.id,
            plan_id=plan.id,
            now=AT,
            plan_input=PlanInput(aspiration="Grow", commitments=PLAN.commitments),
        )
        services.plans.propose(actor_id=ref.id, plan_id=plan.id, now=AT)
    with bot.db.sessions.begin() as session:
        session.get_one(Workspace, workspace).leaders_channel_id = "CLEADERS"
    return refs["UMANAGER"].id


def check_in(bot: Bot, user: str, value: str) -> None:
    bot.driver.slash_command(user, "checkin")
    modal = wait_until(lambda: bot.slack.open_modal(user), message="the check-in modal")
    block = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    )
    assert bot.driver.submit_view(user, {block: value, "confidence": "4"}).errors == {}


def test_a_crashed_leaders_reply_is_found_in_its_thread_and_not_posted_again(bot: Bot) -> None:
    slack, store = bot.slack, bot.services.deliveries
    leader = leader_and_report(bot)
    assert tick(bot, AT).sent == {"checkin-prompt": 1, "leaders-prompt": 1}
    workspace = bot.services.members.ensure_workspace(slack_team_id=slack.team_id)
    parent = store.sent_ts(workspace_id=workspace, key=leaders_prompt_key(workspace, MONDAY))
    assert parent is not None
    # Sam's check-in claimed its leaders' reply and reached Slack, then the
    # process died before recording it.
    crashed_at = AT + dt.timedelta(hours=1)
    key = leaders_reply_key(leader, MONDAY)
    store.claim(
        workspace_id=workspace,
        key=key,
        kind="leaders-reply",
        due_at=crashed_at,
        now=crashed_at,
        channel_id="CLEADERS",
    )
    client(bot).chat_postMessage(
        channel="CLEADERS",
        thread_ts=parent[1],
        text="umanager checked in (before the crash)",
        metadata={"event_type": EVENT_TYPE, "event_payload": {"key": key}},
    )
    # Sam checks in again after the claim went stale: the reply is found, not sent again.
    bot.now = crashed_at + dt.timedelta(minutes=3)
    check_in(bot, "UMANAGER", "22")
    wait_until(lambda: store.sent_ts(workspace_id=workspace, key=key), message="recovered")
    thread = slack.thread("CLEADERS", parent[1])
    assert len(thread) == 1
    assert slack.calls_to("conversations.replies")
    wait_until(lambda: "confidence 4/5" in slack.thread("CLEADERS", parent[1])[0].text)
    assert store.sent_ts(workspace_id=workspace, key=key) == ("CLEADERS", thread[0].ts)
