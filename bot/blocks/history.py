"""Block Kit for history: past quarters, one quarter as it closed, its revisions, trends.

Read-only modals within Slack's limits: at most 100 blocks and 3,000
characters a section; long lists are paged (the page is redrawn in place,
``views.update``), and a quarter's revisions or trends are pushed on top of
it, so the stack never passes Slack's three views.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.blocks.primitives import (
    SECTION_MAX,
    Blocks,
    actions,
    button,
    context,
    mrkdwn_section,
    plain,
)
from bot.blocks.text import escape_mrkdwn, progress_bar, render, truncate
from bot.domain import trends as t
from bot.domain.commitments import CommitmentKind, format_number
from bot.domain.content import describe_commitment
from bot.domain.quarters import Quarter
from bot.ids import Action, Callback
from bot.services.history import PastQuarter, QuarterList, RevisionView, Trends
from bot.services.read_model import CommitmentView

QUARTERS_PER_PAGE = 20
REVISIONS_PER_PAGE = 8
WINS_SHOWN = 40
HOME_QUARTERS = 4  # App Home shows the newest; the rest are a click away


def _modal(callback: Callback, *, title: str, blocks: Blocks, **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback.value,
        "title": plain(truncate(title, 24)),
        "close": plain("Close"),
        "blocks": blocks,
        **extra,
    }


def _value(**fields: Any) -> str:
    return json.dumps(fields, separators=(",", ":"))


def _chunks(lines: Sequence[str], limit: int = SECTION_MAX - 100) -> list[str]:
    """Lines joined into texts that each fit a section."""
    chunks: list[str] = []
    current: list[str] = []
    for line in lines:
        line = truncate(line, limit)
        if current and len("\n".join([*current, line])) > limit:
            chunks.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        chunks.append("\n".join(current))
    return chunks


def open_button(plan_id: int) -> dict[str, Any]:
    return button("Open", action=Action.HISTORY_OPEN, value=_value(plan=plan_id))


def home_history_blocks(past: Sequence[tuple[Quarter, Any]], *, has_plan: bool) -> Blocks:
    """App Home's past quarters, each one click from its modal, and the trends."""
    blocks: Blocks = []
    if past:
        blocks.append(mrkdwn_section("*Past quarters*"))
        for quarter, state in past[:HOME_QUARTERS]:
            blocks.append(
                mrkdwn_section(
                    f"*{quarter.label}* · {state.label}",
                    accessory=button(
                        "Open",
                        action=Action.HISTORY_OPEN,
                        value=_value(quarter=[quarter.fiscal_year, quarter.number]),
                    ),
                )
            )
    buttons = []
    if len(past) > HOME_QUARTERS:
        buttons.append(
            button(f"All {len(past)} past quarters", action=Action.HISTORY_LIST, value="mine")
        )
    if has_plan or past:
        buttons.append(button("My trends", action=Action.TRENDS, value="mine"))
    if buttons:
        blocks.append(actions(*buttons))
    return blocks


