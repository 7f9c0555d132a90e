"""A bare Bolt app that only acks, served exactly as `myplan web` is: the baseline.

As Bolt comes, it acks from its listener executor and finds the ack by
polling every 10 ms. With BARE_ACK_IN_REQUEST_THREAD=1 it acks in the
request's thread instead (Bolt's process_before_response): the floor of
what Bolt and gunicorn cost, for comparison.
"""

from __future__ import annotations

import os
import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.web import serve


def build() -> App:
    app = App(
        client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=os.environ.get("BARE_ACK_IN_REQUEST_THREAD") == "1",
    )

    @app.command("/myplan")
    def command(ack: Ack) -> None:
        ack()

    @app.action(re.compile(".*"))
    def action(ack: Ack, body: dict[str, Any]) -> None:
        ack()

    @app.event("app_home_opened")
    def home_opened(ack: Ack) -> None:
        ack()

    @app.view(re.compile(".*"))
    def submitted(ack: Ack) -> None:
        ack()

    return app


if __name__ == "__main__":
    from slack_bolt.adapter.wsgi import SlackRequestHandler

    serve(SlackRequestHandler(build()), port=int(os.environ["PORT"]))
