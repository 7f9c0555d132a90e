"""Block Kit for `/myplan help`."""

from __future__ import annotations

from bot.blocks.primitives import SECTION_MAX, Blocks, mrkdwn_section
from bot.blocks.text import render


def help_blocks(*, unknown: str | None = None, suggestion: str | None = None) -> Blocks:
    """The help, a section per run of paragraphs: it is longer than one
    section's 3,000 characters, and a cut would hide the rules at its end."""
    paragraphs = render("help.j2", unknown=unknown, suggestion=suggestion).split("\n\n")
    sections: list[str] = []
    for paragraph in (p.strip() for p in paragraphs):
        if not paragraph:
            continue
        if sections and len(sections[-1]) + 2 + len(paragraph) <= SECTION_MAX:
            sections[-1] += "\n\n" + paragraph
        else:
            sections.append(paragraph)
    return [mrkdwn_section(text) for text in sections]
