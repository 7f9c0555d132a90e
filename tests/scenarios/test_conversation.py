"""The conversation on a plan: re-asking on every revision, comments and
answers, suggested edits applied in one click, the manager's own side."""

from __future__ import annotations

from typing import Any

from bot.domain.plans import PlanState
from tests.scenarios.conftest import NOW, Bot
from tests.scenarios.test_collaboration import onboard
from tests.slack_emulator import wait_until

PLAN = {
    "aspiration": "Close mid-market deals",
    "commitment_0_title": "Discovery calls",
    "commitment_0_kind": "activity",
    "commitment_0_unit": "calls",
    "commitment_0_baseline": "20",
    "commitment_0_target": "25",
}


def proposed(bot: Bot) -> Any:
    """Manager and owner onboarded; the owner's plan proposed; the manager's DM."""
    bot.slack.limits.post_channel_burst = 100  # many DMs to one person, within seconds
    onboard(bot, "UMANAGER", manager="ULEADER")
    bot.driver.close_view("UMANAGER")
    onboard(bot, "UOWNER", manager="UMANAGER")
    assert bot.driver.submit_view("UOWNER", PLAN).status == 200
    wait_until(lambda: bot.slack.dms("UOWNER"), message="the saved plan")
    bot.driver.click_button("UOWNER", "Propose to my manager")
    return wait_until(
        lambda: next((m for m in bot.slack.dms("UMANAGER") if "revision 1" in str(m.blocks)), None),
        message="the manager's request",
    )


def owner_plan(bot: Bot) -> Any:
    owner = bot.services.members.find(workspace_id=1, slack_user_id="UOWNER")
    assert owner is not None
    return bot.services.plans.current_plan(owner_id=owner.id, today=NOW.date())


