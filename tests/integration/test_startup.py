"""Start-up says what is wrong, once (PRODUCT section 6): one sentence naming the
variable and the fix, a non-zero exit, no traceback, and nothing migrated or
started before the checks pass."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from bot.app import create_app
from bot.config import Settings
from bot.db.migrate import head_revision, upgrade
from bot.db.session import Database
from bot.web import wsgi_app
from tests.slack_emulator import SlackEmulator, serve_wsgi


def myplan(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_URL", "WEB_CONCURRENCY", "PORT"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    """The refusal: a non-zero exit and exactly one line, a sentence, on stderr."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("myplan: ") and lines[0].endswith(".")
    return lines[0]


def slack_env(slack: SlackEmulator, tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'myplan.db'}",
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        **extra,
    }


@pytest.mark.parametrize("command", ["run", "web"])
def test_every_missing_variable_at_once_and_nothing_migrated(tmp_path: Path, command: str) -> None:
    line = one_sentence(myplan(command, cwd=tmp_path))
    assert line.startswith("myplan: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set:")
    assert "Basic Information" in line and "SLACK_CLIENT_ID" in line
    assert not (tmp_path / "myplan.db").exists()  # run migrated nothing


def test_the_clock_needs_only_a_token(tmp_path: Path) -> None:
    line = one_sentence(myplan("clock", cwd=tmp_path))
    assert line.startswith("myplan: SLACK_BOT_TOKEN is not set:")


def test_half_an_oauth_pair(tmp_path: Path) -> None:
    line = one_sentence(myplan("web", cwd=tmp_path, env={"SLACK_CLIENT_ID": "1.2"}))
    assert "SLACK_CLIENT_SECRET is not set" in line


def test_every_malformed_value_at_once(tmp_path: Path) -> None:
    line = one_sentence(
        myplan("run", cwd=tmp_path, env={"PORT": "eighty", "SLACK_BOT_TOKEN": "xoxp-user"})
    )
    assert "SLACK_BOT_TOKEN should start with xoxb-" in line
    assert "PORT 'eighty' is not a TCP port" in line
    assert not (tmp_path / "myplan.db").exists()


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1000"])
def test_web_concurrency_is_a_number_of_processes(tmp_path: Path, value: str) -> None:
    line = one_sentence(myplan("web", cwd=tmp_path, env={"WEB_CONCURRENCY": value}))
    assert line == (
        f"myplan: WEB_CONCURRENCY {value!r} is not a number of web processes: expected a "
        "whole number from 1 to 32, like 2, or leave it unset for the default."
    )


@pytest.mark.parametrize("command", ["run", "web", "clock"])
def test_an_invalid_token(slack: SlackEmulator, tmp_path: Path, command: str) -> None:
    env = slack_env(slack, tmp_path, SLACK_BOT_TOKEN="xoxb-not-a-real-token")
    line = one_sentence(myplan(command, cwd=tmp_path, env=env))
    assert line.startswith("myplan: Slack refused SLACK_BOT_TOKEN (invalid_auth):")
    assert "OAuth & Permissions" in line
    assert not (tmp_path / "myplan.db").exists()


def test_slack_unreachable(slack: SlackEmulator, tmp_path: Path) -> None:
    env = slack_env(slack, tmp_path, SLACK_API_URL="http://127.0.0.1:1/api/")
    line = one_sentence(myplan("run", cwd=tmp_path, env=env))
    assert line.startswith(
        "myplan: Slack could not be reached at SLACK_API_URL http://127.0.0.1:1/api/ ("
    )
    assert not (tmp_path / "myplan.db").exists()


@pytest.mark.parametrize("command", ["web", "clock"])
def test_an_unmigrated_database_is_refused(
    slack: SlackEmulator, tmp_path: Path, command: str
) -> None:
    line = one_sentence(myplan(command, cwd=tmp_path, env=slack_env(slack, tmp_path)))
    assert "has no myplan schema yet: run `myplan migrate`" in line


