"""Block Kit for `/myplan help`."""

from __future__ import annotations

from bot.blocks.primitives import Blocks, mrkdwn_section
from bot.blocks.text import render


def help_blocks(*, unknown: str | None = None, suggestion: str | None = None) -> Blocks:
    return [mrkdwn_section(render("help.j2", unknown=unknown, suggestion=suggestion))]
