"""History: past quarters and trends, opened from App Home, a modal or `/myplan`.

Every listener runs after Slack's ack (the runner acks first). Trends take
the longest: a modal saying the charts are being drawn opens at once on the
trigger, then the charts are drawn, uploaded to the viewer's DM with myplan
(``files_upload_v2``; a file is shown only to whoever it is shared with) and
the modal is redrawn with them in image blocks.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError

from bot.blocks import history as layout
from bot.charts import render_trend
from bot.db.session import Database
from bot.domain import trends as t
from bot.domain.errors import DomainError
from bot.domain.keys import read_id
from bot.ids import Action, Callback
from bot.listeners.running import Registrar
from bot.services.history import Trends
from bot.usecases import history
from bot.usecases.common import Actor

log = logging.getLogger(__name__)

# Slack may need a moment before a file just uploaded can be shown.
FILE_READY_RETRY_SECONDS = 2.0


def register(on: Registrar) -> None:
    on.action(Action.HISTORY_LIST.value, list_clicked)
    on.action(Action.HISTORY_PAGE.value, page_clicked)
    on.action(Action.HISTORY_OPEN.value, quarter_clicked)
    on.action(Action.HISTORY_REVISIONS.value, revisions_clicked)
    on.action(Action.TRENDS.value, trends_clicked)
    for read_only in (
        Callback.HISTORY,
        Callback.HISTORY_QUARTER,
        Callback.HISTORY_REVISIONS,
        Callback.TRENDS,
    ):
        on.view(read_only.value, read_only_submitted)


def read_only_submitted(ack: Ack) -> None:
    """These modals have no submit button; a submission (forged) just closes them."""
    ack()


def _value(body: dict[str, Any]) -> dict[str, Any]:
    """A button's JSON value; anything else reads as nothing (ids are only hints)."""
    raw = body["actions"][0].get("value") or ""
    try:
        data = json.loads(raw) if raw.startswith("{") else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _in_modal(body: dict[str, Any], *callbacks: Callback) -> dict[str, Any] | None:
    """The modal the click came from, if it is one of ``callbacks``."""
    view = body.get("view")
    if not isinstance(view, dict) or view.get("type") != "modal":
        return None
    if callbacks and view.get("callback_id") not in {c.value for c in callbacks}:
        return None
    return view


def _page(value: dict[str, Any]) -> int:
    page = value.get("page")
    return (
        page if isinstance(page, int) and not isinstance(page, bool) and 0 <= page < 10_000 else 0
    )


def _who(raw: Any) -> str | None:
    return raw if isinstance(raw, str) and raw.isascii() and raw.isalnum() else None


def open_history(
    client: WebClient,
    *,
    db: Database,
    actor: Actor,
    now: dt.datetime,
    trigger_id: str,
    who: str | None,
) -> None:
    """`/myplan history [@someone]`, App Home's "All past quarters"."""
    listing = history.list_quarters(db, actor=actor, slack_user_id=who, now=now)
    client.views_open(trigger_id=trigger_id, view=layout.quarters_modal(listing, who=who))


def list_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    ack()
    open_history(client, db=db, actor=actor, now=now, trigger_id=body["trigger_id"], who=None)


def page_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    ack()
    view = _in_modal(body, Callback.HISTORY)
    if view is None:
        return
    value = _value(body)
    who = _who(value.get("who"))
    page = _page(value)
    listing = history.list_quarters(db, actor=actor, slack_user_id=who, now=now)
    client.views_update(view_id=view["id"], view=layout.quarters_modal(listing, who=who, page=page))


def quarter_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor
) -> None:
    """A past quarter: from App Home by its quarter (the actor's own), from
    the list by its plan (checked). Pushed over the list, opened from home."""
    ack()
    value = _value(body)
    quarter = value.get("quarter")
    key = None
    if isinstance(quarter, list) and len(quarter) == 2 and all(isinstance(q, int) for q in quarter):
        key = history.QuarterKey(fiscal_year=quarter[0], number=quarter[1])
    plan_id = None if key is not None else read_id(value.get("plan"))
    past = history.open_quarter(db, actor=actor, plan_id=plan_id, quarter=key)
    view = layout.quarter_modal(past)
    if _in_modal(body, Callback.HISTORY) is not None:
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def revisions_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor
) -> None:
    """A quarter's revisions: pushed over the quarter; paged in place."""
    ack()
    value = _value(body)
    page = _page(value)
    past = history.open_quarter(db, actor=actor, plan_id=read_id(value.get("plan")), quarter=None)
    view = layout.revisions_modal(past, page=page)
    paging = _in_modal(body, Callback.HISTORY_REVISIONS)
    if paging is not None:
        client.views_update(view_id=paging["id"], view=view)
    elif _in_modal(body) is not None:
        client.views_push(trigger_id=body["trigger_id"], view=view)
    else:
        client.views_open(trigger_id=body["trigger_id"], view=view)


