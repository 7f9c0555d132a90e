"""A Slack that runs on loopback, and a driver that acts like Slack and its users."""

from tests.slack_emulator.blockkit import check_blocks, check_message, check_view
from tests.slack_emulator.driver import Ack, AckTooSlow, SlackDriver
from tests.slack_emulator.server import Fault, RateLimits, SlackEmulator
from tests.slack_emulator.serving import connect_socket_mode, serve_wsgi, wait_until
from tests.slack_emulator.socket_mode import SocketModeServer

__all__ = [
    "Ack",
    "AckTooSlow",
    "Fault",
    "RateLimits",
    "SlackDriver",
    "SlackEmulator",
    "SocketModeServer",
    "check_blocks",
    "check_message",
    "check_view",
    "connect_socket_mode",
    "serve_wsgi",
    "wait_until",
]
