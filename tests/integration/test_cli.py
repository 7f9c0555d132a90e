from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from bot.config import ENVIRONMENT


def myplan(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_help_lists_the_commands_and_the_environment(tmp_path: Path) -> None:
    result = myplan("--help", cwd=tmp_path)
    assert result.returncode == 0
    for command in ("run", "web", "clock", "tick", "doctor", "migrate"):
        assert f"    {command} " in result.stdout
    for name, _meaning in ENVIRONMENT:
        assert f"  {name} " in result.stdout, name
    assert "WEB_CONCURRENCY" in result.stdout and "DATABASE_URL" in result.stdout


def test_version(tmp_path: Path) -> None:
    result = myplan("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == f"myplan {metadata.version('myplan')}"


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("run", "Socket Mode when SLACK_APP_TOKEN is set"),
        ("web", "POST /slack/events"),
        ("clock", "Run the scheduler alone"),
        ("tick", "Run every scheduled job that is due at --now once"),
        ("migrate", "Upgrade the database named by DATABASE_URL"),
        ("doctor", "A checklist, each failure with its fix"),
    ],
)
def test_each_command_says_what_it_does(tmp_path: Path, command: str, says: str) -> None:
    result = myplan(command, "--help", cwd=tmp_path)
    assert result.returncode == 0
    assert says in " ".join(result.stdout.split())


def test_migrate_creates_the_default_sqlite_database(tmp_path: Path) -> None:
    result = myplan("migrate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "myplan.db") as connection:
        names = {
            row[0]
            for row in connection.execute("select name from sqlite_master where type='table'")
        }
    assert {"plans", "commitments", "checkins", "deliveries", "alembic_version"} <= names
    # Running it again is harmless.
    assert myplan("migrate", cwd=tmp_path).returncode == 0


def test_a_bad_database_url_is_one_sentence(tmp_path: Path) -> None:
    result = myplan("migrate", cwd=tmp_path, env={"DATABASE_URL": "nonsense"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "myplan: DATABASE_URL 'nonsense' is not a database URL: expected something like "
        "sqlite:///myplan.db or postgresql://user:password@host:5432/name."
    ]


def test_an_unreachable_database_is_one_sentence(tmp_path: Path) -> None:
    # Nothing listens on port 1; connection is refused at once.
    result = myplan("migrate", cwd=tmp_path, env={"DATABASE_URL": "postgresql://x@127.0.0.1:1/db"})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        "myplan: could not use the database named by DATABASE_URL"
    )
    assert "Traceback" not in result.stderr


def test_unknown_commands_are_refused(tmp_path: Path) -> None:
    result = myplan("frobnicate", cwd=tmp_path)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_migrate_on_each_database(tmp_path: Path, database_url: str) -> None:
    result = myplan("migrate", cwd=tmp_path, env={"DATABASE_URL": database_url})
    assert result.returncode == 0, result.stderr
    assert "is up to date" in result.stdout