def trends_clicked(
    ack: Ack, body: dict[str, Any], client: WebClient, db: Database, actor: Actor, now: dt.datetime
) -> None:
    """Trends of a quarter (from its modal) or of this quarter's plan (App Home)."""
    ack()
    value = _value(body)
    plan_id = read_id(value["plan"]) if "plan" in value else None
    show_trends(
        client,
        db=db,
        actor=actor,
        now=now,
        trigger_id=body["trigger_id"],
        push=_in_modal(body) is not None,
        plan_id=plan_id,
        who=None,
    )


def show_trends(
    client: WebClient,
    *,
    db: Database,
    actor: Actor,
    now: dt.datetime,
    trigger_id: str,
    push: bool,
    plan_id: int | None,
    who: str | None,
) -> None:
    """Open a waiting modal on the trigger at once, then draw, upload and show."""
    opener = client.views_push if push else client.views_open
    view_id = str(opener(trigger_id=trigger_id, view=layout.trends_waiting_modal())["view"]["id"])
    try:
        found = history.trends(db, actor=actor, plan_id=plan_id, slack_user_id=who, now=now)
    except DomainError as error:
        client.views_update(view_id=view_id, view=layout.trends_said_modal(str(error)))
        return
    if isinstance(found, str):
        client.views_update(view_id=view_id, view=layout.trends_said_modal(found))
        return
    file_ids = upload_charts(client, slack_user_id=actor.slack_user_id, found=found)
    if file_ids is not None:
        try:
            client.views_update(view_id=view_id, view=layout.trends_modal(found, file_ids=file_ids))
            return
        except SlackApiError as error:
            if error.response.get("error") != "invalid_blocks":
                raise
        # A file Slack has not finished taking in is refused for a moment.
        time.sleep(FILE_READY_RETRY_SECONDS)
        try:
            client.views_update(view_id=view_id, view=layout.trends_modal(found, file_ids=file_ids))
            return
        except SlackApiError as error:
            log.warning("trends: Slack refused the charts (%s)", error.response.get("error"))
    # Without the charts, the numbers still show.
    client.views_update(view_id=view_id, view=layout.trends_modal(found, file_ids=None))


def upload_charts(client: WebClient, *, slack_user_id: str, found: Trends) -> list[str] | None:
    """Draw each trend and upload them together into the viewer's DM with
    myplan, where only they see them; the file ids, in the trends' order, or
    None when Slack refused the upload (an install from before files:write)."""
    if not found.trends:
        return []
    started = time.perf_counter()
    pngs = [render_trend(trend) for trend in found.trends]
    drawn = time.perf_counter()
    try:
        sent = _upload(client, slack_user_id=slack_user_id, found=found, pngs=pngs)
    except (SlackApiError, SlackRequestError, OSError) as error:
        reason = error.response.get("error") if isinstance(error, SlackApiError) else error
        log.warning("trends: the charts could not be uploaded (%s)", reason)
        return None
    log.info(
        "trends: %d chart(s) drawn in %.0f ms, uploaded in %.0f ms",
        len(pngs),
        (drawn - started) * 1000,
        (time.perf_counter() - drawn) * 1000,
    )
    return [str(file["id"]) for file in sent["files"]]


def _upload(client: WebClient, *, slack_user_id: str, found: Trends, pngs: list[bytes]) -> Any:
    channel = str(client.conversations_open(users=slack_user_id)["channel"]["id"])
    return client.files_upload_v2(
        channel=channel,
        initial_comment=f"Trends for {found.owner_name}'s {found.quarter.label} plan",
        file_uploads=[
            {
                "content": png,
                "filename": f"trend-{found.quarter.label.replace(' ', '-')}-{index + 1}.png",
                "title": trend.title,
                "alt_txt": t.summary(trend),
            }
            for index, (trend, png) in enumerate(zip(found.trends, pngs, strict=True))
        ],
    )
