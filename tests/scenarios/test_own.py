"""A person edits and deletes their own wins, comments and check-ins, and what
myplan posted of them follows (chat.update, chat.delete); nobody else can."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.db.models import CheckIn, PlanComment, Win
from tests.scenarios.conftest import Bot
from tests.scenarios.test_forget import DANA, check_in, dana_at_work
from tests.slack_emulator import wait_until
from tests.slack_emulator.driver import Ack
from tests.slack_emulator.server import Message


def listed(bot: Bot, user: str, what: str) -> dict[str, Any]:
    """The answer to `/myplan <what>` (an ephemeral message on the response_url)."""
    before = len(bot.slack.responses)
    bot.driver.slash_command(user, what)
    return wait_until(lambda: bot.slack.responses[before:], message=f"/myplan {what}")[0]


def click(bot: Bot, user: str, answer: dict[str, Any], label: str, *, holding: str) -> Ack:
    """Click ``label`` on the entry of ``answer`` whose section holds ``holding``."""
    blocks = answer["blocks"]
    index = next(i for i, b in enumerate(blocks) if holding in str(b.get("text")))
    block_id, button = bot.driver.find_button([blocks[index + 1]], label)
    message = Message(
        channel=answer["channel"], ts="1.0", user=bot.slack.bot_user_id, text="", blocks=blocks
    )
    action = {"type": "button", **{k: button[k] for k in ("action_id", "text", "value")}}
    return bot.driver.block_action(user, action, message=message, block_id=block_id)


def count(bot: Bot, model: type[Any]) -> int:
    with bot.db.sessions.begin() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def leaders_post(bot: Bot) -> str:
    return str([m.blocks for m in bot.slack.channel_messages("CLEADERS", top_level=True)])


def test_a_win_edited_then_deleted_and_the_leaders_post_follows(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    dana_at_work(bot)
    assert DANA["logged"] in leaders_post(bot)  # her public plan's card lists her wins
    wins = listed(bot, "UOWNER", "wins")
    click(bot, "UOWNER", wins, "Edit", holding=DANA["logged"])
    modal = wait_until(lambda: slack.open_modal("UOWNER"), message="the win's editor")
    assert DANA["logged"] in str(modal.view["blocks"])
    assert driver.submit_view("UOWNER", {"entry_text": "Keynote at SaaStr, 600 seats"}).errors == {}
    wait_until(lambda: "600 seats" in leaders_post(bot), message="the leaders post updated")
    assert DANA["logged"] not in leaders_post(bot)

    # Lee cannot delete Dana's win, whatever the button says.
    wins = listed(bot, "UOWNER", "wins")
    click(bot, "UPEER", wins, "Delete", holding="600 seats")
    wait_until(lambda: "not on your plan" in str(slack.responses[-1]), message="refused")
    assert count(bot, Win) == 1
    click(bot, "UOWNER", wins, "Delete", holding="600 seats")
    wait_until(lambda: "Win deleted" in str(slack.responses[-1]), message="deleted")
    assert count(bot, Win) == 0 and "600 seats" not in leaders_post(bot)


def test_a_comment_edited_then_deleted_and_its_dm_follows(bot: Bot) -> None:
    slack, driver = bot.slack, bot.driver
    dana_at_work(bot)

    def lees_dms() -> str:
        return str([[m.text, m.blocks] for m in slack.dms("UPEER")])

    comments = listed(bot, "UOWNER", "comments")
    assert "upeer's plan" in str(comments["blocks"])
    click(bot, "UOWNER", comments, "Edit", holding=DANA["comment"])
    wait_until(lambda: slack.open_modal("UOWNER"), message="the comment's editor")
    assert driver.submit_view("UOWNER", {"entry_text": "Shadow me on Friday"}).errors == {}
    wait_until(lambda: "Shadow me on Friday" in lees_dms(), message="Lee's DM edited")
    assert DANA["comment"] not in lees_dms()
    comments = listed(bot, "UOWNER", "comments")
    click(bot, "UOWNER", comments, "Delete", holding="Shadow me on Friday")
    wait_until(lambda: "Shadow me on Friday" not in lees_dms(), message="Lee's DM deleted")
    assert count(bot, PlanComment) == 0


def test_a_check_in_deleted_takes_its_posts_and_the_counts_follow(bot: Bot) -> None:
    slack = bot.slack
    dana_at_work(bot)
    everywhere = lambda: str(  # noqa: E731
        [[m.text, m.blocks] for ms in slack.messages.values() for m in ms]
    )
    assert DANA["blocker"] in everywhere()
    leaders = slack.channel_messages("CLEADERS", top_level=True)
    assert "1 of 2 checked in: uowner" in str(leaders[0].blocks)
    checkins = listed(bot, "UOWNER", "checkins")
    click(bot, "UOWNER", checkins, "Delete", holding=DANA["win"])
    wait_until(lambda: DANA["blocker"] not in everywhere(), message="its posts deleted")
    assert DANA["win"] not in everywhere()
    assert bot.runner.wait_idle(10)
    [team_parent] = [m for m in slack.channel_messages("CTEAM", top_level=True)]
    assert "1 of 3 checked in" in str(team_parent.blocks)  # Lee's only
    leaders = slack.channel_messages("CLEADERS", top_level=True)
    assert "0 of 2 checked in" in str(leaders[0].blocks)  # Dana and Sam lead; neither now
    assert count(bot, CheckIn) == 1
    # Checking in again that week posts afresh.
    check_in(bot, "UOWNER", win="Dana again")
    wait_until(lambda: "Dana again" in str(slack.channel_messages("CTEAM")), message="reposted")
    wait_until(lambda: "Dana again" in str(slack.dms("UMANAGER")), message="Sam's copy again")


def test_a_win_logged_after_sharing_reaches_the_leaders_post(bot: Bot) -> None:
    """The card in the leaders channel lists wins: one logged later, by
    `/myplan win` or the message shortcut, appears there too."""
    slack, driver = bot.slack, bot.driver
    dana_at_work(bot)
    driver.slash_command("UOWNER", "win Closed the Acme renewal")
    wait_until(lambda: "Closed the Acme renewal" in leaders_post(bot), message="the post updated")
    message = slack.post_as_user("CTEAM", "UMANAGER", "Great demo today, Dana!")
    driver.message_shortcut("UOWNER", "save_to_plan", message)
    wait_until(lambda: slack.open_modal("UOWNER"), message="the save modal")
    assert driver.submit_view("UOWNER", {"save_as": "win"}).errors == {}
    wait_until(lambda: "Great demo today" in leaders_post(bot), message="the post updated again")
