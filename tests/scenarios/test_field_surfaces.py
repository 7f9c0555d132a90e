"""Every stored field a person types appears where PRODUCT says, and nowhere else.

One quarter, lived through Slack payloads, puts a unique marker in every
user-supplied field the models store. Then every surface the bot wrote to is
read back from the loopback Slack (App Homes, every reply and card, every DM,
every modal, every channel) and each marker must be found exactly on the
surfaces the table below names, for each of the plan's visibilities.

Viewers: O the owner, M their manager, L the manager's manager (the chain),
P a teammate (the owner's team channel), X someone of another team.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

import pytest

from bot.domain.plans import PlanState
from tests.scenarios.conftest import NOW, Bot
from tests.scenarios.test_conversation import answer_on, dm_with, open_own_review, owner_plan
from tests.scenarios.test_rhythm import tick
from tests.slack_emulator import wait_until

VIEWERS = {"O": "UOWNER", "M": "UMANAGER", "L": "ULEADER", "P": "UPEER", "X": "UOUT"}
CHANNELS = {"team thread": "CTEAM", "leaders channel": "CLEADERS", "other team": "COTHER"}

# field (model.column) -> its marker
MARKERS = {
    "Plan.aspiration": "MKaspiration",
    "Plan.strengths": "MKstrengths",
    "Plan.growth_areas": "MKgrowth",
    "Plan.feedback_acted_on": "MKacted",
    "Commitment.title": "MKtitle",
    "Commitment.unit": "MKunit",
    "ManagerCommitment.description (coaching)": "MKcoaching",
    "ManagerCommitment.description (support)": "MKsupport",
    "Win.text": "MKwin",
    "Feedback.text": "MKfeedback",
    "PlanComment.text (the manager's)": "MKmanagercomment",
    "PlanComment.text (the owner's answer)": "MKowneranswer",
    "PlanComment.text (a teammate's)": "MKpeercomment",
    "PlanComment.text (the answer to the teammate)": "MKpeeranswer",
    "PlanComment.text (a suggested edit's note)": "MKnote",
    "CheckIn.skip_reason": "MKskip",
    "CheckIn.win": "MKcheckinwin",
    "CheckIn.blocker": "MKblocker",
    "CheckInValue.value": "987",  # below 1,000: shown ungrouped everywhere
    "CheckIn.one_on_one_happened": "1:1 with you: happened",
    "Review.owner_reflection": "MKownerreflection",
    "Review.manager_reflection": "MKmanagerreflection",
    "ReviewBar.lowered_reason": "MKreason",
}


def _on(*places: str) -> set[str]:
    """Surfaces by short name: "dm:M", "home:O", "team thread"..."""
    return set(places)


def expected(visibility: str) -> dict[str, set[str]]:
    """Where each field is shown, per PRODUCT section 2 and README "Who sees what".

    - The plan's content: its owner and manager chain; also the team (team
      plan) or everyone (public plan). App Home lists others' public plans by
      aspiration. A teammate told of an answer gets the plan as they may see it.
    - A check-in's values, win and blocker: the manager, privately (a DM), and
      the team's thread in full only where everyone there may see the plan.
      The 1:1 answer and a skip's reason: the manager alone.
    - The conversation (comments, suggested edits, saved feedback): the owner
      and the manager chain; a teammate sees their own comment and its answer.
    - The review (reflections, a lowered bar's reason): owner and manager.
    """
    team = visibility in ("team", "public")
    public = visibility == "public"
    chain = _on("reply:O", "reply:M", "reply:L", "home:O", "dm:O", "dm:M")
    # The plan's content as a card: to whoever may see the plan.
    content = chain | _on(*(["reply:P", "dm:P"] if team else []), *(["reply:X"] if public else []))
    homes = _on("home:M", "home:L", "home:P", "home:X") if public else set()
    modals = _on("modal:O", "modal:M")  # check-in, review, suggestion builder, answers
    talk = _on("reply:O", "reply:M", "reply:L", "home:O", "modal:O", "modal:M")
    checkin = _on("dm:M", *(["team thread"] if team else []))
    review = _on("modal:O", "modal:M")
    table = {
        "Plan.aspiration": content | homes | _on("modal:M"),
        "Plan.strengths": content | _on("modal:M"),
        "Plan.growth_areas": content | _on("modal:M"),
        "Plan.feedback_acted_on": content | _on("modal:M"),
        "Commitment.title": content | modals | checkin,
        "Commitment.unit": content | modals | checkin,
        "ManagerCommitment.description (coaching)": content,
        "ManagerCommitment.description (support)": content,
        "Win.text": content | modals,
        "Feedback.text": talk | _on("dm:O", "dm:M"),
        "PlanComment.text (the manager's)": talk | _on("dm:O", "dm:M"),
        "PlanComment.text (the owner's answer)": talk | _on("dm:O", "dm:M"),
        "PlanComment.text (a suggested edit's note)": talk | _on("dm:O"),
        "CheckIn.skip_reason": _on("dm:M"),
        "CheckIn.win": checkin,
        "CheckIn.blocker": checkin,
        # A week's value is also the commitment's progress on the plan ("now 987").
        # (The teammate's DM, the answer to their comment, came before the check-in.)
        "CheckInValue.value": checkin | (content - _on("dm:P")) | modals,
        "CheckIn.one_on_one_happened": _on("dm:M"),
        "Review.owner_reflection": review | _on("dm:M"),
        "Review.manager_reflection": review | _on("dm:O"),
        "ReviewBar.lowered_reason": review | _on("dm:M"),
    }
    # (The manager is not told of a teammate's comment: they read it on the plan.)
    peer = talk | _on("dm:O", "reply:P", "dm:P") if team else set()
    table["PlanComment.text (a teammate's)"] = peer
    table["PlanComment.text (the answer to the teammate)"] = peer
    return table


def onboard(bot: Bot, user: str, *, channel: str, manager: str | None) -> None:
    bot.driver.slash_command(user)
    wait_until(lambda: bot.slack.open_modal(user), message=f"{user}'s onboarding")
    values: dict[str, Any] = {"team_channel": channel}
    if manager:
        values["manager"] = manager
    else:
        values["no_manager"] = ["none"]
    assert bot.driver.submit_view(user, values).errors == {}


def last_reply(bot: Bot, user: str, needle: str) -> Any:
    return wait_until(
        lambda: next(
            (r for r in reversed(bot.slack.responses) if r["user"] == user and needle in str(r)),
            None,
        ),
        message=f"a reply to {user} with {needle!r}",
    )


def as_message(bot: Bot, user: str, reply: Any) -> Any:
    """An ephemeral card, as a message a button can be clicked in."""
    message = bot.slack.post_as_user(bot.slack.dm_channel_id(user), user, "card")
    message.blocks = reply["blocks"]
    return message


def live_the_quarter(bot: Bot, visibility: str) -> None:
    slack, driver = bot.slack, bot.driver
    # A quarter in seconds: Slack's one post a second per conversation (with a
    # burst) would make the bot wait out 429s between the DMs of one person.
    slack.limits.post_channel_burst = 100
    slack.add_user("UOUT", "kim", real_name="Kim Other", tz="America/New_York")
    slack.add_channel("COTHER", "other-team", members=["UOUT", "ULEADER"])
    slack.add_channel("CRANDOM", "random", members=["UOWNER", "UMANAGER"])
    for channel in ("CTEAM", "CLEADERS", "COTHER"):
        slack.channels[channel].members.add(slack.bot_user_id)
    onboard(bot, "ULEADER", channel="COTHER", manager=None)
    driver.close_view("ULEADER")
    onboard(bot, "UMANAGER", channel="CTEAM", manager="ULEADER")
    driver.close_view("UMANAGER")
    onboard(bot, "UPEER", channel="CTEAM", manager="ULEADER")
    driver.close_view("UPEER")
    onboard(bot, "UOUT", channel="COTHER", manager=None)
    driver.close_view("UOUT")
    onboard(bot, "UOWNER", channel="CTEAM", manager="UMANAGER")
    m = MARKERS
    plan = {
        "aspiration": m["Plan.aspiration"],
        "strengths": m["Plan.strengths"],
        "growth_areas": m["Plan.growth_areas"],
        "feedback_acted_on": m["Plan.feedback_acted_on"],
        "visibility": visibility,
        "commitment_0_title": m["Commitment.title"],
        "commitment_0_kind": "activity",
        "commitment_0_unit": m["Commitment.unit"],
        "commitment_0_baseline": "20",
        "commitment_0_target": "25",
    }
    assert driver.submit_view("UOWNER", plan).errors == {}
    wait_until(lambda: slack.dms("UOWNER"), message="the saved plan")
    driver.click_button("UOWNER", "Propose to my manager")

    # The manager writes their side; both acknowledge it.
    driver.click_button("UMANAGER", "Edit my side", message=dm_with(bot, "UMANAGER", "revision 1"))
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the manager's side")
    side = {
        "one_on_one_cadence": "1",
        "coaching_focus": m["ManagerCommitment.description (coaching)"],
        "other_support": m["ManagerCommitment.description (support)"],
    }
    assert driver.submit_view("UMANAGER", side).errors == {}
    driver.click_button(
        "UOWNER", "Acknowledge revision 2", message=dm_with(bot, "UOWNER", "changed")
    )
    driver.click_button(
        "UMANAGER",
        "Acknowledge revision 2",
        message=dm_with(bot, "UMANAGER", "Acknowledge revision 2"),
    )
    wait_until(lambda: owner_plan(bot).state is PlanState.ACTIVE, message="the plan active")

    # A win, and feedback saved from a message.
    driver.slash_command("UOWNER", f"win {m['Win.text']}")
    source = slack.post_as_user("CRANDOM", "UMANAGER", m["Feedback.text"])
    driver.message_shortcut("UOWNER", "save_to_plan", source)
    wait_until(lambda: slack.open_modal("UOWNER"), message="the save modal")
    driver.submit_view("UOWNER", {"save_as": "feedback"})
    wait_until(lambda: "feedback" in slack.dms("UOWNER")[-1].text, message="feedback saved")

    converse(bot, visibility)
    checkin_and_review(bot)


def converse(bot: Bot, visibility: str) -> None:
    slack, driver = bot.slack, bot.driver
    m = MARKERS
    # The manager comments; the owner answers.
    driver.click_button("UMANAGER", "Comment")
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the comment modal")
    driver.submit_view("UMANAGER", {"comment": m["PlanComment.text (the manager's)"]})
    told = dm_with(bot, "UOWNER", m["PlanComment.text (the manager's)"])
    answer_on(bot, "UOWNER", told, m["PlanComment.text (the manager's)"])
    wait_until(lambda: slack.open_modal("UOWNER"), message="the answer modal")
    driver.submit_view("UOWNER", {"comment": m["PlanComment.text (the owner's answer)"]})
    dm_with(bot, "UMANAGER", m["PlanComment.text (the owner's answer)"])

    if visibility != "private":  # a teammate comments on a team or public plan
        driver.slash_command("UPEER", "<@UOWNER>")
        card = as_message(bot, "UPEER", last_reply(bot, "UPEER", "Comment"))
        driver.click_button("UPEER", "Comment", message=card)
        wait_until(lambda: slack.open_modal("UPEER"), message="the teammate's comment")
        driver.submit_view("UPEER", {"comment": m["PlanComment.text (a teammate's)"]})
        told = dm_with(bot, "UOWNER", m["PlanComment.text (a teammate's)"])
        answer_on(bot, "UOWNER", told, m["PlanComment.text (a teammate's)"])
        wait_until(lambda: slack.open_modal("UOWNER"), message="the answer modal")
        answer = m["PlanComment.text (the answer to the teammate)"]
        driver.submit_view("UOWNER", {"comment": answer})
        dm_with(bot, "UPEER", answer)

    # The manager suggests an edit; the owner applies it; both acknowledge.
    driver.click_button("UMANAGER", "Suggest an edit")
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the suggestion")
    note = m["PlanComment.text (a suggested edit's note)"]
    driver.submit_view("UMANAGER", {"commitment_0_target": "30", "comment": note})
    driver.click_button("UOWNER", "Apply", message=dm_with(bot, "UOWNER", note))
    driver.click_button(
        "UMANAGER",
        "Acknowledge revision 3",
        message=dm_with(bot, "UMANAGER", "Acknowledge revision 3"),  # the digest, edited
    )
    driver.click_button("UOWNER", "Acknowledge revision 3")
    wait_until(lambda: owner_plan(bot).state is PlanState.ACTIVE, message="active again")


def checkin_and_review(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    m = MARKERS
    driver.slash_command("UOWNER", f"skip {m['CheckIn.skip_reason']}")
    dm_with_text(bot, "UMANAGER", m["CheckIn.skip_reason"])

    # Next week: the team's thread, a check-in, the manager's own 1:1 answer.
    bot.now = NOW + dt.timedelta(days=7)
    tick(bot, bot.now)
    wait_until(lambda: slack.channel_messages("CTEAM", top_level=True), message="the prompt")
    driver.slash_command("UOWNER", "checkin")
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the check-in")
    [value] = [
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    ]
    answers = {
        value: m["CheckInValue.value"],
        "confidence": "4",
        "win": m["CheckIn.win"],
        "blocker": m["CheckIn.blocker"],
        "one_on_one": "Yes",
    }
    assert driver.submit_view("UOWNER", answers).errors == {}
    copy = dm_with(bot, "UMANAGER", m["CheckIn.blocker"])
    driver.click_button("UMANAGER", "We had our 1:1", message=copy)

    # The review: the manager reflects, the owner closes it with a lowered bar.
    plan_id = owner_plan(bot).id
    driver.block_action(
        "UMANAGER", {"type": "button", "action_id": "review_open", "value": str(plan_id)}
    )
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the manager's review")
    driver.submit_view("UMANAGER", {"manager_reflection": m["Review.manager_reflection"]})
    dm_with(bot, "UOWNER", m["Review.manager_reflection"])
    open_own_review(bot)
    commitment = owner_plan(bot).commitments[0].id
    closing = {
        f"target_{commitment}": "988",  # the baseline is what was achieved: 987
        "reflection": m["Review.owner_reflection"],
        "reason": f"{m['ReviewBar.lowered_reason']} moving to enterprise",
    }
    assert driver.submit_view("UOWNER", closing).errors == {}
    closed = dm_with(bot, "UMANAGER", m["ReviewBar.lowered_reason"])
    driver.click_button("UMANAGER", "Write my reflection", message=closed)
    wait_until(lambda: slack.open_modal("UMANAGER"), message="the closed review")
    driver.slash_command("UOWNER", "review")  # the owner reads the closed review again
    wait_until(lambda: slack.open_modal("UOWNER"), message="the closed review")

    # Everyone looks: their App Home, and the owner's plan as they may see it.
    for user in VIEWERS.values():
        driver.open_app_home(user)
        driver.slash_command(user, "" if user == "UOWNER" else "<@UOWNER>")
    wait_until(lambda: all(u in slack.home for u in VIEWERS.values()), message="the homes")
    wait_until(
        lambda: {r["user"] for r in slack.responses if "plan" in str(r)} >= set(VIEWERS.values()),
        message="the plans",
    )
    bot.runner.wait_idle(timeout=5)


def dm_with_text(bot: Bot, user: str, needle: str) -> Any:
    return wait_until(
        lambda: next((m for m in bot.slack.dms(user) if needle in m.text), None),
        message=f"a DM to {user} saying {needle!r}",
    )


def _texts(items: Iterable[Any]) -> str:
    return json.dumps(list(items), default=str)


def surfaces(bot: Bot) -> dict[str, str]:
    """Everything the bot put before each viewer, and in each channel, as text."""
    slack = bot.slack
    found: dict[str, str] = {}

    def by_bot(message: Any) -> bool:
        return bool(message.bot_id) or message.user == slack.bot_user_id

    for short, user in VIEWERS.items():
        found[f"home:{short}"] = _texts([slack.home.get(user)])
        found[f"dm:{short}"] = _texts([m.text, m.blocks] for m in slack.dms(user) if by_bot(m))
        found[f"reply:{short}"] = _texts(
            [r.get("text"), r.get("blocks")] for r in slack.responses if r["user"] == user
        ) + _texts([e.text, e.blocks] for e in slack.ephemerals if e.user == user)
        found[f"modal:{short}"] = _texts(
            v.view for v in slack.views.values() if v.user == user and v.view.get("type") == "modal"
        )
    for name, channel in CHANNELS.items():
        found[name] = _texts(
            [m.text, m.blocks] for m in slack.channel_messages(channel) if by_bot(m)
        )
    return found


@pytest.mark.parametrize("visibility", ["private", "team", "public"])
def test_every_stored_field_appears_where_product_says_and_nowhere_else(
    bot: Bot, visibility: str
) -> None:
    live_the_quarter(bot, visibility)
    shown = surfaces(bot)
    table = expected(visibility)
    assert set(table) == set(MARKERS)
    wrong = {}
    for field, marker in MARKERS.items():
        where = {surface for surface, text in shown.items() if marker in text}
        if where != table[field]:
            wrong[field] = {
                "missing": sorted(table[field] - where),
                "unexpected": sorted(where - table[field]),
            }
    assert not wrong, json.dumps(wrong, indent=1)