def test_an_old_schema_is_refused(slack: SlackEmulator, tmp_path: Path) -> None:
    env = slack_env(slack, tmp_path)
    upgrade(env["DATABASE_URL"], "0001")
    line = one_sentence(myplan("web", cwd=tmp_path, env=env))
    assert f"is at schema 0001, not {head_revision()}" in line and "`myplan migrate`" in line


def test_an_unreachable_database_at_start(slack: SlackEmulator, tmp_path: Path) -> None:
    env = slack_env(slack, tmp_path, DATABASE_URL="postgresql://x@127.0.0.1:1/db")
    line = one_sentence(myplan("web", cwd=tmp_path, env=env))
    assert line.startswith("myplan: could not use the database named by DATABASE_URL")


# -- /healthz ---------------------------------------------------------------


def get(url: str, method: str = "GET") -> tuple[int, bytes]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def serve_health(slack: SlackEmulator, database_url: str) -> tuple[Database, object]:
    settings = Settings(
        database_url=database_url,
        slack_bot_token=slack.bot_token,
        slack_signing_secret=slack.signing_secret,
        slack_api_url=slack.api_url,
    )
    db = Database(database_url)
    return db, wsgi_app(create_app(settings, db=db), db, signing_secret=slack.signing_secret)


def test_healthz_reports_the_database_and_its_schema(
    slack: SlackEmulator, database_url: str
) -> None:
    import json

    db, application = serve_health(slack, database_url)
    with serve_wsgi(application) as url:  # type: ignore[arg-type]
        status, body = get(f"{url}/healthz")
        assert status == 503
        assert json.loads(body)["schema"] is None and json.loads(body)["database"] == "up"
        upgrade(database_url)
        status, body = get(f"{url}/healthz")
        assert status == 200
        assert json.loads(body) == {
            "ok": True,
            "database": "up",
            "schema": head_revision(),
            "head": head_revision(),
        }
        status, body = get(f"{url}/healthz", method="HEAD")
        assert (status, body) == (200, b"")
    db.dispose()


def test_healthz_is_503_when_the_database_is_down(slack: SlackEmulator) -> None:
    import json

    db, application = serve_health(slack, "postgresql://x@127.0.0.1:1/db")
    with serve_wsgi(application) as url:  # type: ignore[arg-type]
        status, body = get(f"{url}/healthz")
        assert status == 503 and json.loads(body)["database"] == "down"
        assert get(f"{url}/healthz", method="HEAD") == (503, b"")
    db.dispose()


# -- reinstalled (one workspace) ----------------------------------------------


def test_a_start_with_a_token_slack_accepts_resumes_an_uninstalled_workspace(
    slack: SlackEmulator, tmp_path: Path
) -> None:
    """Reinstalling the app gives a new bot token, which needs a restart: the
    start's auth.test proves the app is installed in that workspace again."""
    import datetime as dt
    import time

    from bot.db.models import Workspace

    env = slack_env(slack, tmp_path)
    upgrade(env["DATABASE_URL"])
    db = Database(env["DATABASE_URL"])
    with db.sessions.begin() as session:
        session.add(
            Workspace(slack_team_id=slack.team_id, uninstalled_at=dt.datetime(2026, 11, 24))
        )

    def uninstalled_at() -> dt.datetime | None:
        with db.sessions.begin() as session:
            return session.query(Workspace).one().uninstalled_at

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    clock = subprocess.Popen(
        [sys.executable, "-m", "bot", "clock"],
        cwd=tmp_path,
        env={**clean, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while uninstalled_at() is not None and time.monotonic() < deadline:
            assert clock.poll() is None, clock.stderr.read() if clock.stderr else ""
            time.sleep(0.2)
        assert uninstalled_at() is None
    finally:
        clock.terminate()
        clock.wait(timeout=30)
        db.dispose()
    assert [call.method for call in slack.calls][:1] == ["auth.test"]