def quarters_modal(listing: QuarterList, *, who: str | None, page: int = 0) -> dict[str, Any]:
    """The past quarters one may open, a page at a time."""
    name = escape_mrkdwn(listing.owner_name)
    pages = max(1, -(-len(listing.quarters) // QUARTERS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = listing.quarters[page * QUARTERS_PER_PAGE : (page + 1) * QUARTERS_PER_PAGE]
    blocks: Blocks = [mrkdwn_section(f"*{name}'s past quarters*")]
    if not listing.quarters:
        blocks.append(mrkdwn_section("No past quarter to show yet: history starts next quarter."))
    for ref in shown:
        blocks.append(
            mrkdwn_section(
                f"*{ref.quarter.label}* · {ref.state.label}", accessory=open_button(ref.plan_id)
            )
        )
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(
                button("Newer", action=Action.HISTORY_PAGE, value=_value(who=who, page=page - 1))
            )
        if page < pages - 1:
            nav.append(
                button("Older", action=Action.HISTORY_PAGE, value=_value(who=who, page=page + 1))
            )
        blocks += [context(f"Page {page + 1} of {pages}"), actions(*nav)]
    return _modal(Callback.HISTORY, title="Past quarters", blocks=blocks)


def _commitment_line(view: CommitmentView) -> str:
    commitment = view.commitment
    title = (
        f"*{escape_mrkdwn(commitment.title)}* · {escape_mrkdwn(describe_commitment(commitment))}"
    )
    if commitment.kind is CommitmentKind.MILESTONE:
        done = view.actual is not None and view.actual >= 1
        return f"{title}\n{'Done' if done else 'Not done'}"
    per = " per week" if commitment.kind is CommitmentKind.ACTIVITY else ""
    achieved = (
        "no check-ins"
        if view.actual is None
        else f"{format_number(round(view.actual, 2))} {escape_mrkdwn(commitment.unit)}"
    )
    return (
        f"{title}\nActual {achieved} against a target of {format_number(commitment.target)}"
        f"{per} · {progress_bar(min(view.progress, 1.0))} {round(view.progress * 100)}%"
    )


def _bar_line(bar: Any) -> str:
    actual = (
        "no check-ins"
        if bar.actual is None
        else f"{format_number(round(bar.actual, 2))} {escape_mrkdwn(bar.unit)}"
    )
    line = (
        f"*{escape_mrkdwn(bar.title)}*: actual {actual} · next bar "
        f"{format_number(bar.chosen_baseline)} → {format_number(bar.chosen_target)} "
        f"(proposed {format_number(bar.proposed_baseline)} → {format_number(bar.proposed_target)})"
    )
    if bar.lowered_reason:
        line += f"\nLowered because: {escape_mrkdwn(bar.lowered_reason)}"
    return line


def quarter_modal(past: PastQuarter) -> dict[str, Any]:
    """One quarter as it closed: the plan, actual against target, the review
    with both reflections, the bars and the reasons, the wins, and buttons to
    its revisions and its trends."""
    plan = past.plan
    blocks: Blocks = [
        mrkdwn_section(
            f"*{escape_mrkdwn(past.owner_name)} · {plan.quarter.label}* · {plan.state.label} "
            f"(revision {plan.revision}) · {plan.content.visibility.label}"
        )
    ]
    intro = render(
        "plan_intro.j2",
        aspiration=plan.content.aspiration,
        strengths=plan.content.strengths,
        growth_areas=plan.content.growth_areas,
        feedback_acted_on=plan.content.feedback_acted_on,
    )
    if intro:
        blocks.append(mrkdwn_section(intro))
    blocks += [{"type": "divider"}, mrkdwn_section("*Actual against target*")]
    blocks += [mrkdwn_section(_commitment_line(view)) for view in plan.commitments]
    if not plan.commitments:
        blocks.append(mrkdwn_section("This plan had no commitments."))
    if plan.one_on_ones:
        blocks.append(context(f"1:1s: {plan.one_on_ones.label}"))
    blocks += [{"type": "divider"}, *_review_blocks(past)]
    blocks += _wins_blocks(past)
    blocks += _revisions_footer(past)
    return _modal(
        Callback.HISTORY_QUARTER,
        title=plan.quarter.label,
        blocks=blocks,
        private_metadata=_value(plan=plan.id),
    )


def _wins_blocks(past: PastQuarter) -> Blocks:
    wins = past.plan.wins
    if not wins:
        return []
    lines = [
        f"• {w.happened_on:%b %-d}: {escape_mrkdwn(truncate(w.text, 500))}"
        for w in wins[:WINS_SHOWN]
    ]
    blocks: Blocks = [{"type": "divider"}, mrkdwn_section(f"*Wins* ({len(wins)})")]
    blocks += [mrkdwn_section(chunk) for chunk in _chunks(lines)[:5]]
    if len(wins) > WINS_SHOWN:
        blocks.append(context(f"And {len(wins) - WINS_SHOWN} more in `/myplan export`."))
    return blocks


def _revisions_footer(past: PastQuarter) -> Blocks:
    """How many revisions, who made the last, and the buttons to them and to the trends."""
    plan_id = past.plan.id
    count = len(past.revisions)
    latest = past.revisions[0] if past.revisions else None
    last = (
        f" · the last by {escape_mrkdwn(latest.author_name)} on {latest.created_at:%b %-d, %Y}"
        if latest
        else ""
    )
    buttons = [button("Trends", action=Action.TRENDS, value=_value(plan=plan_id))]
    if count:
        buttons.insert(
            0,
            button(
                "Revisions and their changes",
                action=Action.HISTORY_REVISIONS,
                value=_value(plan=plan_id, page=0),
            ),
        )
    return [
        {"type": "divider"},
        context(f"{count} revision{'s' if count != 1 else ''}{last}"),
        actions(*buttons),
    ]


def _review_blocks(past: PastQuarter) -> Blocks:
    review = past.review
    if review is None:
        return [mrkdwn_section("*Review*\nNo review was completed for this quarter.")]
    when = f" · completed {review.completed_at:%b %-d, %Y}" if review.completed_at else ""
    blocks: Blocks = [mrkdwn_section(f"*Review*{when}")]
    for label, text in (
        (f"{escape_mrkdwn(past.owner_name)}'s reflection", review.owner_reflection),
        ("The manager's reflection", review.manager_reflection),
    ):
        said = escape_mrkdwn(text) if text else "_No reflection written._"
        blocks.append(mrkdwn_section(truncate(f"*{label}*\n{said}", SECTION_MAX)))
    if review.bars:
        blocks.append(mrkdwn_section("*Next quarter's bars*"))
        blocks += [mrkdwn_section(chunk) for chunk in _chunks([_bar_line(b) for b in review.bars])]
    return blocks


def _revision_text(revision: RevisionView) -> str:
    head = (
        f"*Revision {revision.number}* · {escape_mrkdwn(revision.author_name)} · "
        f"{revision.created_at:%b %-d, %Y %H:%M} UTC"
    )
    changes = [f"• {escape_mrkdwn(truncate(line, 400))}" for line in revision.changes]
    return truncate("\n".join([head, *(changes or ["• no change recorded"])]), SECTION_MAX)


def revisions_modal(past: PastQuarter, *, page: int = 0) -> dict[str, Any]:
    """A quarter's revisions, newest first, each with what changed from the one before."""
    plan = past.plan
    revisions = past.revisions
    pages = max(1, -(-len(revisions) // REVISIONS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = revisions[page * REVISIONS_PER_PAGE : (page + 1) * REVISIONS_PER_PAGE]
    blocks: Blocks = [
        mrkdwn_section(
            f"*{escape_mrkdwn(past.owner_name)} · {plan.quarter.label}*: "
            f"{len(revisions)} revision{'s' if len(revisions) != 1 else ''}, newest first"
        )
    ]
    blocks += [mrkdwn_section(_revision_text(revision)) for revision in shown]
    if pages > 1:
        nav = []
        if page > 0:
            nav.append(
                button(
                    "Newer",
                    action=Action.HISTORY_REVISIONS,
                    value=_value(plan=plan.id, page=page - 1),
                )
            )
        if page < pages - 1:
            nav.append(
                button(
                    "Older",
                    action=Action.HISTORY_REVISIONS,
                    value=_value(plan=plan.id, page=page + 1),
                )
            )
        blocks += [context(f"Page {page + 1} of {pages}"), actions(*nav)]
    return _modal(
        Callback.HISTORY_REVISIONS, title=f"Revisions · {plan.quarter.label}", blocks=blocks
    )


def trends_waiting_modal() -> dict[str, Any]:
    return _modal(
        Callback.TRENDS, title="Trends", blocks=[mrkdwn_section(":hourglass: Drawing the charts…")]
    )


def trends_said_modal(text: str) -> dict[str, Any]:
    return _modal(Callback.TRENDS, title="Trends", blocks=[mrkdwn_section(escape_mrkdwn(text))])


def trend_text(trend: t.Trend) -> str:
    """The numbers beside the chart, as the alt text states them."""
    unit = f" ({escape_mrkdwn(trend.unit)})" if trend.unit else ""
    return truncate(
        f"*{escape_mrkdwn(trend.title)}*{unit}\n{t.weeks_line(trend)}\n"
        f"{t.quarters_line(trend)}\n{t.bar_line(trend)}",
        SECTION_MAX,
    )


def trends_modal(found: Trends, *, file_ids: Sequence[str] | None) -> dict[str, Any]:
    """Each commitment's chart (an uploaded file, by ``slack_file``) with its
    numbers; the numbers alone when the charts could not be uploaded (None)."""
    blocks: Blocks = [
        mrkdwn_section(f"*{escape_mrkdwn(found.owner_name)} · {found.quarter.label}*")
    ]
    if not found.trends:
        blocks.append(mrkdwn_section("No measured commitment to chart in this plan."))
    elif file_ids is None:
        blocks.append(
            context(
                "The charts could not be uploaded just now (an admin may need to reinstall "
                "myplan to allow files); here are their numbers."
            )
        )
    for index, trend in enumerate(found.trends):
        if file_ids is not None:
            blocks.append(
                {
                    "type": "image",
                    "slack_file": {"id": file_ids[index]},
                    "alt_text": t.summary(trend),
                    "title": plain(truncate(trend.title, 150)),
                }
            )
        blocks.append(mrkdwn_section(trend_text(trend)))
    if found.milestones:
        blocks.append(
            context("Milestones: " + " · ".join(escape_mrkdwn(m) for m in found.milestones))
        )
    return _modal(Callback.TRENDS, title=f"Trends · {found.quarter.label}", blocks=blocks)
