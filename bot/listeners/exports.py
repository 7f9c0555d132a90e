"""`/myplan export`: the person's own data, every quarter, as two files in
their DM with myplan (JSON with its schema, and the check-ins as CSV)."""

from __future__ import annotations

import datetime as dt
import json
import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.session import Database
from bot.domain.errors import NotFound
from bot.services.export import Scope
from bot.usecases.common import Actor
from bot.usecases.data import export_data

log = logging.getLogger(__name__)

NOTHING = "myplan holds nothing of yours yet: `/myplan` starts your plan."
SENT = (
    "Your myplan data, every quarter: *{json}* holds every row about you (plans, "
    "commitments, check-ins, wins, feedback, comments, revisions, reviews), as "
    "documented in myplan's export schema; *{csv}* your check-ins, one line per value."
)


def send_my_export(client: WebClient, *, db: Database, actor: Actor, now: dt.datetime) -> str:
    """Upload the actor's export to their DM (after the ack: the caller has
    acked); returns what to tell them where they asked. Who is exported is
    the actor Slack signed the request for, looked up in the database: nobody
    else's data can be asked for."""
    scope = Scope(slack_team_id=actor.slack_team_id, slack_user_id=actor.slack_user_id)
    try:
        exported = export_data(db, scope=scope, now=now)
    except NotFound:
        return NOTHING
    day = now.date().isoformat()
    names = {
        "json": f"myplan-{actor.slack_user_id}-{day}.json",
        "csv": f"myplan-checkins-{actor.slack_user_id}-{day}.csv",
    }
    document = json.dumps(exported.document, ensure_ascii=False, indent=1)
    try:
        dm = str(client.conversations_open(users=actor.slack_user_id)["channel"]["id"])
        client.files_upload_v2(
            channel=dm,
            initial_comment=SENT.format(**names),
            file_uploads=[
                {"content": document, "filename": names["json"], "title": "Your myplan data"},
                {"content": exported.checkins, "filename": names["csv"], "title": "Your check-ins"},
            ],
        )
    except SlackApiError as error:
        log.exception("could not send the export of %s", actor.slack_user_id)
        return f"I could not send your export just now ({error.response.get('error')}): try again."
    return "Sent: your data is in your DM with myplan, as two files (JSON and CSV)."
