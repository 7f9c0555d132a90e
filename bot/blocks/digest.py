"""A manager's digest: what waits for them today, a row and its buttons each."""

from __future__ import annotations

from bot.blocks.plan_card import acknowledge_button, report_line
from bot.blocks.primitives import Blocks, button, context, mrkdwn_section
from bot.blocks.text import render
from bot.ids import DIGEST_BLOCK, Action
from bot.usecases.digest import Digest, Waiting

# Three blocks a row at most, within a message's 50 with the heading and the end.
DIGEST_ROWS = 15


def digest_message(digest: Digest) -> tuple[str, Blocks]:
    """The digest's notification text and blocks; when nothing waits (any
    more), it says so, in place of the list it was."""
    count = len(digest.waiting)
    day = f"{digest.day:%A, %B} {digest.day.day}"
    if not count:
        text = f"Nothing waits for you now ({day})."
        return text, [mrkdwn_section(f":white_check_mark: {text} Thank you.")]
    text = f"{count} {'thing waits' if count == 1 else 'things wait'} for you today ({day})."
    blocks: Blocks = [mrkdwn_section(f"*What waits for you* · {day}\n{_summary(digest)}")]
    for waiting in digest.waiting[:DIGEST_ROWS]:
        blocks += _row(waiting)
    hidden = count - DIGEST_ROWS
    footer = "This message updates as you act on it; `/myplan team` lists all your reports."
    if hidden > 0:
        footer = f"…and {hidden} more: `/myplan team` lists them all."
    if any(w.acknowledge for w in digest.waiting):
        footer = f"{render('acknowledgement_meaning.j2')}\n{footer}"
    blocks.append(context(footer))
    return text, blocks


def _summary(digest: Digest) -> str:
    acknowledge = sum(1 for w in digest.waiting if w.acknowledge)
    review = sum(1 for w in digest.waiting if w.review)
    parts = []
    if acknowledge:
        parts.append(f"{acknowledge} plan{'s' if acknowledge != 1 else ''} to acknowledge")
    if review:
        closes = (
            f" (the quarter ends {digest.review_closes:%b} {digest.review_closes.day})"
            if digest.review_closes
            else ""
        )
        parts.append(f"{review} review{'s' if review != 1 else ''} to write{closes}")
    return " · ".join(parts)


def _row(waiting: Waiting) -> Blocks:
    row = waiting.row
    asks = []
    if waiting.acknowledge:
        asks.append(f"revision {row.revision} waits for your acknowledgement")
    if waiting.review:
        asks.append("the quarter's review waits for your reflection")
    section = mrkdwn_section(f"{report_line(row)}\n{'; '.join(asks).capitalize()}.")
    # Open shows the plan (and what its revision changed) to the manager alone:
    # the digest itself carries no one's words, only names and states.
    section["accessory"] = (
        button("Open", action=Action.OPEN_REQUEST, value=str(row.plan_id))
        if waiting.acknowledge
        else button("Open", action=Action.OPEN_REPORT, value=row.slack_user_id)
    )
    blocks: Blocks = [section]
    buttons = []
    if waiting.acknowledge and row.plan_id is not None and row.revision is not None:
        buttons.append(acknowledge_button(plan_id=row.plan_id, revision=row.revision))
        # What a manager answers a proposal with, besides acknowledging it.
        value = str(row.plan_id)
        buttons += [
            button("Edit my side", action=Action.MANAGER_SIDE, value=value),
            button("Comment", action=Action.COMMENT, value=value),
            button("Suggest an edit", action=Action.SUGGEST, value=value),
        ]
    if waiting.review and row.plan_id is not None:
        buttons.append(button("Review the quarter", action=Action.REVIEW, value=str(row.plan_id)))
    if buttons:
        blocks.append(
            {"type": "actions", "block_id": f"{DIGEST_BLOCK}:{row.plan_id}", "elements": buttons}
        )
    return blocks
