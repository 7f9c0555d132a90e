"""A Slack that runs on loopback, and a driver that acts like Slack and its users."""

from tests.slack_emulator.blockkit import check_blocks, check_message, check_view
from tests.slack_emulator.driver import Ack, AckTooSlow, SlackDriver
from tests.slack_emulator.server import Fault, RateLimits, SlackEmulator
from tests.slack_emulator.serving import serve_wsgi, wait_until

__all__ = [
    "Ack",
    "AckTooSlow",
    "Fault",
    "RateLimits",
    "SlackDriver",
    "SlackEmulator",
    "check_blocks",
    "check_message",
    "check_view",
    "serve_wsgi",
    "wait_until",
]
