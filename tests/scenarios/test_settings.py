"""Who may change which settings, through Slack payloads: admins (Slack's, and
the settings admins they name) the whole, a team's lead that team's rhythm,
each right read from the database and Slack at the moment of the write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from bot.db.models import Member, Team, Workspace
from tests.scenarios.conftest import NOW, Bot
from tests.slack_emulator import wait_until
from tests.slack_emulator.driver import Ack


def member(bot: Bot, user: str, *, manager: str | None = None, team: int | None = None) -> int:
    ref = bot.services.members.ensure_member(
        slack_team_id=bot.slack.team_id, slack_user_id=user, display_name=user.lower()
    )
    bot.services.members.mark_onboarded(member_id=ref.id, now=NOW)
    if manager:
        boss = bot.services.members.ensure_member(
            slack_team_id=bot.slack.team_id, slack_user_id=manager
        )
        bot.services.members.set_manager(
            member_id=ref.id, manager_id=boss.id, changed_by_id=ref.id, now=NOW
        )
    if team is not None:
        bot.services.members.join_team(member_id=ref.id, team_id=team)
    return ref.id


def sales_team(bot: Bot) -> int:
    """#sales-team, led by Sam (UMANAGER), who manages Dana and Lee on it."""
    workspace = bot.services.members.ensure_workspace(slack_team_id=bot.slack.team_id)
    team = bot.services.members.configure_team(
        workspace_id=workspace, channel_id="CTEAM", timezone="America/New_York"
    )
    member(bot, "UMANAGER", team=team)
    member(bot, "UOWNER", manager="UMANAGER", team=team)
    member(bot, "UPEER", manager="UMANAGER", team=team)
    return team


def open_settings(bot: Bot, user: str) -> dict[str, Any]:
    bot.driver.slash_command(user, "settings")
    return wait_until(lambda: bot.slack.open_modal(user), message="the settings modal").view


def block_ids(view: dict[str, Any]) -> set[str]:
    return {block["block_id"] for block in view["blocks"] if block["type"] == "input"}


def row(bot: Bot, model: Any, **where: Any) -> Any:
    with bot.db.sessions.begin() as session:
        found = session.scalars(select(model).filter_by(**where)).one()
        session.expunge(found)
        return found


def forge(bot: Bot, user: str, values: dict[str, dict[str, Any]]) -> Ack:
    """A modified client's submission of the open settings modal: ``values``
    is its view.state, with whatever blocks the client chose to add."""
    slack = bot.slack
    open_view = slack.open_modal(user)
    assert open_view is not None
    payload = {
        "type": "view_submission",
        "team": {"id": slack.team_id, "domain": slack.team_domain},
        "user": {"id": user, "username": user, "name": user, "team_id": slack.team_id},
        "api_app_id": slack.app_id,
        "token": "verification_token",
        "trigger_id": slack.issue_trigger(user),
        "view": slack.view_payload(open_view, {"values": values}),
        "response_urls": [],
    }
    return bot.driver.post_payload(payload)


def test_an_admin_names_a_settings_admin_who_then_changes_settings(bot: Bot) -> None:
    sales_team(bot)
    member(bot, "ULEADER")  # a Slack workspace admin
    view = open_settings(bot, "ULEADER")
    assert "settings_admins" in block_ids(view)
    ack = bot.driver.submit_view("ULEADER", {"team_channel": "CTEAM", "settings_admins": ["UPEER"]})
    assert ack.errors == {}
    peer = row(bot, Member, slack_user_id="UPEER")
    leader = row(bot, Member, slack_user_id="ULEADER")
    assert peer.is_settings_admin and peer.settings_admin_by_id == leader.id
    assert peer.settings_admin_since is not None

    # Lee is no Slack admin, and leads no team: a settings admin all the same.
    view = open_settings(bot, "UPEER")
    assert {"fiscal_start_month", "stretch", "settings_admins"} <= block_ids(view)
    admins = next(b for b in view["blocks"] if b.get("block_id") == "settings_admins")
    assert admins["element"]["initial_users"] == ["UPEER"]
    ack = bot.driver.submit_view(
        "UPEER", {"fiscal_start_month": "2", "leaders_channel": "CLEADERS", "stretch": "15"}
    )
    assert ack.errors == {}
    workspace = row(bot, Workspace, slack_team_id=bot.slack.team_id)
    assert (workspace.fiscal_start_month, workspace.leaders_channel_id) == (2, "CLEADERS")
    assert workspace.default_stretch == 0.15
    assert row(bot, Team, channel_id="CTEAM").stretch == 0.15

    # Taken off the list, Lee may change nothing (and opens nothing) any more.
    open_settings(bot, "ULEADER")
    ack = bot.driver.submit_view("ULEADER", {"team_channel": "CTEAM", "settings_admins": []})
    assert ack.errors == {}
    assert not row(bot, Member, slack_user_id="UPEER").is_settings_admin
    bot.driver.slash_command("UPEER", "settings")
    wait_until(lambda: any("Only workspace admins" in str(r) for r in bot.slack.responses))


