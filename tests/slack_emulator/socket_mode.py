"""Slack's Socket Mode side, on loopback: a WebSocket server the app connects out to.

As Slack does it: ``apps.connections.open`` (with the app-level token) hands
out a single-use ``ws://`` URL; on connecting, the app hears ``hello``; then
every slash command, interaction and event comes as an envelope
(``slash_commands``, ``interactive``, ``events_api``) with an
``envelope_id``, and Slack waits for the app to send that id back, with the
response ``payload`` (a view_submission's ``response_action``) where the
envelope ``accepts_response_payload``. Slack may ask the app to reconnect
(``disconnect``) or simply drop the socket; a good client then calls
``apps.connections.open`` again and connects anew.

Served with ``websockets``' threaded server: no event loop to share with the
tests, and the frames, pings and close handshake are its, not ours.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.sync.server import Server, ServerConnection, serve

# What the envelope's type is for each kind of request Slack would otherwise POST.
ENVELOPE_TYPES = ("slash_commands", "interactive", "events_api")
# Interactions whose ack can carry a response (a submission's response_action,
# a select's options); clicks and shortcuts are acked empty.
RESPONDING_INTERACTIONS = ("view_submission", "block_suggestion")
TICKET_TTL = 30.0  # a URL from apps.connections.open is good for a short while, once


@dataclass
class Delivery:
    """One envelope sent, and what came back for it."""

    envelope_id: str
    type: str
    payload: dict[str, Any]
    sent: float  # perf_counter
    acked: threading.Event = field(default_factory=threading.Event)
    response: dict[str, Any] | None = None  # the ack's payload, if it had one
    seconds: float | None = None  # from sending to the ack


@dataclass
class SocketConnection:
    """One app connection: opened with a ticket, told hello."""

    ticket: str
    websocket: ServerConnection
    opened: float
    closed: threading.Event = field(default_factory=threading.Event)


class SocketModeServer:
    """The WebSocket side of one emulated workspace (``slack.socket_mode``)."""

    def __init__(self, *, app_id: str, clock: Any = time.monotonic) -> None:
        self.app_id = app_id
        self.clock = clock
        self.connections: list[SocketConnection] = []  # every one ever opened, oldest first
        self.deliveries: dict[str, Delivery] = {}
        self.refused: list[str] = []  # handshakes refused, and why
        self.received: list[dict[str, Any]] = []  # everything the app sent, acks included
        self._tickets: dict[str, float] = {}  # ticket -> issued
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> None:
        with self._lock:
            if self._server is not None:
                return
            self._server = serve(
                self._serve,
                "127.0.0.1",
                0,
                process_request=self._check_ticket,
                compression=None,
                close_timeout=1,
            )
            self._thread = threading.Thread(
                target=self._server.serve_forever, name="socket-mode", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._server is not None, "the Socket Mode server is not started"
        return int(self._server.socket.getsockname()[1])

    # -- apps.connections.open -----------------------------------------------

    def issue_url(self) -> str:
        """A fresh single-use WebSocket URL, as apps.connections.open answers."""
        self.start()
        ticket = secrets.token_hex(8)
        with self._lock:
            self._tickets[ticket] = self.clock()
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={self.app_id}"

    def _check_ticket(self, connection: ServerConnection, request: Request) -> Response | None:
        ticket = (parse_qs(urlsplit(request.path).query).get("ticket") or [""])[0]
        with self._lock:
            issued = self._tickets.pop(ticket, None)
            if issued is None or self.clock() - issued > TICKET_TTL:
                self.refused.append(f"ticket {ticket!r} unknown, used or expired")
                return connection.respond(401, "Unauthorized: call apps.connections.open\n")
        connection.ticket = ticket  # type: ignore[attr-defined]
        return None

    # -- a connection's life -------------------------------------------------

    def _serve(self, websocket: ServerConnection) -> None:
        link = SocketConnection(
            ticket=getattr(websocket, "ticket", ""), websocket=websocket, opened=self.clock()
        )
        with self._changed:
            self.connections.append(link)
            live = sum(1 for c in self.connections if not c.closed.is_set())
        try:
            websocket.send(json.dumps(self._hello(live)))
            with self._changed:
                self._changed.notify_all()
            for raw in websocket:
                self._received(raw)
        except ConnectionClosed:
            pass
        finally:
            link.closed.set()
            with self._changed:
                self._changed.notify_all()

    def _hello(self, live: int) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": live,
            "debug_info": {
                "host": "applink-emulator",
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": self.app_id},
        }

    def _received(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
        except ValueError:
            return
        if not isinstance(message, dict):
            return
        with self._lock:
            self.received.append(message)
            delivery = self.deliveries.get(str(message.get("envelope_id", "")))
        if delivery is None or delivery.acked.is_set():
            return
        payload = message.get("payload")
        delivery.response = dict(payload) if isinstance(payload, Mapping) and payload else None
        delivery.seconds = time.perf_counter() - delivery.sent
        delivery.acked.set()

    # -- what the driver and tests use ---------------------------------------

    def live(self) -> list[SocketConnection]:
        with self._lock:
            return [c for c in self.connections if not c.closed.is_set()]

    def wait_connected(self, *, count: int = 1, timeout: float = 10.0) -> SocketConnection:
        """Wait until ``count`` connections have ever been opened and one is live;
        returns the newest live one."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                live = [c for c in self.connections if not c.closed.is_set()]
                if len(self.connections) >= count and live:
                    return live[-1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"no Socket Mode connection after {timeout}s "
                        f"({len(self.connections)} opened, {len(live)} live)"
                    )
                self._changed.wait(min(left, 0.1))

    def deliver(
        self, envelope_type: str, payload: Mapping[str, Any], *, timeout: float = 10.0
    ) -> Delivery:
        """Send ``payload`` in an envelope on the newest live connection and
        wait (at most ``timeout``) for the app's ack of its envelope id."""
        assert envelope_type in ENVELOPE_TYPES, envelope_type
        connection = self.wait_connected()
        body = dict(payload)
        accepts = envelope_type == "slash_commands" or (
            envelope_type == "interactive" and body.get("type") in RESPONDING_INTERACTIONS
        )
        envelope: dict[str, Any] = {
            "envelope_id": str(uuid.uuid4()),
            "payload": body,
            "type": envelope_type,
            "accepts_response_payload": accepts,
        }
        if envelope_type == "events_api":
            envelope.update({"retry_attempt": 0, "retry_reason": ""})
        delivery = Delivery(
            envelope_id=envelope["envelope_id"], type=envelope_type, payload=body, sent=0.0
        )
        with self._lock:
            self.deliveries[delivery.envelope_id] = delivery
        delivery.sent = time.perf_counter()
        connection.websocket.send(json.dumps(envelope))
        delivery.acked.wait(timeout)
        return delivery

    def ask_to_reconnect(
        self, reason: str = "refresh_requested", *, timeout: float = 10.0
    ) -> tuple[SocketConnection, SocketConnection]:
        """Slack's ``disconnect`` message: the app opens a new connection, and
        once it has, Slack closes the old one. Returns (old, new)."""
        old = self.wait_connected()
        with self._lock:
            opened = len(self.connections)
        old.websocket.send(
            json.dumps(
                {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-emulator"}}
            )
        )
        new = self.wait_connected(count=opened + 1, timeout=timeout)
        self._close(old)
        return old, new

    def drop(self) -> SocketConnection:
        """Close the newest live connection from Slack's side, without warning."""
        connection = self.wait_connected()
        self._close(connection)
        return connection

    def close_all(self) -> None:
        """Close every live connection (a test's end: the app's client then
        stops at once rather than at its next receive timeout)."""
        for connection in self.live():
            self._close(connection)

    def _close(self, connection: SocketConnection) -> None:
        connection.websocket.close(1001, "going away")
        connection.closed.wait(5)
