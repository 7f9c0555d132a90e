"""myplan as a stranger installs it: the README's `pip install . && myplan run`,
over HTTP and over Socket Mode (SLACK_APP_TOKEN).

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


def myplan_env(slack: SlackEmulator, tmp_path: Path, **extra: str) -> dict[str, str]:
    """The process's environment: the loopback Slack's, nothing of the suite's."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'myplan.db'}",
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        **extra,
    }
    env.pop("PYTHONPATH", None)
    return env


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


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
    env = myplan_env(slack, tmp_path, PORT=str(port), WEB_CONCURRENCY="1")
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
        stop(process)


def test_the_installed_myplan_runs_over_socket_mode(slack: SlackEmulator, tmp_path: Path) -> None:
    """With SLACK_APP_TOKEN, `myplan run` connects out (no port to listen on):
    apps.connections.open with the app-level token, the WebSocket, and a
    /myplan help answered from an envelope."""
    myplan = executable()
    env = myplan_env(slack, tmp_path, SLACK_APP_TOKEN=slack.app_token)
    process = subprocess.Popen(
        [str(myplan), "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(
            lambda: slack.socket_mode.live() or process.poll() is not None,
            timeout=60,
            message="myplan run to connect over Socket Mode",
        )
        assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
        [opened] = slack.calls_to("apps.connections.open")
        assert opened.token == slack.app_token
        assert (tmp_path / "myplan.db").exists()  # migrated before connecting
        driver = SlackDriver(slack, transport="socket_mode")
        ack = driver.slash_command("UOWNER", "help")
        assert ack.status == 200
        assert [d.type for d in slack.socket_mode.deliveries.values()] == ["slash_commands"]
        reply = wait_until(lambda: slack.responses, timeout=15, message="the help reply")[0]
        assert "/myplan win" in str(reply)
    finally:
        stop(process)
