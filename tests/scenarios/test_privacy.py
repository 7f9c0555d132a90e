"""Privacy that holds, judged by what Slack received: sharing and unsharing,
who posts to the leaders channel, and each audience of a check-in."""

from __future__ import annotations

import datetime as dt

from bot.db.models import Plan, Workspace
from bot.domain.content import CommitmentInput, PlanInput
from bot.domain.plans import Visibility
from tests.scenarios.conftest import Bot
from tests.slack_emulator import wait_until
from tests.slack_emulator.server import Message
from tests.support import run_due

UTC = dt.UTC
MONDAY = dt.date(2026, 11, 23)
AT = dt.datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # the team's prompt: 09:00 in New York
COMMITMENTS = [
    CommitmentInput(title="Calls", kind="activity", unit="calls", baseline="20", target="25")
]


def workspace_of(
    bot: Bot, *, visibility: dict[str, str], monday: dt.date = MONDAY, at: dt.datetime = AT
) -> dict[str, int]:
    """UMANAGER leads UOWNER (UPEER leads nobody), all three in #sales-team,
    each with a proposed plan of the given visibility; #leaders is set."""
    services, slack = bot.services, bot.slack
    slack.channels["CLEADERS"].members.add(slack.bot_user_id)
    workspace = services.members.ensure_workspace(slack_team_id=slack.team_id)
    team = services.members.configure_team(
        workspace_id=workspace,
        channel_id="CTEAM",
        name="AEs",
        checkin_weekday=0,
        checkin_time=dt.time(9),
        timezone="America/New_York",
    )
    ids = {}
    for user in ("UMANAGER", "UOWNER", "UPEER"):
        member = services.members.ensure_member(
            slack_team_id=slack.team_id,
            slack_user_id=user,
            display_name=user.lower(),
            timezone="America/New_York",
        )
        services.members.mark_onboarded(member_id=member.id, now=at)
        services.members.join_team(member_id=member.id, team_id=team)
        ids[user] = member.id
    services.members.set_manager(
        member_id=ids["UOWNER"], manager_id=ids["UMANAGER"], changed_by_id=ids["UOWNER"], now=at
    )
    for user, member_id in ids.items():
        plan = services.plans.start_plan(owner_id=member_id, today=monday)
        services.plans.save(
            actor_id=member_id,
            plan_id=plan.id,
            now=at,
            plan_input=PlanInput(
                aspiration=f"{user} grows",
                commitments=COMMITMENTS,
                visibility=visibility.get(user, "private"),
            ),
        )
        services.plans.propose(actor_id=member_id, plan_id=plan.id, now=at)
    with bot.db.sessions.begin() as session:
        session.get_one(Workspace, workspace).leaders_channel_id = "CLEADERS"
    bot.now = at
    return ids


def plan_row(bot: Bot, member_id: int) -> Plan:
    with bot.db.sessions.begin() as session:
        plan = session.query(Plan).filter_by(owner_id=member_id).one()
        session.expunge(plan)
        return plan


def leaders_posts(bot: Bot) -> list[Message]:
    return bot.slack.channel_messages("CLEADERS")


def idle(bot: Bot) -> None:
    assert bot.runner.wait_idle(10), "a listener is still at work"


def leaders_calls(bot: Bot) -> int:
    """Every call that posted or changed something in #leaders."""
    return sum(
        1
        for method in ("chat.postMessage", "chat.update")
        for call in bot.slack.calls_to(method)
        if call.args.get("channel") == "CLEADERS"
    )


