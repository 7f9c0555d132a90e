"""One interaction, one transaction: every surface, counted.

Each command, click, submission, event and scheduled job calls one use case,
which runs in one transaction; what the outbox records of what was sent
(claims, thread replies, shared posts) is its own, and counted apart.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.app import make_client
from bot.config import Settings
from tests.scenarios.conftest import Bot
from tests.scenarios.test_posting_failures import manage
from tests.scenarios.test_rhythm import setup_team
from tests.slack_emulator import wait_until
from tests.slack_emulator.server import Message
from tests.support import run_due

PLAN = {
    "aspiration": "Close bigger deals",
    "commitment_0_title": "Discovery calls",
    "commitment_0_kind": "activity",
    "commitment_0_unit": "calls",
    "commitment_0_baseline": "20",
    "commitment_0_target": "25",
    "one_on_one_cadence": "1",
}
PROMPT_AT = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)  # Monday 09:00 in New York
# Vera creates #sales-team's team at onboarding: it is in her zone.
LOS_ANGELES_PROMPT_AT = dt.datetime(2026, 11, 23, 17, 0, tzinfo=dt.UTC)


class Transactions:
    """Transactions begun on the bot's database, by who began them."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.counts: Counter[str] = Counter()

    def __call__(self, session: Session, _transaction: Any, connection: Any) -> None:
        if connection.engine is self.bot.db.engine:
            self.counts[str(session.info.get("unit", "use case"))] += 1

    def during(self, interaction: Callable[[], object]) -> Counter[str]:
        """What ``interaction`` and every listener it set off began."""
        assert self.bot.runner.wait_idle(10)
        self.counts.clear()
        interaction()
        assert self.bot.runner.wait_idle(10), "a listener is still at work"
        return Counter(self.counts)


@pytest.fixture
def transactions(bot: Bot) -> Iterator[Transactions]:
    counter = Transactions(bot)
    event.listen(Session, "after_begin", counter)
    try:
        yield counter
    finally:
        event.remove(Session, "after_begin", counter)


def dm_with(bot: Bot, user: str, button: str) -> Message:
    def found() -> Message | None:
        for message in reversed(bot.slack.dms(user)):
            try:
                bot.driver.find_button(message.blocks or [], button)
            except AssertionError:
                continue
            return message
        return None

    return wait_until(found, message=f"a DM to {user} with {button!r}")


