"""On a laptop without PostgreSQL the suite says so in one line and stops."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pytest_run(**env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/unit/test_quarters.py",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_postgresql_one_line_and_nothing_runs() -> None:
    result = pytest_run(
        MYPLAN_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:1/test",
        MYPLAN_TEST_DATABASES="sqlite,postgresql",
    )
    assert result.returncode != 0
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(
        "ERROR: PostgreSQL at postgresql+psycopg://postgres@127.0.0.1:1/test"
    )
    assert lines[0].endswith("or run SQLite alone with MYPLAN_TEST_DATABASES=sqlite.")


def test_sqlite_alone_needs_no_postgresql() -> None:
    result = pytest_run(
        MYPLAN_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:1/test",
        MYPLAN_TEST_DATABASES="sqlite",
    )
    assert result.returncode == 0, result.stdout
