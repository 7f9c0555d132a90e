"""History and trends, driven as people would: App Home, `/myplan history`,
`/myplan trends`; asserted on what Slack received (modals, files, image blocks).

Dana (UOWNER) had a Q3 FY2026 plan with Sam (UMANAGER) as her manager: two
revisions, three check-ins, a win, a review with both reflections and one bar
lowered with a reason. Q4 is under way with Vera (ULEADER) as her manager
since October 10: Sam managed her during Q3 and part of Q4, and keeps read
access to them. Lee (UPEER), on her team, may see none of it: her plans are private.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import update

from bot.db import models as m
from bot.domain.content import CommitmentInput, PlanInput
from bot.services.reviews import ChosenBar
from tests.scenarios.conftest import Bot
from tests.slack_emulator import wait_until
from tests.slack_emulator.server import OpenView

UTC = dt.UTC
Q3_START = dt.datetime(2026, 7, 1, 12, tzinfo=UTC)
Q3_MONDAYS = [dt.date(2026, 8, 3), dt.date(2026, 8, 10), dt.date(2026, 8, 17)]
Q4_MONDAYS = [dt.date(2026, 10, 5) + dt.timedelta(weeks=w) for w in range(7)]  # Oct 5 .. Nov 16
Q4_CALLS = [21, 23, 22, 26, 27, 25, 28]


def plan_input(aspiration: str, *, calls: tuple[str, str], pipeline: tuple[str, str]) -> PlanInput:
    return PlanInput(
        aspiration=aspiration,
        commitments=[
            CommitmentInput(
                title="Calls", kind="activity", unit="calls", baseline=calls[0], target=calls[1]
            ),
            CommitmentInput(
                title="Pipeline",
                kind="result",
                unit="k$",
                baseline=pipeline[0],
                target=pipeline[1],
                rollup="latest",
            ),
        ],
    )


def stage(bot: Bot) -> dict[str, int]:
    services = bot.services
    slack = bot.slack
    workspace = services.members.ensure_workspace(slack_team_id=slack.team_id)
    team = services.members.configure_team(workspace_id=workspace, channel_id="CTEAM")
    ids = {}
    for user in ("UOWNER", "UMANAGER", "ULEADER", "UPEER"):
        ref = services.members.ensure_member(
            slack_team_id=slack.team_id,
            slack_user_id=user,
            display_name=slack.users[user].real_name,
            timezone="America/New_York",
        )
        services.members.join_team(member_id=ref.id, team_id=team)
        services.members.mark_onboarded(member_id=ref.id, now=Q3_START)
        ids[user] = ref.id
    owner, sam = ids["UOWNER"], ids["UMANAGER"]
    services.members.set_manager(member_id=owner, manager_id=sam, changed_by_id=owner, now=Q3_START)

    q3 = services.plans.start_plan(owner_id=owner, today=Q3_START.date()).id
    first = plan_input("Close mid-market deals", calls=("20", "25"), pipeline=("100", "150"))
    saved = services.plans.save(actor_id=owner, plan_id=q3, plan_input=first, now=Q3_START)
    calls, pipeline = (cv.id for cv in saved.plan.commitments)
    second = plan_input(
        "Become the go-to closer for mid-market deals", calls=("20", "25"), pipeline=("100", "150")
    )
    later = Q3_START + dt.timedelta(days=3)
    services.plans.save(actor_id=owner, plan_id=q3, plan_input=second, now=later)
    services.plans.propose(actor_id=owner, plan_id=q3, now=later)
    services.plans.acknowledge(actor_id=sam, plan_id=q3, revision=2, now=later)
    for monday, c, p in zip(Q3_MONDAYS, ("22", "24", "26"), ("120", "140", "160"), strict=True):
        services.plans.record_checkin(
            actor_id=owner,
            plan_id=q3,
            day=monday,
            values={calls: c, pipeline: p},
            confidence=4,
            now=dt.datetime.combine(monday, dt.time(15), tzinfo=UTC),
        )
    services.plans.add_win(
        actor_id=owner, text="Closed <!channel> Acme", today=dt.date(2026, 8, 12)
    )
    # Proposed for Calls: 24 -> 27; chosen lower, with the reason kept.
    q4 = services.reviews.complete(
        actor_id=owner,
        plan_id=q3,
        reflection="Hit my calls once I blocked the mornings",
        chosen={calls: ChosenBar(baseline="24", target="25")},
        reason="Holiday season in Q4",
        now=dt.datetime(2026, 9, 28, 15, tzinfo=UTC),
    ).id
    with bot.db.sessions.begin() as session:
        session.execute(
            update(m.Review)
            .where(m.Review.plan_id == q3)
            .values(manager_reflection="Dana coached two new hires on discovery")
        )
    services.plans.propose(actor_id=owner, plan_id=q4, now=dt.datetime(2026, 10, 1, tzinfo=UTC))
    services.plans.acknowledge(
        actor_id=sam, plan_id=q4, revision=0, now=dt.datetime(2026, 10, 1, tzinfo=UTC)
    )
    q4_calls, q4_pipeline = (
        cv.id for cv in services.plans.get_plan(viewer_id=owner, plan_id=q4).commitments
    )
    for monday, value in zip(Q4_MONDAYS, Q4_CALLS, strict=True):
        services.plans.record_checkin(
            actor_id=owner,
            plan_id=q4,
            day=monday,
            values={q4_calls: str(value), q4_pipeline: str(150 + 5 * value)},
            confidence=4,
            now=dt.datetime.combine(monday, dt.time(15), tzinfo=UTC),
        )
    services.members.set_manager(
        member_id=owner,
        manager_id=ids["ULEADER"],
        changed_by_id=owner,
        now=dt.datetime(2026, 10, 10, tzinfo=UTC),
    )
    return {**ids, "q3": q3, "q4": q4}


def texts(view: dict[str, Any]) -> str:
    """Everything a modal says, as one string."""
    return json.dumps(view["blocks"], ensure_ascii=False)


def top(bot: Bot, user: str, callback: str) -> OpenView:
    return wait_until(
        lambda: (
            (v := bot.slack.open_modal(user)) is not None
            and v.view.get("callback_id") == callback
            and "Drawing" not in texts(v.view)
            and v
        ),
        message=f"{user}'s {callback} modal",
    )


def test_a_past_quarter_opens_from_app_home_with_its_review_revisions_and_wins(bot: Bot) -> None:
    ids = stage(bot)
    bot.driver.open_app_home("UOWNER")
    home = wait_until(lambda: bot.slack.home.get("UOWNER"), message="Dana's home")
    assert "Q3 FY2026" in texts(home) and "My trends" in texts(home)

    bot.driver.click_button("UOWNER", "Open", home=True)
    quarter = top(bot, "UOWNER", "history_quarter")
    said = texts(quarter.view)
    assert "Q3 FY2026" in said and "Closed" in said
    assert "Become the go-to closer for mid-market deals" in said  # as it closed
    # Actual against target per commitment: calls averaged 24 of 25; pipeline ended at 160.
    assert "Actual 24 calls against a target of 25 per week" in said
    assert "Actual 160 k$ against a target of 150" in said
    # The review: both reflections, the bars, the reason kept for the lowered one.
    assert "Hit my calls once I blocked the mornings" in said
    assert "Dana coached two new hires on discovery" in said
    assert "actual 24 calls · next bar 24 → 25 (proposed 24 → 27)" in said
    assert "Lowered because: Holiday season in Q4" in said
    assert "Closed &lt;!channel&gt; Acme" in said and "<!channel>" not in said
    assert "2 revisions" in said

    bot.driver.click_button("UOWNER", "Revisions and their changes", view=quarter)
    revisions = top(bot, "UOWNER", "history_revisions")
    assert len(bot.slack.stacks["UOWNER"]) == 2  # pushed over the quarter
    said = texts(revisions.view)
    assert said.index("Revision 2") < said.index("Revision 1")  # newest first
    assert (
        "Aspiration: \u201cClose mid-market deals\u201d \u2192 "
        "\u201cBecome the go-to closer for mid-market deals\u201d"
    ) in said
    assert ids["q3"]  # staged


def test_myplan_history_lists_pushes_and_stays_within_three_views(bot: Bot) -> None:
    stage(bot)
    bot.driver.slash_command("UOWNER", "history")
    listing = top(bot, "UOWNER", "history")
    assert "Q3 FY2026" in texts(listing.view) and "Q4 FY2026" not in texts(listing.view)
    bot.driver.click_button("UOWNER", "Open", view=listing)
    quarter = top(bot, "UOWNER", "history_quarter")
    bot.driver.click_button("UOWNER", "Revisions and their changes", view=quarter)
    top(bot, "UOWNER", "history_revisions")
    assert len(bot.slack.stacks["UOWNER"]) == 3


def test_trends_are_charts_uploaded_and_shown_by_slack_file_with_their_numbers(bot: Bot) -> None:
    stage(bot)
    bot.driver.slash_command("UOWNER", "trends")
    shown = top(bot, "UOWNER", "trends")
    blocks = shown.view["blocks"]
    images = [b for b in blocks if b["type"] == "image"]
    assert [i["title"]["text"] for i in images] == ["Calls", "Pipeline"]
    dm = bot.slack.dm_channel_id("UOWNER")
    shared = bot.slack.shared_files(dm)
    assert [i["slack_file"]["id"] for i in images] == [f.id for f in shared]
    for file in shared:
        assert bot.slack.file_bytes(file.id).startswith(b"\x89PNG\r\n\x1a\n")
    calls = images[0]["alt_text"]
    # The alt text states the numbers: this quarter's weeks, and the quarters side by side.
    weeks = ", ".join(
        f"{monday:%b %-d}: {value}" for monday, value in zip(Q4_MONDAYS, Q4_CALLS, strict=True)
    )
    assert f"Weekly this quarter: {weeks} (target 25 per week)" in calls
    assert "Q3 FY2026 24 of 25; Q4 FY2026 so far 24.57 of 25" in calls
    assert "The bar held at 25 over 2 quarters." in calls
    assert shared[0].alt_txt == calls
    # ...and the same numbers are in text beside the chart.
    beside = blocks[blocks.index(images[0]) + 1]["text"]["text"]
    assert weeks in beside and "Q3 FY2026 24 of 25" in beside
    assert "Pipeline" in images[1]["alt_text"] and "Q3 FY2026 160 of 150" in images[1]["alt_text"]
    # Uploaded after the ack: the command's ack came before any file call.
    calls_made = [c.method for c in bot.slack.calls]
    assert calls_made.index("views.open") < calls_made.index("files.getUploadURLExternal")


def test_who_may_open_a_past_quarter(bot: Bot) -> None:
    ids = stage(bot)
    bot.slack.limits.enabled = False  # ten refusals in a moment, each a DM
    # Lee, on Dana's team, sees none of her private quarters, and a forged id opens nothing.
    bot.driver.slash_command("UPEER", "history <@UOWNER|dana>")
    listing = top(bot, "UPEER", "history")
    assert "Q3 FY2026" not in texts(listing.view) and "No past quarter" in texts(listing.view)
    for forged in (ids["q3"], str(ids["q3"]), 2**40, "1 OR 1=1", None):
        bot.driver.block_action(
            "UPEER",
            {"type": "button", "action_id": "history_open", "value": json.dumps({"plan": forged})},
        )
        bot.driver.block_action(
            "UPEER",
            {
                "type": "button",
                "action_id": "history_revisions",
                "value": json.dumps({"plan": forged}),
            },
        )
    wait_until(
        lambda: len([d for d in bot.slack.dms("UPEER") if "can't see that plan" in d.text]) == 10,
        message="ten refusals",
    )
    assert bot.slack.open_modal("UPEER") == listing  # nothing opened over it
    bot.driver.slash_command("UPEER", "trends <@UOWNER|dana>")
    said = top(bot, "UPEER", "trends")
    assert "can't see" in texts(said.view)
    bot.driver.block_action(
        "UPEER",
        {"type": "button", "action_id": "trends_open", "value": json.dumps({"plan": ids["q4"]})},
    )
    wait_until(
        lambda: (
            len([v for v in bot.slack.views.values() if v.user == "UPEER"]) >= 3
            and "can't see" in texts(bot.slack.open_modal("UPEER").view)
        ),  # type: ignore[union-attr]
        message="the forged trends refused",
    )
    assert not [c for c in bot.slack.calls if c.method == "files.getUploadURLExternal"]

    # Sam managed Dana in Q3: he keeps read access to it, though Vera manages her now.
    bot.driver.slash_command("UMANAGER", "history <@UOWNER|dana>")
    listing = top(bot, "UMANAGER", "history")
    bot.driver.click_button("UMANAGER", "Open", view=listing)
    assert "Hit my calls" in texts(top(bot, "UMANAGER", "history_quarter").view)
    # Vera, her manager now, may see it too (the manager chain of today).
    bot.driver.slash_command("ULEADER", "history <@UOWNER|dana>")
    assert "Q3 FY2026" in texts(top(bot, "ULEADER", "history").view)


def test_without_files_write_the_trends_show_their_numbers(bot: Bot) -> None:
    """An install from before files:write: Slack refuses the upload, the numbers still show."""
    stage(bot)
    bot.slack.grant(bot.slack.bot_scopes - {"files:write"})
    bot.driver.slash_command("UOWNER", "trends")
    shown = top(bot, "UOWNER", "trends")
    said = texts(shown.view)
    assert not [b for b in shown.view["blocks"] if b["type"] == "image"]
    assert "could not be uploaded" in said and "Q3 FY2026 24 of 25" in said
    refused = [c for c in bot.slack.calls if c.method == "files.getUploadURLExternal"]
    assert [c.error for c in refused] == ["missing_scope"]


def test_a_past_quarters_trends_are_pushed_over_it(bot: Bot) -> None:
    stage(bot)
    bot.driver.slash_command("UOWNER", "history")
    listing = top(bot, "UOWNER", "history")
    bot.driver.click_button("UOWNER", "Open", view=listing)
    quarter = top(bot, "UOWNER", "history_quarter")
    bot.driver.click_button("UOWNER", "Trends", view=quarter)
    shown = top(bot, "UOWNER", "trends")
    assert len(bot.slack.stacks["UOWNER"]) == 3
    calls = next(b for b in shown.view["blocks"] if b["type"] == "image")["alt_text"]
    assert "Weekly this quarter: Aug 3: 22, Aug 10: 24, Aug 17: 26 (target 25 per week)" in calls
    assert "Q3 FY2026 24 of 25" in calls and "so far" not in calls and "Q4" not in calls