def test_unsharing_deletes_the_leaders_post_and_nothing_more_goes_there(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    ids = workspace_of(bot, visibility={})
    driver.slash_command("UMANAGER", "share")
    post = wait_until(lambda: leaders_posts(bot), message="the shared post")[0]
    assert "UMANAGER grows" in str(post.blocks)

    # The card of a shared plan offers Unshare; clicking it deletes the post.
    driver.open_app_home("UMANAGER")
    wait_until(lambda: "Unshare" in str(slack.home.get("UMANAGER")), message="Unshare on Home")
    driver.click_button("UMANAGER", "Unshare", home=True)
    wait_until(lambda: not leaders_posts(bot), message="the post deleted")
    idle(bot)
    [delete] = slack.calls_to("chat.delete")
    assert (delete.args["channel"], delete.args["ts"], delete.error) == ("CLEADERS", post.ts, None)
    plan = plan_row(bot, ids["UMANAGER"])
    assert plan.visibility is Visibility.PRIVATE
    assert (plan.shared_channel_id, plan.shared_ts) == (None, None)
    assert "private" in slack.dms("UMANAGER")[-1].text

    # Later saves of the private plan post and update nothing there.
    before, dms = leaders_calls(bot), len(slack.dms("UMANAGER"))
    driver.slash_command("UMANAGER", "edit")
    wait_until(lambda: slack.open_modal("UMANAGER"))
    driver.submit_view("UMANAGER", {"aspiration": "A secret aspiration"})
    wait_until(lambda: len(slack.dms("UMANAGER")) > dms, message="saved")
    idle(bot)
    assert leaders_calls(bot) == before
    assert "secret" not in str([m.blocks for m in leaders_posts(bot)])

    # Shared again, then made team-only in the builder: deleted again.
    driver.slash_command("UMANAGER", "share")
    again = wait_until(lambda: leaders_posts(bot), message="shared again")[0]
    assert "A secret aspiration" in str(again.blocks)  # it is public now, on purpose
    driver.slash_command("UMANAGER", "edit")
    wait_until(lambda: slack.open_modal("UMANAGER"))
    driver.submit_view("UMANAGER", {"aspiration": "Team eyes only", "visibility": "team"})
    wait_until(lambda: not leaders_posts(bot), message="deleted after the builder's change")
    idle(bot)
    assert len(slack.calls_to("chat.delete")) == 2
    assert "Team eyes only" not in str([c.args for c in slack.calls_to("chat.update")])
    assert plan_row(bot, ids["UMANAGER"]).shared_ts is None

    # `/myplan unshare` does the same, and says so.
    driver.slash_command("UMANAGER", "share")
    wait_until(lambda: leaders_posts(bot), message="shared a third time")
    driver.slash_command("UMANAGER", "unshare")
    wait_until(lambda: not leaders_posts(bot), message="deleted by the command")
    idle(bot)
    assert plan_row(bot, ids["UMANAGER"]).visibility is Visibility.PRIVATE
    assert any("private" in response.get("text", "") for response in slack.responses)


def test_a_member_who_leads_nobody_shares_in_the_workspace_not_the_leaders_channel(
    bot: Bot,
) -> None:
    slack, driver = bot.slack, bot.driver
    ids = workspace_of(bot, visibility={})
    driver.slash_command("UPEER", "share")
    wait_until(lambda: slack.responses, message="the answer")
    idle(bot)
    said = slack.responses[-1]["text"]
    assert "public" in said and "leaders channel" in said and "lead" in said
    assert leaders_posts(bot) == []
    assert leaders_calls(bot) == 0
    assert plan_row(bot, ids["UPEER"]).visibility is Visibility.PUBLIC
    # Public: anyone sees it with `/myplan @someone`.
    driver.slash_command("UOWNER", "<@UPEER|lee>")
    wait_until(lambda: len(slack.responses) == 2, message="the plan shown")
    assert "UPEER grows" in str(slack.responses[-1].get("blocks"))
    # and on App Home, among the public plans.
    driver.open_app_home("UOWNER")
    home = wait_until(lambda: slack.home.get("UOWNER"), message="the App Home")
    assert "Public plans" in str(home) and "UPEER grows" in str(home)


def check_in(bot: Bot, user: str, values: dict[str, str]) -> None:
    bot.driver.slash_command(user, "checkin")
    modal = wait_until(lambda: bot.slack.open_modal(user), message="the check-in modal")
    value_block = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    )
    bot.driver.submit_view(user, {value_block: values.pop("value"), **values})
    idle(bot)


def tick(bot: Bot, at: dt.datetime = AT) -> None:
    from bot.app import make_client
    from bot.config import Settings

    web = make_client(
        Settings(slack_bot_token=bot.slack.bot_token, slack_api_url=bot.slack.api_url)
    )
    run_due(services=bot.services, clients=lambda _team: web, now=at)