def test_an_edit_while_proposed_asks_the_manager_again_with_what_changed(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    first = proposed(bot)
    _, old_button = driver.find_button(first.blocks, "Acknowledge revision 1")
    driver.slash_command("UOWNER", "edit")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the builder")
    driver.submit_view("UOWNER", {"commitment_0_target": "30"})
    again = wait_until(
        lambda: next(
            (m for m in slack.dms("UMANAGER") if "Acknowledge revision 2" in str(m.blocks)), None
        ),
        message="the manager asked again",
    )
    driver.click_button("UMANAGER", "Open", message=again)
    opened = wait_until(
        lambda: next((r for r in slack.responses if "What changed" in str(r.get("blocks"))), None),
        message="the request opened, with what changed",
    )
    assert "25 calls per week" in str(opened["blocks"]) and "30 calls per week" in str(
        opened["blocks"]
    )
    assert (owner_plan(bot).state, owner_plan(bot).revision) == (PlanState.PROPOSED, 2)

    # The same day, the request is the manager's digest, edited in place: it
    # names revision 2 now, and no message offers revision 1 any more.
    assert (again.channel, again.ts) == (first.channel, first.ts)
    assert "Acknowledge revision 1" not in str(slack.find_message(first.channel, first.ts))
    assert "Acknowledge revision 1" not in str([m.blocks for m in slack.dms("UOWNER")])
    # A click on it all the same (a client still showing it) says so and counts
    # for nothing; the digest then shows what waits now, again.
    driver.block_action("UMANAGER", old_button, message=first)
    wait_until(
        lambda: any("changed since" in r.get("text", "") for r in slack.responses),
        message="the stale answer",
    )
    [marked] = [r for r in slack.responses if r.get("replace_original")]
    assert "revision 1" in marked["text"] and "revision 2 now" in marked["text"]
    wait_until(
        lambda: "Acknowledge revision 2" in str(slack.find_message(first.channel, first.ts)),
        message="the digest shown again",
    )
    assert owner_plan(bot).acknowledgement.waiting_for  # nobody acknowledged revision 2 yet


def dm_with(bot: Bot, user: str, needle: str) -> Any:
    return wait_until(
        lambda: next((m for m in reversed(bot.slack.dms(user)) if needle in str(m.blocks)), None),
        message=f"a DM to {user} with {needle!r}",
    )


def answer_on(bot: Bot, user: str, message: Any, text: str) -> None:
    """Click the button beside the comment that says ``text``."""
    block = next(
        b for b in message.blocks if "accessory" in b and text in b.get("text", {}).get("text", "")
    )
    bot.driver.block_action(
        user,
        {
            "type": "button",
            "action_id": block["accessory"]["action_id"],
            "value": block["accessory"]["value"],
        },
        message=message,
    )


def test_comments_are_shown_with_the_plan_and_the_owner_answers(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    request = proposed(bot)
    driver.click_button("UMANAGER", "Comment", message=request)
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the comment modal")
    driver.submit_view("UMANAGER", {"comment": "Add a shadowing goal?"})
    told = dm_with(bot, "UOWNER", "commented on your")
    assert "Add a shadowing goal?" in str(told.blocks)

    # The comment is on the plan itself, with the owner's Answer button.
    driver.slash_command("UOWNER")
    card = wait_until(
        lambda: next((r for r in slack.responses if "blocks" in r), None), message="the plan card"
    )
    assert "Add a shadowing goal?" in str(card["blocks"])
    driver.click_button("UOWNER", "Answer", message=told)
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the answer modal")
    assert "Add a shadowing goal?" in str(modal.view["blocks"])
    driver.submit_view("UOWNER", {"comment": "Yes, from next week"})
    answer = dm_with(bot, "UMANAGER", "answered a comment on")
    assert "Yes, from next week" in str(answer.blocks)

    # The owner comments of their own accord: their manager hears it.
    driver.click_button("UOWNER", "Comment", message=told)
    wait_until(lambda: slack.open_modal("UOWNER"), message="the comment modal")
    driver.submit_view("UOWNER", {"comment": "I moved the demo to Friday"})
    assert "I moved the demo to Friday" in str(dm_with(bot, "UMANAGER", "demo to Friday").blocks)


def test_a_suggested_edit_is_applied_in_one_click_and_the_manager_is_asked_again(
    bot: Bot,
) -> None:
    slack, driver = bot.slack, bot.driver
    request = proposed(bot)
    driver.click_button("UMANAGER", "Suggest an edit", message=request)
    modal = wait_until(lambda: slack.open_modal("UMANAGER"), message="the suggestion builder")
    assert modal.view["callback_id"] == "plan_suggestion"
    # Refused on the exact field, as the owner's own edit would be.
    refused = driver.submit_view("UMANAGER", {"commitment_0_target": "10"})
    assert set(refused.errors) == {"commitment_0_target"}
    driver.submit_view("UMANAGER", {"commitment_0_target": "35", "comment": "Stretch it"})
    told = dm_with(bot, "UOWNER", "suggests an edit")
    assert "35 calls per week" in str(told.blocks)
    assert owner_plan(bot).revision == 1  # nothing changes until the owner applies it

    driver.click_button("UOWNER", "Apply", message=told)
    asked = dm_with(bot, "UMANAGER", "Acknowledge revision 2")
    before = len(slack.responses)
    driver.click_button("UMANAGER", "Open", message=asked)
    opened = wait_until(lambda: len(slack.responses) > before and slack.responses[before])
    assert "What changed" in str(opened["blocks"]) and "35 calls per week" in str(opened["blocks"])
    plan = owner_plan(bot)
    assert (plan.state, plan.revision) == (PlanState.PROPOSED, 2)
    assert plan.commitments[0].commitment.target == 35
    # Applied once: the same button again is refused, plainly.
    driver.click_button("UOWNER", "Apply", message=told)
    wait_until(
        lambda: any("applied this suggestion" in r.get("text", "") for r in slack.responses),
        message="the refusal",
    )
    assert owner_plan(bot).revision == 2


def test_the_manager_writes_their_side_and_the_owner_is_asked(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    request = proposed(bot)
    # Once proposed, the owner's builder does not change the manager's side.
    driver.slash_command("UOWNER", "edit")
    builder = wait_until(lambda: slack.open_modal("UOWNER"), message="the builder")
    assert "coaching_focus" not in str(builder.view["blocks"])
    driver.close_view("UOWNER")

    driver.click_button("UMANAGER", "Edit my side", message=request)
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the manager's side")
    refused = driver.submit_view("UMANAGER", {"one_on_one_cadence": "often"})
    assert set(refused.errors) == {"one_on_one_cadence"}
    driver.submit_view(
        "UMANAGER", {"one_on_one_cadence": "2", "coaching_focus": "Negotiation role-play"}
    )
    asked = dm_with(bot, "UOWNER", "changed your")
    assert "Negotiation role-play" in str(asked.blocks)
    driver.click_button("UOWNER", "Acknowledge revision 2", message=asked)
    driver.click_button("UMANAGER", "Acknowledge revision 2")
    wait_until(lambda: owner_plan(bot).state is PlanState.ACTIVE, message="active")
    assert owner_plan(bot).content.manager.coaching_focus == "Negotiation role-play"


def test_forged_ids_are_refused_on_every_new_path(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    request = proposed(bot)
    onboard(bot, "UPEER", manager="ULEADER")
    driver.close_view("UPEER")
    plan_id = owner_plan(bot).id
    driver.click_button("UMANAGER", "Suggest an edit", message=request)
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the suggestion builder")
    driver.submit_view("UMANAGER", {"commitment_0_target": "35"})
    told = dm_with(bot, "UOWNER", "suggests an edit")
    _, apply = driver.find_button(told.blocks, "Apply")
    before = len(slack.dms("UOWNER"))
    # A peer (a private plan) replays the manager's buttons.
    for text in ("Edit my side", "Suggest an edit", "Comment"):
        driver.click_button("UPEER", text, message=request)
    assert slack.open_modal("UPEER") is None
    # The manager forges the owner's Apply and a comment on a plan id they cannot see.
    driver.click_button("UMANAGER", "Comment", message=request)
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the comment modal")
    slack.open_modal("UMANAGER").view["private_metadata"] = (  # type: ignore[union-attr]
        f'{{"plan_id": {plan_id + 1000}, "reply_to": null}}'
    )
    refused = driver.submit_view("UMANAGER", {"comment": "hi"})
    assert refused.errors == {"comment": "You can't see that plan."}
    for user in ("UMANAGER", "UPEER"):  # only the owner applies a suggestion
        driver.block_action(
            user, {"type": "button", "action_id": apply["action_id"], "value": apply["value"]}
        )
    bot.runner.wait_idle(timeout=5)
    assert len(slack.dms("UOWNER")) == before
    assert owner_plan(bot).revision == 1


def test_a_teammate_comments_on_a_team_plan_and_sees_only_their_own_thread(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    request = proposed(bot)
    driver.click_button("UMANAGER", "Comment", message=request)
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the comment modal")
    driver.submit_view("UMANAGER", {"comment": "Between us: watch the forecast"})
    dm_with(bot, "UOWNER", "watch the forecast")
    driver.slash_command("UOWNER", "edit")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the builder")
    driver.submit_view("UOWNER", {"visibility": "team"})
    onboard(bot, "UPEER", manager="ULEADER")  # the same team's channel
    driver.close_view("UPEER")

    driver.slash_command("UPEER", "<@UOWNER>")
    card = wait_until(
        lambda: next((r for r in slack.responses if r["user"] == "UPEER" and "blocks" in r), None),
        message="the teammate's view of the plan",
    )
    labels = {
        e["text"]["text"] for b in card["blocks"] if b["type"] == "actions" for e in b["elements"]
    }
    assert labels == {"Comment"}
    assert "watch the forecast" not in str(card["blocks"])
    message = slack.post_as_user(slack.dm_channel_id("UPEER"), "UPEER", "x")
    message.blocks = card["blocks"]
    driver.click_button("UPEER", "Comment", message=message)
    wait_until(lambda: slack.open_modal("UPEER"), message="the comment modal")
    driver.submit_view("UPEER", {"comment": "Happy to pair on calls"})
    told = dm_with(bot, "UOWNER", "Happy to pair on calls")
    answer_on(bot, "UOWNER", told, "Happy to pair on calls")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the answer modal")
    driver.submit_view("UOWNER", {"comment": "Thursday works"})
    answer = dm_with(bot, "UPEER", "Thursday works")
    # The teammate sees their comment and its answer, never the manager's.
    assert "Happy to pair on calls" in str(answer.blocks)
    assert "watch the forecast" not in str(answer.blocks)


def open_own_review(bot: Bot, user: str = "UOWNER") -> Any:
    """`/myplan review` before the window asks first; confirmed, the review opens."""
    slack = bot.slack
    before = len(slack.responses)
    bot.driver.slash_command(user, "review")
    asked = wait_until(
        lambda: next((r for r in slack.responses[before:] if "close it early" in r["text"]), None),
        message="the early close's question",
    )
    bot.driver.click_button_in(user, "Review now, early", blocks=asked["blocks"])
    return wait_until(lambda: slack.open_modal(user), message="the owner's review")


def test_the_manager_reflects_on_the_quarter_and_each_reads_the_other(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    request = proposed(bot)
    driver.click_button("UMANAGER", "Acknowledge revision 1", message=request)
    wait_until(lambda: owner_plan(bot).state is PlanState.ACTIVE, message="active")
    plan_id = owner_plan(bot).id

    # The manager reviews first: the same numbers, and their own reflection.
    open_own_review(bot)
    driver.close_view("UOWNER")
    driver.block_action(
        "UMANAGER",
        {"type": "button", "action_id": "review_open", "value": str(plan_id)},
    )
    modal = wait_until(lambda: slack.open_modal("UMANAGER"), message="the manager's review")
    assert modal.view["callback_id"] == "review_manager_reflection"
    assert driver.submit_view("UMANAGER", {"manager_reflection": ""}).errors
    driver.submit_view("UMANAGER", {"manager_reflection": "Strong quarter on discovery"})
    told = dm_with(bot, "UOWNER", "Strong quarter on discovery")
    assert "reflected on your" in str(told.blocks)

    # The owner closes it, lowering a bar with a reason; the manager reads both.
    modal = open_own_review(bot)
    assert "Strong quarter on discovery" in str(modal.view["blocks"])
    commitment = owner_plan(bot).commitments[0].id
    ack = driver.submit_view(
        "UOWNER",
        {
            f"target_{commitment}": "21",
            "reflection": "Calls went well",
            "reason": "Moving to enterprise",
        },
    )
    assert ack.errors == {}
    closed = dm_with(bot, "UMANAGER", "closed their")
    assert "Calls went well" in str(closed.blocks)
    assert "Moving to enterprise" in str(closed.blocks)
    # Their reflection can still be rewritten after the quarter closed.
    driver.click_button("UMANAGER", "Write my reflection", message=closed)
    modal = wait_until(lambda: slack.open_modal("UMANAGER"), message="the closed review")
    assert "Calls went well" in str(modal.view["blocks"])
    assert "Moving to enterprise" in str(modal.view["blocks"])
