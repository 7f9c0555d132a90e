"""``myplan forget --member U``: after it, no table and no message the bot left
in Slack holds anything the person wrote; their posts are deleted, others'
stay; one audit line is left, with no content."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
from sqlalchemy import select

from bot.cli_data import forget_command
from bot.config import Settings
from bot.db.base import Base
from bot.db.models import Erasure, Member, Workspace
from tests.scenarios.conftest import Bot
from tests.scenarios.test_rhythm import AT, setup_team, tick
from tests.slack_emulator import wait_until

# What Dana (UOWNER, Sam's report, Lee's manager) writes; and Lee (UPEER).
DANA = {
    "aspiration": "Dana-aspiration: run the EMEA desk",
    "win": "Dana-win: Acme signed",
    "logged": "Dana-logged: keynote at SaaStr",
    "blocker": "Dana-blocker: legal stalls",
    "comment": "Dana-comment: shadow me on the Initech call",
}
LEE_WIN = "Lee-win: renewal at Globex"
SCHEMA_FILE = Path(__file__).parents[2] / "bot" / "schemas" / "export.schema.json"


def check_in(bot: Bot, user: str, *, win: str, blocker: str = "") -> None:
    bot.driver.slash_command(user, "checkin")
    modal = wait_until(lambda: bot.slack.open_modal(user), message="the check-in modal")
    value = next(
        b["block_id"] for b in modal.view["blocks"] if b.get("block_id", "").startswith("value_")
    )
    state = {value: "21", "confidence": "4", "win": win, "blocker": blocker}
    assert bot.driver.submit_view(user, state).errors == {}


def everything_stored(bot: Bot) -> str:
    """Every column of every row of every table, as text."""
    with bot.db.sessions.begin() as session:
        return json.dumps(
            [
                [list(row) for row in session.execute(select(table))]
                for table in Base.metadata.sorted_tables
            ],
            default=str,
            ensure_ascii=False,
        )


def everything_in_slack(bot: Bot) -> str:
    """Every message the bot left in Slack (text, blocks, metadata), in every channel and DM."""
    kept: list[Any] = [
        [message.text, message.blocks, message.metadata]
        for messages in bot.slack.messages.values()
        for message in messages
        if message.user == bot.slack.bot_user_id
    ]
    return json.dumps(kept, ensure_ascii=False)


def members(bot: Bot) -> dict[str, int]:
    with bot.db.sessions.begin() as session:
        return {m.slack_user_id: m.id for m in session.scalars(select(Member))}


def dana_at_work(bot: Bot) -> None:
    """Dana proposes to Sam, comments on Lee's plan, shares as a leader, logs
    a win and checks in; Lee checks in too. Each leaves posts: DMs, the
    threads, the leaders channel."""
    slack, driver = bot.slack, bot.driver
    setup_team(bot, users=("UOWNER", "UMANAGER", "UPEER"))
    ids = members(bot)
    for report, manager in (("UOWNER", "UMANAGER"), ("UPEER", "UOWNER")):
        bot.services.members.set_manager(
            member_id=ids[report], manager_id=ids[manager], changed_by_id=ids[report], now=AT
        )
    with bot.db.sessions.begin() as session:
        session.scalars(select(Workspace)).one().leaders_channel_id = "CLEADERS"
    slack.channels["CLEADERS"].members.add(slack.bot_user_id)
    assert tick(bot, AT).sent["leaders-prompt"] == 1
    bot.now = AT + dt.timedelta(hours=1)

    driver.slash_command("UOWNER", "edit")
    wait_until(lambda: slack.open_modal("UOWNER"), message="the builder")
    driver.submit_view("UOWNER", {"aspiration": DANA["aspiration"]})
    wait_until(
        lambda: "Acknowledge revision 2" in str([m.blocks for m in slack.dms("UMANAGER")]),
        message="Sam asked to review Dana's plan",
    )
    # Lee proposes to Dana, who comments on Lee's plan: Lee gets it in a DM.
    driver.slash_command("UPEER", "edit")
    wait_until(lambda: slack.open_modal("UPEER"), message="Lee's builder")
    driver.submit_view("UPEER", {"aspiration": "Lee grows"})
    proposal = wait_until(
        lambda: next((m for m in slack.dms("UOWNER") if "waits for you" in m.text), None),
        message="Dana asked to review Lee's plan",
    )
    driver.click_button("UOWNER", "Comment", message=proposal)
    wait_until(lambda: slack.open_modal("UOWNER"), message="the comment modal")
    driver.submit_view("UOWNER", {"comment": DANA["comment"]})
    wait_until(lambda: DANA["comment"] in str([m.blocks for m in slack.dms("UPEER")]))
    driver.slash_command("UOWNER", f"win {DANA['logged']}")
    wait_until(lambda: slack.responses, message="the win logged")
    driver.slash_command("UOWNER", "share")
    wait_until(lambda: slack.channel_messages("CLEADERS", top_level=True)[1:], message="shared")
    check_in(bot, "UOWNER", win=DANA["win"], blocker=DANA["blocker"])
    check_in(bot, "UPEER", win=LEE_WIN)
    assert bot.runner.wait_idle(10)


def test_after_forget_nothing_of_the_person_is_stored_or_left_in_slack(bot: Bot) -> None:
    slack = bot.slack
    dana_at_work(bot)
    bot.driver.open_app_home("UOWNER")
    wait_until(lambda: DANA["aspiration"] in str(slack.home.get("UOWNER")), message="her Home")
    in_slack = everything_in_slack(bot)
    for wrote in DANA.values():  # where Dana's words went: the test would find them
        assert wrote in everything_stored(bot), wrote
    assert DANA["win"] in in_slack and DANA["aspiration"] in in_slack
    assert "checked in: uowner" in str([m.blocks for m in slack.messages["CLEADERS"]])

    settings = Settings(
        database_url=bot.db.engine.url.render_as_string(hide_password=False),
        slack_bot_token=slack.bot_token,
        slack_api_url=slack.api_url,
    )
    with_schema_of_the_models(bot)
    assert forget_command(settings, argparse.Namespace(member="UOWNER", workspace=None)) == 0

    stored, left = everything_stored(bot), everything_in_slack(bot)
    for wrote in DANA.values():
        assert wrote not in stored, wrote
        assert wrote not in left, wrote
    assert "UOWNER" not in members(bot)
    assert "holds nothing about you" in str(slack.home["UOWNER"])
    # Nor her name in the channels: the threads' parents are recounted without her.
    # (Lee's own card, in his DM, still says whom his plan waited for.)
    channels = str([[m.text, m.blocks] for c in ("CTEAM", "CLEADERS") for m in slack.messages[c]])
    assert "uowner" not in channels
    assert "1 of 2 checked in: upeer" in channels
    # Lee's check-in stays where it was: only Dana's went.
    assert LEE_WIN in stored and LEE_WIN in left
    assert not [c for c in slack.calls_to("chat.delete") if c.error]
    with bot.db.sessions.begin() as session:
        [line] = session.scalars(select(Erasure)).all()
        audit = [line.kind, line.slack_team_id, line.slack_user_id, line.requested_by]
        assert audit == ["forget", slack.team_id, "UOWNER", "myplan forget"]
        assert line.rows_deleted > 10 and line.posts_deleted >= 6 and line.posts_kept == 0


def with_schema_of_the_models(bot: Bot) -> None:
    """The scenario's database is made from the models, not migrated; the
    command checks the schema, so it is stamped at the newest migration."""
    from alembic import command

    from bot.db.migrate import alembic_config

    command.stamp(alembic_config(bot.db.engine.url.render_as_string(hide_password=False)), "head")


def test_myplan_export_sends_the_person_their_quarters_as_two_files(bot: Bot) -> None:
    """After the ack, the person's own data only: JSON valid against the
    documented schema, and their check-ins as CSV, in their DM."""
    slack = bot.slack
    dana_at_work(bot)
    bot.driver.slash_command("UOWNER", "export")
    reply = wait_until(
        lambda: [r for r in slack.responses if "Sent" in str(r.get("text"))], message="sent"
    )
    assert reply[0]["user"] == "UOWNER"
    dm = slack.dm_channel_id("UOWNER")
    by_name = {f.filename.rsplit(".", 1)[1]: f for f in slack.shared_files(dm)}
    document = json.loads(slack.file_bytes(by_name["json"].id))
    jsonschema.Draft202012Validator(
        json.loads(SCHEMA_FILE.read_text()), format_checker=jsonschema.FormatChecker()
    ).validate(document)
    assert document["scope"] == {
        "kind": "member",
        "slack_team_id": slack.team_id,
        "slack_user_id": "UOWNER",
    }
    text = json.dumps(document, ensure_ascii=False)
    assert all(wrote in text for wrote in DANA.values()) and LEE_WIN not in text
    rows = list(csv.DictReader(io.StringIO(slack.file_bytes(by_name["csv"].id).decode())))
    assert [(r["slack_user_id"], r["win"], r["value"]) for r in rows] == [
        ("UOWNER", DANA["win"], "21.0")
    ]
    [share] = [m for m in slack.dms("UOWNER") if m.files]
    assert "every quarter" in share.text and len(share.files or []) == 2
