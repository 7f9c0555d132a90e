"""The HTTP front: POST /slack/events for Bolt, GET /healthz, served by gunicorn."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from bot.db.session import Database

StartResponse = Callable[..., Any]


def wsgi_app(app: App, db: Database) -> Callable[[dict[str, Any], StartResponse], Iterable[bytes]]:
    bolt = SlackRequestHandler(app)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/slack/events" and method == "POST":
            return bolt(environ, start_response)
        if path == "/healthz" and method in ("GET", "HEAD"):
            try:
                with db.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
            except Exception:  # any database failure makes the process unhealthy
                return _json(
                    start_response, "503 Service Unavailable", {"ok": False, "database": "down"}
                )
            return _json(start_response, "200 OK", {"ok": True})
        return _json(start_response, "404 Not Found", {"ok": False, "error": "not_found"})

    return application


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    payload = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
    )
    return [payload]


def serve(
    application: Callable[..., Any], *, port: int, workers: int = 1, threads: int = 16
) -> None:
    """Run ``application`` under gunicorn with threads, so acks are never queued
    behind the slow work listeners do after acking."""
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no types
        def load_config(self) -> None:
            self.cfg.set("bind", f"0.0.0.0:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", threads)
            self.cfg.set("timeout", 60)
            self.cfg.set("accesslog", None)

        def load(self) -> Callable[..., Any]:
            return application

    Server().run()