def test_a_member_who_is_no_admin_is_refused(bot: Bot) -> None:
    sales_team(bot)
    member(bot, "ULEADER")
    bot.driver.slash_command("UOWNER", "settings")
    refusal = wait_until(lambda: bot.slack.responses, message="the refusal")[0]
    assert "Only workspace admins and team leads" in str(refusal)
    assert bot.slack.open_modal("UOWNER") is None

    # Named a settings admin, Dana opens the settings; taken off the list
    # before she saves, her save is refused: rights are read at the write.
    open_settings(bot, "ULEADER")
    bot.driver.submit_view("ULEADER", {"team_channel": "CTEAM", "settings_admins": ["UOWNER"]})
    open_settings(bot, "UOWNER")
    open_settings(bot, "ULEADER")
    bot.driver.submit_view("ULEADER", {"team_channel": "CTEAM", "settings_admins": []})
    ack = bot.driver.submit_view(
        "UOWNER",
        {"fiscal_start_month": "4", "checkin_time": "06:00", "settings_admins": ["UOWNER"]},
    )
    assert set(ack.errors) == {"fiscal_start_month", "checkin_time", "settings_admins"}
    assert "Only workspace admins" in ack.errors["fiscal_start_month"]
    assert "this team's lead" in ack.errors["checkin_time"]
    assert not row(bot, Member, slack_user_id="UOWNER").is_settings_admin
    assert row(bot, Team, channel_id="CTEAM").checkin_time == dt.time(9)
    assert row(bot, Workspace, slack_team_id=bot.slack.team_id).fiscal_start_month == 1


def test_a_team_lead_changes_their_teams_time_but_not_the_workspace_stretch(bot: Bot) -> None:
    team = sales_team(bot)
    view = open_settings(bot, "UMANAGER")  # Sam leads #sales-team, and is no admin
    assert block_ids(view) == {
        "team_channel",
        "checkin_weekday",
        "checkin_time",
        "timezone",
        "team_holidays",
    }
    assert bot.driver.submit_view("UMANAGER", {"checkin_time": "10:30"}).errors == {}
    assert row(bot, Team, id=team).checkin_time == dt.time(10, 30)

    # A modified client adds the stretch to the lead's modal: refused on that field.
    open_settings(bot, "UMANAGER")
    ack = forge(
        bot,
        "UMANAGER",
        {
            "team_channel": {
                "input": {"type": "conversations_select", "selected_conversation": "CTEAM"}
            },
            "checkin_weekday": {
                "input": {
                    "type": "static_select",
                    "selected_option": {
                        "text": {"type": "plain_text", "text": "Monday"},
                        "value": "0",
                    },
                }
            },
            "checkin_time": {"input": {"type": "timepicker", "selected_time": "11:00"}},
            "timezone": {"input": {"type": "plain_text_input", "value": "America/New_York"}},
            "stretch": {"input": {"type": "plain_text_input", "value": "50"}},
        },
    )
    assert set(ack.errors) == {"stretch"}
    assert "Only workspace admins" in ack.errors["stretch"]
    assert row(bot, Team, id=team).checkin_time == dt.time(10, 30)  # nothing written
    assert row(bot, Workspace, slack_team_id=bot.slack.team_id).default_stretch == 0.10

    # The lead moves the team's check-ins to another channel.
    bot.slack.add_channel("CSALES2", "sales-checkins", members=["UMANAGER"])
    open_settings(bot, "UMANAGER")
    assert bot.driver.submit_view("UMANAGER", {"team_channel": "CSALES2"}).errors == {}
    assert row(bot, Team, id=team).channel_id == "CSALES2"