def test_every_interaction_is_one_use_case_in_one_transaction(
    bot: Bot, transactions: Transactions
) -> None:
    slack, driver = bot.slack, bot.driver
    slack.channels["CLEADERS"].members.add(slack.bot_user_id)
    slack.channels["CTEAM"].members.add("ULEADER")  # Jordan checks in with the team
    web = make_client(Settings(slack_bot_token=slack.bot_token, slack_api_url=slack.api_url))
    seen: dict[str, Counter[str]] = {}

    def counted(name: str, interaction: Callable[[], object]) -> None:
        seen[name] = transactions.during(interaction)

    # Joining, the settings, the plan made together.
    counted("/myplan (new member)", lambda: driver.slash_command("ULEADER"))
    counted(
        "onboarding submitted",
        lambda: driver.submit_view("ULEADER", {"team_channel": "CTEAM", "no_manager": ["none"]}),
    )
    driver.close_view("ULEADER")
    counted("/myplan settings", lambda: driver.slash_command("ULEADER", "settings"))
    counted(
        "settings submitted",
        lambda: driver.submit_view("ULEADER", {"leaders_channel": "CLEADERS"}),
    )
    counted("/myplan settings again", lambda: driver.slash_command("ULEADER", "settings"))
    counted(
        "settings submitted (a settings admin named)",
        lambda: driver.submit_view("ULEADER", {"settings_admins": ["UPEER"]}),
    )
    counted("/myplan settings (refused)", lambda: driver.slash_command("UOWNER", "settings"))
    driver.slash_command("UMANAGER")
    wait_until(lambda: slack.open_modal("UMANAGER"))
    driver.submit_view("UMANAGER", {"team_channel": "CTEAM", "manager": "ULEADER"})
    driver.close_view("UMANAGER")
    driver.slash_command("UOWNER")
    wait_until(lambda: slack.open_modal("UOWNER"))
    driver.submit_view("UOWNER", {"team_channel": "CTEAM", "manager": "UMANAGER"})
    counted("plan submitted", lambda: driver.submit_view("UOWNER", PLAN))
    counted(
        "Propose clicked",
        lambda: driver.click_button("UOWNER", "Propose to my manager"),
    )
    proposal = dm_with(bot, "UMANAGER", "Acknowledge revision 1")
    counted("Comment clicked", lambda: driver.click_button("UMANAGER", "Comment", message=proposal))
    counted("comment submitted", lambda: driver.submit_view("UMANAGER", {"comment": "Nice"}))
    counted(
        "Suggest clicked",
        lambda: driver.click_button("UMANAGER", "Suggest an edit", message=proposal),
    )
    driver.close_view("UMANAGER")
    counted(
        "Acknowledge clicked",
        lambda: driver.click_button("UMANAGER", "Acknowledge revision 1", message=proposal),
    )
    card = dm_with(bot, "UOWNER", "Edit plan")
    counted("Edit clicked", lambda: driver.click_button("UOWNER", "Edit plan", message=card))
    counted(
        "add a commitment",
        lambda: driver.click_button("UOWNER", "Add a commitment", view=slack.open_modal("UOWNER")),
    )
    driver.close_view("UOWNER")
    counted("/myplan edit", lambda: driver.slash_command("UOWNER", "edit"))
    driver.close_view("UOWNER")
    counted("/myplan", lambda: driver.slash_command("UOWNER"))
    counted("/myplan win", lambda: driver.slash_command("UOWNER", "win Closed Acme"))
    counted("/myplan @someone", lambda: driver.slash_command("UMANAGER", "<@UOWNER|dana>"))
    counted("/myplan team", lambda: driver.slash_command("UMANAGER", "team"))
    counted(
        "/myplan manager @someone",
        lambda: driver.slash_command("UPEER", "manager <@UMANAGER|sam>"),
    )
    counted(
        "/myplan team #channel", lambda: driver.slash_command("UPEER", "team <#CTEAM|sales-team>")
    )
    counted("/myplan help", lambda: driver.slash_command("UOWNER", "help"))
    counted("/myplan unknown", lambda: driver.slash_command("UOWNER", "sahre"))
    counted("/myplan share", lambda: driver.slash_command("UMANAGER", "share"))
    counted("App Home opened", lambda: driver.open_app_home("UOWNER"))
    counted("Share clicked", lambda: driver.click_button("UOWNER", "Share publicly", home=True))
    counted("/myplan unshare", lambda: driver.slash_command("UMANAGER", "unshare"))
    driver.slash_command("UMANAGER", "share")
    assert bot.runner.wait_idle(10)
    driver.open_app_home("UMANAGER")
    wait_until(lambda: "Unshare" in str(slack.home.get("UMANAGER")), message="Unshare")
    counted("Unshare clicked", lambda: driver.click_button("UMANAGER", "Unshare", home=True))

    # The weekly rhythm: the clock's tick, a check-in into its thread, a skip, away.
    counted(
        "tick (prompts)",
        lambda: run_due(
            services=bot.services, clients=lambda _team: web, now=LOS_ANGELES_PROMPT_AT
        ),
    )
    bot.now = LOS_ANGELES_PROMPT_AT
    counted("/myplan checkin", lambda: driver.slash_command("UOWNER", "checkin"))
    counted(
        "check-in submitted",
        lambda: driver.submit_view(
            "UOWNER",
            {
                "Discovery calls (calls in the week)": "27",
                "confidence": "4",
                "win": "Booked a demo",
            },
        ),
    )
    counted(
        "Check in clicked", lambda: driver.click_button("UPEER", "Check in", channel_id="CTEAM")
    )
    counted("/myplan skip", lambda: driver.slash_command("UMANAGER", "skip on holiday"))
    counted("/myplan away", lambda: driver.slash_command("UMANAGER", "away 2026-12-31"))

    # The review, and the message shortcut.
    counted("/myplan review", lambda: driver.slash_command("UOWNER", "review"))
    early = next(r for r in reversed(slack.responses) if "close it early" in r.get("text", ""))
    counted(
        "early review confirmed",
        lambda: driver.click_button_in("UOWNER", "Review now, early", blocks=early["blocks"]),
    )
    counted("review submitted", lambda: driver.submit_view("UOWNER", {"reflection": "Good"}))
    message = slack.post_as_user("CTEAM", "UPEER", "Great demo today, Dana!")
    counted(
        "shortcut",
        lambda: driver.message_shortcut("UOWNER", "save_to_plan", message),
    )
    counted("message saved", lambda: driver.submit_view("UOWNER", {}))

    # People change in Slack: a new time zone, then a leaver.
    slack.users["UPEER"].tz = "Europe/Paris"
    peer = slack.users["UPEER"]
    counted(
        "user_change",
        lambda: driver.event({"type": "user_change", "user": peer.to_dict(slack.team_id)}),
    )
    slack.users["UMANAGER"].deleted = True
    sam = slack.users["UMANAGER"]
    counted(
        "user_change (a leaver)",
        lambda: driver.event({"type": "user_change", "user": sam.to_dict(slack.team_id)}),
    )
    counted("app uninstalled", driver.app_uninstalled)

    no_database = {"/myplan help", "/myplan unknown", "add a commitment"}
    wrong = {}
    for name, counts in seen.items():
        expected_use_cases = 0 if name in no_database else 1
        if name.startswith("tick"):
            # The teams and what they owe (one), one use case for the team's
            # work, and (on the hour) the managers whose morning digest is due.
            expected_use_cases = 1 + 1 + 1
        if counts["use case"] != expected_use_cases:
            wrong[name] = dict(counts)
    assert not wrong, f"interactions that are not one use case in one transaction: {wrong}"
    # The outbox's own: the prompt's claims and sends, the reply in the thread.
    assert seen["tick (prompts)"]["outbox"] > 0
    assert seen["check-in submitted"]["outbox"] > 0
    assert seen["Unshare clicked"]["outbox"] > 0  # the deleted post, forgotten
    assert seen["user_change (a leaver)"]["outbox"] > 0  # the reports' notices
    reply = wait_until(lambda: [m for m in slack.channel_messages("CTEAM") if m.thread_ts])
    assert "Booked a demo" in reply[-1].text


def test_a_refused_post_and_its_notice_are_one_use_case_more(
    bot: Bot, transactions: Transactions
) -> None:
    """A prompt Slack refuses (the bot is not in the channel): the tick's two
    use cases (what the teams owe, the team's work), and one that finds who
    can fix it, before the notice is sent."""
    slack = bot.slack
    setup_team(bot, users=("UOWNER",))
    manage(bot, manager="UMANAGER", reports=("UOWNER",))
    slack.channels["CTEAM"].members.discard(slack.bot_user_id)
    web = make_client(Settings(slack_bot_token=slack.bot_token, slack_api_url=slack.api_url))
    counts = transactions.during(
        lambda: run_due(services=bot.services, clients=lambda _team: web, now=PROMPT_AT)
    )
    assert counts["use case"] == 1 + 1 + 1 + 1  # and the managers' morning digests, on the hour
    assert len(slack.dms("UMANAGER")) == 1
