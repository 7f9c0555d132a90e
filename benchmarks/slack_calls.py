"""What one Web API call costs the bot: kept-alive connections against slack_sdk's urllib.

The loopback Slack answers in a process of its own (limits off), over plain
HTTP and then over HTTPS (a self-signed certificate made for the run with
``openssl``), as slack.com is. One thread posts ``--calls`` DMs through the
bot's client (bot/slack_http.py, one pooled connection) and then through
slack_sdk's own WebClient (a new connection, and over HTTPS a new TLS
handshake, a call); for each: the calling thread's CPU a call and the wall
time a call. Loopback has no network round trips: against slack.com each
handshake also costs one or two of them, which this does not measure.

Run: python -m benchmarks.slack_calls [--calls 1000]
"""

from __future__ import annotations

import argparse
import ssl
import statistics
import subprocess
import tempfile
import time
from multiprocessing.managers import BaseManager
from pathlib import Path
from typing import Any

from slack_sdk import WebClient

from benchmarks.ack_latency import BenchSlack
from bot.slack_http import PooledWebClient
from tests.slack_emulator import RateLimits

USER = "UBENCH"


class TlsSlack(BenchSlack):
    def serve_tls(self, certfile: str, keyfile: str) -> None:
        self.start(tls=(certfile, keyfile))


class TlsSlackProcess(BaseManager):
    pass


TlsSlackProcess.register(
    "TlsSlack", TlsSlack, exposed=("serve", "serve_tls", "describe", "add_user", "stop")
)


def measure(client: WebClient, *, calls: int) -> tuple[float, float, float]:
    """CPU ms a call (this thread), wall ms a call: p50 and p99."""
    walls = []
    cpu_started = time.thread_time()
    for n in range(calls):
        started = time.perf_counter()
        client.chat_postMessage(channel=USER, text=f"message {n}")
        walls.append(time.perf_counter() - started)
    cpu = (time.thread_time() - cpu_started) / calls
    walls.sort()
    return cpu * 1000, statistics.median(walls) * 1000, walls[int(0.99 * len(walls))] * 1000


def certificate(directory: Path) -> tuple[str, str]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return str(cert), str(key)


def compare(slack: Any, *, calls: int, tls: ssl.SSLContext | None) -> None:
    described = slack.describe()
    url, token = described["api_url"], described["bot_token"]
    clients = {
        "kept-alive (bot/slack_http.py)": PooledWebClient(token=token, base_url=url, ssl=tls),
        "slack_sdk's urllib, a connection a call": WebClient(token=token, base_url=url, ssl=tls),
    }
    for _ in range(2):  # the second round is the one printed: both warmed up
        figures = {name: measure(client, calls=calls) for name, client in clients.items()}
    print(f"{'HTTPS' if tls else 'HTTP'}, {calls} calls each")
    for name, (cpu, p50, p99) in figures.items():
        print(f"  {name:42} CPU {cpu:.3f} ms a call, wall p50 {p50:.3f} ms, p99 {p99:.3f} ms")
    base, ours = (figures[name][0] for name in reversed(clients))
    print(f"  CPU a call, kept-alive against a connection a call: {ours / base:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1000)
    args = parser.parse_args()
    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    with tempfile.TemporaryDirectory() as directory:
        cert, key = certificate(Path(directory))
        for tls in (None, ssl.create_default_context(cafile=cert)):
            manager = TlsSlackProcess()
            manager.start()
            try:
                slack: Any = manager.TlsSlack(limits=RateLimits(enabled=False))  # type: ignore[attr-defined]
                if tls is None:
                    slack.serve()
                else:
                    slack.serve_tls(cert, key)
                slack.add_user(USER, "bench")
                compare(slack, calls=args.calls, tls=tls)
            finally:
                manager.shutdown()


if __name__ == "__main__":
    main()
