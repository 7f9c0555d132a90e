"""How many simple Web API calls a second the loopback Slack answers.

Goal (the emulator issue): at least 500 calls/s on one core with limits off,
so that it is never the bottleneck when it stands in for Slack under load.
Run: python -m benchmarks.emulator_throughput [--calls N] [--clients N]
"""

from __future__ import annotations

import argparse
import os
import threading
import time

from slack_sdk import WebClient

from tests.slack_emulator import RateLimits, SlackEmulator


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core for server and clients
    slack = SlackEmulator(limits=RateLimits(enabled=False)).start()
    slack.add_channel("CBENCH", "bench")
    per_client = args.calls // args.clients

    def work(kind: str) -> None:
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        for i in range(per_client):
            if kind == "auth":
                client.auth_test()
            else:
                client.chat_postMessage(channel="CBENCH", text=f"message {i}")

    for kind in ("auth", "post"):
        threads = [threading.Thread(target=work, args=(kind,)) for _ in range(args.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        total = per_client * args.clients
        rate = total / elapsed
        method = "auth.test" if kind == "auth" else "chat.postMessage"
        verdict = "ok" if rate >= 500 else "BELOW GOAL"
        print(
            f"{method:18} {total} calls in {elapsed:.2f}s = {rate:,.0f} calls/s on one core "
            f"(goal >= 500: {verdict})"
        )
    slack.stop()


if __name__ == "__main__":
    main()
