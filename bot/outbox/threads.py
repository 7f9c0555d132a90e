"""The weekly check-in threads: the parent (a team's, or the leaders'), built
and rendered here alone, and the replies people's check-ins post in them."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks.checkin import prompt_blocks, prompt_text
from bot.domain.quarters import quarter_of
from bot.outbox.delivery import Outcome, deliver
from bot.outbox.keys import leaders_prompt_key, leaders_reply_key, manager_copy_key, prompt_key
from bot.outbox.store import OutboxStore

log = logging.getLogger(__name__)


class Seat(Protocol):
    """Someone a thread expects a check-in from (a roster's row)."""

    @property
    def name(self) -> str: ...
    @property
    def checked_in(self) -> bool: ...
    @property
    def expected(self) -> bool: ...


class Author(Protocol):
    """Who checked in (a member's reference)."""

    @property
    def id(self) -> int: ...
    @property
    def workspace_id(self) -> int: ...
    @property
    def slack_user_id(self) -> str: ...


@dataclass(frozen=True, kw_only=True)
class ThreadParent:
    week: int
    quarter_label: str
    monday: dt.date
    checked_in: tuple[str, ...]  # names, in the roster's order
    expected: int
    leaders: bool = False


@dataclass(frozen=True, kw_only=True)
class Rendered:
    text: str
    blocks: list[dict[str, Any]]


def thread_parent(
    *,
    monday: dt.date,
    checkin_weekday: int,
    fiscal_start_month: int,
    roster: Iterable[Seat],
    leaders: bool = False,
) -> ThreadParent:
    """The parent of the thread of the week of ``monday``, whose prompt day is
    ``checkin_weekday`` days after it (the quarter and week are the prompt day's)."""
    prompt_day = monday + dt.timedelta(days=checkin_weekday)
    quarter = quarter_of(prompt_day, fiscal_start_month)
    seats = list(roster)
    return ThreadParent(
        week=quarter.week_number(prompt_day),
        quarter_label=quarter.label,
        monday=monday,
        checked_in=tuple(seat.name for seat in seats if seat.checked_in),
        expected=sum(1 for seat in seats if seat.expected),
        leaders=leaders,
    )


def leaders_parent(
    *, monday: dt.date, fiscal_start_month: int, seats: Iterable[Seat]
) -> ThreadParent:
    """The parent of the leaders' thread of the week of ``monday``: the
    workspace's, not a team's, so its week is counted from the Monday,
    whichever team's prompt posted it; the same when a leader checks in."""
    return thread_parent(
        monday=monday,
        checkin_weekday=0,
        fiscal_start_month=fiscal_start_month,
        roster=seats,
        leaders=True,
    )


def render_parent(parent: ThreadParent) -> Rendered:
    return Rendered(
        text=prompt_text(
            week=parent.week,
            quarter_label=parent.quarter_label,
            monday=parent.monday,
            leaders=parent.leaders,
        ),
        blocks=prompt_blocks(
            week=parent.week,
            quarter_label=parent.quarter_label,
            monday=parent.monday,
            checked_in=parent.checked_in,
            expected=parent.expected,
            leaders=parent.leaders,
        ),
    )


TextFor = Callable[[str], str]  # the reply's text for the channel it is posted in


def post_member_reply(
    *,
    store: OutboxStore,
    client: WebClient,
    author: Author,
    team_id: int,
    plan_id: int,
    text_for: TextFor,
    parent: ThreadParent,
) -> bool:
    """The member's check-in as a reply in the team thread of ``parent``'s
    week (edited in place when they check in again), then the parent's count
    brought up to date. False when the team has no thread that week."""
    monday = parent.monday
    prompt = store.sent_ts(workspace_id=author.workspace_id, key=prompt_key(team_id, monday))
    if prompt is None:
        return False
    channel, parent_ts = prompt
    text = text_for(channel)
    try:
        existing = store.reply_of(plan_id=plan_id, monday=monday)
        if existing is not None:
            client.chat_update(channel=existing[0], ts=existing[1], text=text)
        else:
            posted = client.chat_postMessage(channel=channel, thread_ts=parent_ts, text=text)
            store.set_reply(
                plan_id=plan_id, monday=monday, channel_id=channel, ts=str(posted["ts"])
            )
        rendered = render_parent(parent)
        client.chat_update(
            channel=channel, ts=parent_ts, text=rendered.text, blocks=rendered.blocks
        )
    except SlackApiError:
        log.exception("could not post the check-in of %s to the team thread", author.slack_user_id)
    return True


def refresh_parent(
    *, store: OutboxStore, client: WebClient, workspace_id: int, team_id: int, parent: ThreadParent
) -> bool:
    """Bring the count of a team's weekly thread up to date (someone left, say).
    False when the team has no thread that week."""
    prompt = store.sent_ts(workspace_id=workspace_id, key=prompt_key(team_id, parent.monday))
    if prompt is None:
        return False
    rendered = render_parent(parent)
    try:
        client.chat_update(
            channel=prompt[0], ts=prompt[1], text=rendered.text, blocks=rendered.blocks
        )
    except SlackApiError:
        log.exception("could not recount the thread of team %s", team_id)
    return True


def post_leaders_reply(
    *,
    store: OutboxStore,
    client: WebClient,
    author: Author,
    parent: ThreadParent,
    text_for: TextFor,
    now: dt.datetime,
) -> bool:
    """A leader's check-in, in the open, in the leaders' thread of ``parent``'s
    week (edited in place when they check in again), then the parent's count
    brought up to date, as a team thread's is. False when there is no such thread."""
    key = leaders_prompt_key(author.workspace_id, parent.monday)
    posted = store.sent_ts(workspace_id=author.workspace_id, key=key)
    if posted is None:
        return False
    channel, parent_ts = posted
    replied = _post_or_update(
        store=store,
        client=client,
        workspace_id=author.workspace_id,
        key=leaders_reply_key(author.id, parent.monday),
        kind="leaders-reply",
        channel=channel,
        thread_ts=parent_ts,
        text=text_for(channel),
        now=now,
    )
    rendered = render_parent(parent)
    try:
        client.chat_update(
            channel=channel, ts=parent_ts, text=rendered.text, blocks=rendered.blocks
        )
    except SlackApiError:
        log.exception("could not update the leaders' thread of %s", parent.monday)
    return replied


def post_manager_copy(
    *,
    store: OutboxStore,
    client: WebClient,
    author: Author,
    copy: ManagerCopy,
    text: str,
    now: dt.datetime,
    blocks: list[dict[str, Any]] | None = None,
) -> bool:
    """The whole check-in in the direct manager's DM: sent once per check-in,
    edited in place when the member checks in again that week."""
    return _post_or_update(
        blocks=blocks,
        store=store,
        client=client,
        workspace_id=author.workspace_id,
        key=manager_copy_key(copy.plan_id, copy.monday, manager_id=copy.manager_id),
        kind="checkin-copy",
        channel=copy.manager_slack_user_id,
        thread_ts=None,
        text=text,
        now=now,
    )


@dataclass(frozen=True, kw_only=True)
class ManagerCopy:
    """Whose check-in goes whole to which manager."""

    plan_id: int
    monday: dt.date
    manager_id: int
    manager_slack_user_id: str


def _post_or_update(
    *,
    store: OutboxStore,
    client: WebClient,
    workspace_id: int,
    key: str,
    kind: str,
    channel: str,
    thread_ts: str | None,
    text: str,
    now: dt.datetime,
    blocks: list[dict[str, Any]] | None = None,
) -> bool:
    """Send ``key`` once through the outbox, or edit what it sent before."""
    existing = store.sent_ts(workspace_id=workspace_id, key=key)
    if existing is not None:
        try:
            client.chat_update(channel=existing[0], ts=existing[1], text=text, blocks=blocks)
        except SlackApiError:
            log.exception("could not update %s", key)
        return True
    result = deliver(
        store=store,
        client=client,
        workspace_id=workspace_id,
        key=key,
        kind=kind,
        channel=channel,
        thread_ts=thread_ts,
        due_at=now,
        now=now,
        text=text,
        blocks=blocks,
    )
    if result.outcome is Outcome.RECOVERED and result.channel and result.ts:
        # The reply a crashed process posted is there: it shows this check-in now.
        try:
            client.chat_update(channel=result.channel, ts=result.ts, text=text, blocks=blocks)
        except SlackApiError:
            log.exception("could not update %s", key)
    return result.outcome is not Outcome.FAILED
