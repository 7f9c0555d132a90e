"""`myplan web` as a real process: a signed request, /healthz, a forged signature."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.slack_emulator import SlackDriver, SlackEmulator, wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def test_myplan_web_serves_slack_and_health(slack: SlackEmulator, tmp_path: Path) -> None:
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "PORT": str(port),
    }
    assert (
        subprocess.run(
            [sys.executable, "-m", "bot", "migrate"], env=env, capture_output=True, timeout=120
        ).returncode
        == 0
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "web"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: healthy(url) or process.poll() is not None, timeout=30, message="/healthz"
        )
        assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
        driver = SlackDriver(slack, url)
        assert driver.slash_command("UOWNER", "help").status == 200
        reply = wait_until(lambda: slack.responses, message="the help reply")[0]
        assert "/myplan win" in str(reply)
        forged = driver.post(
            "command=%2Fmyplan&text=help",
            "application/x-www-form-urlencoded",
            signature="v0=" + "f" * 64,
        )
        assert forged.status == 401
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_web_without_credentials_is_one_sentence(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "web"],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith(
        "myplan: SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are not set"
    )
    assert "Traceback" not in result.stderr
