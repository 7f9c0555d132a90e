"""The HTTP front: POST /slack/events for Bolt, GET /healthz, served by gunicorn."""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.db.migrate import current_revision, head_revision
from bot.db.session import DEFAULT_WEB_CONCURRENCY, Database
from bot.edge import SlackEvents

StartResponse = Callable[..., Any]


def wsgi_app(
    app: App, db: Database, *, signing_secret: str
) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    """Slack's events behind the request edge (bot/edge.py: the signature,
    then the payload's shape, before Bolt), the OAuth routes, /healthz."""
    events = SlackEvents(app, signing_secret=signing_secret)
    bolt = SlackRequestHandler(app)
    head = head_revision()

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/slack/events" and method == "POST":
            return events(environ, start_response)
        if (
            app.oauth_flow is not None
            and method == "GET"
            and path
            in (
                app.oauth_flow.install_path,
                app.oauth_flow.redirect_uri_path,
            )
        ):
            return bolt(environ, start_response)
        if path == "/healthz" and method in ("GET", "HEAD"):
            status, body = health()
            return _json(start_response, status, body=body, head=method == "HEAD")
        return _json(start_response, "404 Not Found", body={"ok": False, "error": "not_found"})

    def health() -> tuple[str, dict[str, Any]]:
        """The database and its schema: healthy only when reachable and at head."""
        try:
            schema = current_revision(db.engine)
        except Exception:  # any database failure makes the process unhealthy
            return "503 Service Unavailable", {
                "ok": False,
                "database": "down",
                "schema": None,
                "head": head,
            }
        ok = schema == head
        body = {"ok": ok, "database": "up", "schema": schema, "head": head}
        if not ok:
            body["error"] = "schema_not_at_head: run `myplan migrate`"
        return ("200 OK" if ok else "503 Service Unavailable"), body

    return application


def _json(
    start_response: StartResponse, status: str, *, body: dict[str, Any], head: bool = False
) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    # HEAD: the same status and headers as GET, without the body.
    return [] if head else [payload]


def serve(
    application: Callable[..., Any], *, port: int, workers: int | None = None, threads: int = 16
) -> None:
    """Run ``application`` under gunicorn with threads, so acks are never queued
    behind the slow work listeners do after acking."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{port}")
            # WEB_CONCURRENCY (checked by bot.config) is the usual knob on
            # PaaS hosts; by default gunicorn's advice of 2 x cores + 1, at
            # most DEFAULT_WEB_CONCURRENCY so that the processes' pools fit
            # PostgreSQL's default max_connections (bot/db/session.py).
            # Measured: p99 ack 441 ms with 1 process, 75-93 ms with 4-5, on
            # 2 cores at 20 concurrent clients.
            default = min(DEFAULT_WEB_CONCURRENCY, 2 * (os.cpu_count() or 1) + 1)
            self.cfg.set("workers", workers or default)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("timeout", 60)
            self.cfg.set("accesslog", None)

        def load(self) -> Callable[..., Any]:
            return application

    # Acks are short and the work after them is long: hand the GIL around every
    # 0.5 ms instead of 5 ms, so an ack is not kept waiting a full slice by
    # every busy thread.
    sys.setswitchinterval(0.0005)
    # Everything built so far (modules, the app, SQLAlchemy's mappers) lives
    # as long as the process: out of the collector's sight, so that a full
    # collection in a worker looks only at what its requests made. Measured
    # (benchmarks.wait_times): each full collection of a worker paused every
    # thread for 60-370 ms, three times in a minute of load.
    gc.collect()  # what startup left as garbage goes first: frozen, it would stay
    gc.freeze()
    Server().run()
