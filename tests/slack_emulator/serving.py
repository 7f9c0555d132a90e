"""Serve a WSGI app on loopback in a thread, or connect a Bolt app to the loopback
Slack over Socket Mode, and wait for background work."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import TYPE_CHECKING, Any, TypeVar
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

if TYPE_CHECKING:
    from slack_bolt import App
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from tests.slack_emulator.server import SlackEmulator

T = TypeVar("T")


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_wsgi(app: Callable[..., Any]) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yields its base URL."""
    server = make_server(
        "127.0.0.1", 0, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler
    )
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def connect_socket_mode(
    app: App, slack: SlackEmulator, *, ping_interval: float = 10
) -> Iterator[SocketModeHandler]:
    """Connect ``app`` as ``myplan run`` does with SLACK_APP_TOKEN: Bolt's
    SocketModeHandler (slack_sdk's built-in client), which opens its
    connection with apps.connections.open on the app's WebClient, so on
    ``slack``. Yields once the emulator has the connection; closes it after."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, slack.app_token, ping_interval=ping_interval)
    handler.connect()  # type: ignore[no-untyped-call]
    try:
        slack.socket_mode.wait_connected()
        yield handler
    finally:
        # Slack closes the socket first, so the client's receiving thread ends
        # now, not at its next receive timeout (3 s), and nothing reconnects.
        client = handler.client
        client.auto_reconnect_enabled = False
        slack.socket_mode.close_all()
        # Its message loop waits up to 1 s on its queue before it sees `closed`:
        # wake it (a None message is skipped).
        client.closed = True
        client.message_queue.put(None)
        handler.close()  # type: ignore[no-untyped-call]


def wait_until(
    predicate: Callable[[], T], *, timeout: float = 5.0, message: str = "condition"
) -> T:
    """Poll ``predicate`` until it returns something truthy (work done after an ack)."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(0.01)
