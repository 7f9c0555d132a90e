"""`myplan doctor`: a test per failed check, each with its fix, and a clean bill."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import doctor
from bot.db.migrate import upgrade
from bot.db.models import Team, Workspace
from bot.db.session import Database
from tests.slack_emulator import SlackEmulator


@pytest.fixture
def env(slack: SlackEmulator, tmp_path: Path) -> Iterator[dict[str, str]]:
    """A migrated database with one team in #sales-team and #leaders set: all is well."""
    url = f"sqlite:///{tmp_path / 'myplan.db'}"
    upgrade(url)
    database = Database(url)
    with database.sessions.begin() as session:
        workspace = Workspace(slack_team_id=slack.team_id, leaders_channel_id="CLEADERS")
        session.add(workspace)
        session.flush()
        session.add(
            Team(
                workspace_id=workspace.id,
                name="Sales",
                channel_id="CTEAM",
                timezone="America/New_York",
            )
        )
    yield {
        "DATABASE_URL": url,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
    }
    database.dispose()


def failures(env: dict[str, str]) -> list[doctor.Check]:
    return [check for check in doctor.run(env) if not check.ok]


def test_all_is_well(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    assert failures(env) == []
    assert doctor.main(env) == 0
    out = capsys.readouterr().out
    assert "ok    channel team Sales's channel" in out and out.endswith("Everything checks out.\n")


def test_settings(env: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    del env["SLACK_BOT_TOKEN"]
    [failed] = failures(env)
    assert failed.name == "settings" and "SLACK_BOT_TOKEN is not set" in failed.detail
    assert doctor.main(env) == 1
    assert capsys.readouterr().out.startswith("FAIL  settings: SLACK_BOT_TOKEN is not set")


def test_malformed_settings(env: dict[str, str]) -> None:
    [failed] = failures({**env, "WEB_CONCURRENCY": "abc"})
    assert failed.name == "settings" and "WEB_CONCURRENCY 'abc'" in failed.detail


def test_database_unreachable(env: dict[str, str]) -> None:
    [failed] = failures({**env, "DATABASE_URL": "postgresql://x@127.0.0.1:1/db"})
    assert failed.name == "database" and failed.fix == "check DATABASE_URL."


def test_database_not_migrated(env: dict[str, str], tmp_path: Path) -> None:
    [failed] = failures({**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"})
    assert failed.name == "database" and "run `myplan migrate`" in failed.detail


def test_token_refused(env: dict[str, str]) -> None:
    [failed] = failures({**env, "SLACK_BOT_TOKEN": "xoxb-wrong"})
    assert failed.name == "token" and "invalid_auth" in failed.detail
    assert "OAuth & Permissions" in failed.detail


def test_scopes_against_the_manifest(env: dict[str, str], slack: SlackEmulator) -> None:
    slack.grant((slack.bot_scopes - {"im:write"}) | {"users:read.email"})
    [failed] = failures(env)
    assert failed.name == "scopes"
    assert failed.detail == (
        "SLACK_BOT_TOKEN lacks im:write; has users:read.email, which myplan does not use."
    )
    assert "manifest.yml" in failed.fix and "reinstall" in failed.fix


def test_bot_not_in_the_team_channel(env: dict[str, str], slack: SlackEmulator) -> None:
    slack.channels["CTEAM"].members.discard(slack.bot_user_id)
    [failed] = failures(env)
    assert failed.detail == "team Sales's channel CTEAM: not_in_channel."
    assert failed.fix == "in <#CTEAM>, type `/invite @myplan`."


def test_bot_not_in_the_leaders_channel(env: dict[str, str], slack: SlackEmulator) -> None:
    slack.channels["CLEADERS"].members.discard(slack.bot_user_id)
    [failed] = failures(env)
    assert failed.detail == "the leaders channel CLEADERS: not_in_channel."
    assert "`/invite @myplan`" in failed.fix


def test_leaders_channel_not_set(env: dict[str, str]) -> None:
    database = Database(env["DATABASE_URL"])
    with database.sessions.begin() as session:
        session.query(Workspace).update({"leaders_channel_id": None})
    database.dispose()
    [failed] = failures(env)
    assert failed.detail == "the leaders channel is not set."
    assert failed.fix == "choose it with `/myplan settings`."


def test_a_channel_that_is_gone(env: dict[str, str], slack: SlackEmulator) -> None:
    del slack.channels["CTEAM"]
    [failed] = failures(env)
    assert failed.detail == "team Sales's channel CTEAM: channel_not_found."


def test_teams_without_a_time_zone_or_a_channel(env: dict[str, str]) -> None:
    database = Database(env["DATABASE_URL"])
    with database.sessions.begin() as session:
        session.query(Team).update({"timezone": "", "channel_id": ""})
    database.dispose()
    failed = failures(env)
    assert [check.name for check in failed] == ["channel team Sales's channel", "team Sales"]
    assert failed[1].detail == (
        "team Sales has no check-in channel and has no valid time zone (none)."
    )
    assert failed[1].fix == "set them with `/myplan settings` (an admin)."


def test_the_command(env: dict[str, str], tmp_path: Path, slack: SlackEmulator) -> None:
    slack.channels["CTEAM"].members.discard(slack.bot_user_id)
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "doctor"],
        cwd=tmp_path,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "FAIL  channel team Sales's channel: team Sales's channel CTEAM: not_in_channel." in (
        result.stdout
    )
    assert "Traceback" not in result.stderr
