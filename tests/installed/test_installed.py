"""myplan as a stranger installs it: the README's `pip install . && myplan run`.

CI (.ci/run) installs the wheel into a fresh virtualenv, not editable, and
runs this module with MYPLAN_EXECUTABLE pointing at that virtualenv's
``myplan``; everywhere else it runs the ``myplan`` next to this Python (the
dev install), so the suite keeps the path honest too. The process runs in an
empty directory, so nothing (migrations included) can come from the checkout.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.slack_emulator import SlackDriver, SlackEmulator, wait_until

pytestmark = pytest.mark.installed
REPO = Path(__file__).resolve().parents[2]


def executable() -> Path:
    named = os.environ.get("MYPLAN_EXECUTABLE")
    return Path(named) if named else Path(sys.executable).parent / "myplan"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def health(url: str) -> dict[str, object] | None:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return dict(json.loads(response.read()))
    except (OSError, ValueError):
        return None


def test_the_installed_myplan_migrates_serves_and_answers(
    slack: SlackEmulator, tmp_path: Path
) -> None:
    myplan = executable()
    assert myplan.exists(), f"no myplan at {myplan}"
    if os.environ.get("MYPLAN_EXECUTABLE"):
        # The wheel's own copy, not the checkout.
        where = subprocess.run(
            [str(myplan.parent / "python"), "-c", "import bot; print(bot.__file__)"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert not where.startswith(str(REPO)), where
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'myplan.db'}",
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    env.pop("PYTHONPATH", None)
    migrated = subprocess.run(
        [str(myplan), "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert migrated.returncode == 0, migrated.stderr
    assert "is up to date" in migrated.stdout
    # The README's run command: HTTP mode (no SLACK_APP_TOKEN), scheduler included.
    process = subprocess.Popen(
        [str(myplan), "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        status = wait_until(
            lambda: health(url) or process.poll() is not None, timeout=60, message="/healthz"
        )
        assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
        assert isinstance(status, dict) and status["ok"] is True, status
        driver = SlackDriver(slack, url)
        assert driver.slash_command("UOWNER", "help").status == 200
        reply = wait_until(lambda: slack.responses, timeout=15, message="the help reply")[0]
        assert "/myplan win" in str(reply)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