def test_a_slack_admin_demoted_between_opening_and_submitting_is_refused(bot: Bot) -> None:
    sales_team(bot)
    member(bot, "ULEADER")
    view = open_settings(bot, "ULEADER")
    assert "stretch" in block_ids(view)
    bot.slack.users["ULEADER"].is_admin = False  # demoted in Slack, the modal still open
    ack = bot.driver.submit_view(
        "ULEADER",
        {
            "team_channel": "CTEAM",
            "timezone": "America/New_York",
            "stretch": "20",
            "leaders_channel": "CLEADERS",
        },
    )
    assert set(ack.errors) == {"stretch", "leaders_channel"}
    workspace = row(bot, Workspace, slack_team_id=bot.slack.team_id)
    assert (workspace.default_stretch, workspace.leaders_channel_id) == (0.10, None)
    assert not row(bot, Member, slack_user_id="ULEADER").is_slack_admin


def test_the_calendar_settings_are_saved_or_refused_on_their_field(bot: Bot) -> None:
    sales_team(bot)
    member(bot, "ULEADER")  # a Slack workspace admin
    view = open_settings(bot, "ULEADER")
    shown = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert shown["review_window_days"]["element"]["initial_value"] == "5"
    assert shown["grace_days"]["element"]["initial_value"] == "14"
    assert shown["working_days"]["element"]["initial_value"] == "Mon-Fri"
    ack = bot.driver.submit_view(
        "ULEADER",
        {
            "team_channel": "CTEAM",
            "review_window_days": "0",
            "grace_days": "two weeks",
            "working_days": "Mon-Funday",
            "holidays": "Dec 25",
            "team_holidays": "2026-13-01",
        },
    )
    assert set(ack.errors) == {
        "review_window_days",
        "grace_days",
        "working_days",
        "holidays",
        "team_holidays",
    }
    assert "1 to 20" in ack.errors["review_window_days"]
    assert "'mon-funday' is not a day" in ack.errors["working_days"]
    assert row(bot, Workspace, slack_team_id=bot.slack.team_id).grace_days == 14

    ack = bot.driver.submit_view(
        "ULEADER",
        {
            "team_channel": "CTEAM",
            "review_window_days": "3",
            "grace_days": "7",
            "working_days": "Sun-Thu",
            "holidays": "2026-12-25, 2027-01-01",
            "team_holidays": "2026-12-24",
        },
    )
    assert ack.errors == {}
    workspace = row(bot, Workspace, slack_team_id=bot.slack.team_id)
    assert (workspace.review_window_days, workspace.grace_days) == (3, 7)
    assert (workspace.working_days, workspace.holidays) == ("0,1,2,3,6", "2026-12-25,2027-01-01")
    assert row(bot, Team, channel_id="CTEAM").holidays == "2026-12-24"

    # A team's lead keeps the team's holidays; the workspace's calendar is the admins'.
    view = open_settings(bot, "UMANAGER")
    team_holidays = next(b for b in view["blocks"] if b.get("block_id") == "team_holidays")
    assert team_holidays["element"]["initial_value"] == "2026-12-24"
    ack = bot.driver.submit_view("UMANAGER", {"team_holidays": "2026-12-24, 2026-12-31"})
    assert ack.errors == {}
    assert row(bot, Team, channel_id="CTEAM").holidays == "2026-12-24,2026-12-31"
    open_settings(bot, "UMANAGER")
    ack = forge(
        bot,
        "UMANAGER",
        {
            "team_channel": {
                "input": {"type": "conversations_select", "selected_conversation": "CTEAM"}
            },
            "grace_days": {"input": {"type": "plain_text_input", "value": "1"}},
        },
    )
    assert "Only workspace admins" in ack.errors["grace_days"]