def test_a_team_plans_checkin_shows_only_name_and_confidence_in_the_leaders_thread(
    bot: Bot,
) -> None:
    slack = bot.slack
    workspace_of(bot, visibility={"UMANAGER": "team"})
    tick(bot)
    [leaders_parent] = slack.channel_messages("CLEADERS", top_level=True)
    [team_parent] = slack.channel_messages("CTEAM", top_level=True)
    check_in(
        bot,
        "UMANAGER",
        {"value": "27", "confidence": "4", "win": "Closed Acme", "blocker": "Legal review"},
    )
    [leaders_reply] = wait_until(lambda: slack.thread("CLEADERS", leaders_parent.ts))
    assert "umanager* checked in · confidence 4/5" in leaders_reply.text
    for secret in ("27", "Closed Acme", "Legal review", "Calls"):
        assert secret not in leaders_reply.text
    # In the team's own channel, a team plan shows in full.
    [team_reply] = wait_until(lambda: slack.thread("CTEAM", team_parent.ts))
    assert "Closed Acme" in team_reply.text and "27 calls" in team_reply.text

    # Made public, the next check-in shows in full in the leaders' thread too.
    bot.driver.slash_command("UMANAGER", "share")
    idle(bot)
    check_in(bot, "UMANAGER", {"value": "28", "confidence": "5", "win": "Closed Globex"})
    wait_until(
        lambda: "Closed Globex" in slack.thread("CLEADERS", leaders_parent.ts)[0].text,
        message="the leaders' reply in full",
    )
    reply = slack.thread("CLEADERS", leaders_parent.ts)
    assert len(reply) == 1 and "28 calls" in reply[0].text


def test_a_private_plans_checkin_goes_whole_to_the_manager_alone(bot: Bot) -> None:
    slack = bot.slack
    workspace_of(bot, visibility={})
    tick(bot)
    [team_parent] = slack.channel_messages("CTEAM", top_level=True)
    check_in(
        bot,
        "UOWNER",
        {
            "value": "27",
            "confidence": "3",
            "win": "Booked Acme",
            "blocker": "No budget",
            "one_on_one": "no",
        },
    )
    [team_reply] = wait_until(lambda: slack.thread("CTEAM", team_parent.ts))
    assert team_reply.text == "*uowner* checked in · confidence 3/5"
    copy = wait_until(
        lambda: [m for m in slack.dms("UMANAGER") if "checked in" in m.text],
        message="the manager's copy",
    )
    assert len(copy) == 1
    for detail in ("27 calls", "Booked Acme", "No budget", "1:1", "did not happen", "3/5"):
        assert detail in copy[0].text, detail
    assert slack.dms("UPEER") == []

    # Checking in again edits the same DM (the win, pre-filled, is cleared).
    check_in(bot, "UOWNER", {"value": "30", "confidence": "4", "one_on_one": "yes", "win": ""})
    wait_until(
        lambda: "30 calls" in next(m for m in slack.dms("UMANAGER") if "checked in" in m.text).text,
        message="the copy updated",
    )
    copies = [m for m in slack.dms("UMANAGER") if "checked in" in m.text]
    assert len(copies) == 1
    assert "Booked Acme" not in copies[0].text and "happened" in copies[0].text
    assert copies[0].edited


def test_the_quarterly_post_of_a_leaders_plan_goes_when_the_plan_is_unshared(bot: Bot) -> None:
    slack = bot.slack
    first_prompt = dt.datetime(2027, 1, 4, 14, 0, tzinfo=UTC)  # Q1 FY2027's first
    workspace_of(
        bot, visibility={"UMANAGER": "public"}, monday=dt.date(2027, 1, 4), at=first_prompt
    )
    tick(bot, first_prompt)
    parent, plan_post = slack.channel_messages("CLEADERS", top_level=True)
    assert "UMANAGER grows" in str(plan_post.blocks)
    bot.driver.slash_command("UMANAGER", "unshare")
    wait_until(lambda: len(leaders_posts(bot)) == 1, message="the plan's post deleted")
    assert leaders_posts(bot) == [parent]
    [delete] = slack.calls_to("chat.delete")
    assert delete.args["ts"] == plan_post.ts
