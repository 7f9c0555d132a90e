"""Many installed workspaces, for the clocks' test and benchmarks: each with its
teams, members with active plans, its own bot token in slack_sdk's installation
store (OAuth mode, as `myplan clock` finds them), and the same people and
channels in the loopback Slack, whose limits are per workspace.

Run the scheduler at PROMPT (every team's check-in prompt) and then at
REMINDERS (a DM to every member, none having checked in).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import insert, select

from bot.db import models as m
from bot.db.session import Database
from bot.domain.plans import PlanState
from tests.slack_emulator import SlackEmulator

PROMPT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)  # Monday 09:00 UTC
REMINDERS = dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC)  # Tuesday 15:00 UTC
CLIENT_ID = "111.222"


@dataclass(frozen=True, kw_only=True)
class Shape:
    workspaces: int
    teams: int  # per workspace
    members: int  # per team

    @property
    def messages(self) -> int:
        """What a week sends: a prompt per team, a reminder per member."""
        return self.workspaces * self.teams * (1 + self.members)


def build(db: Database, slack: SlackEmulator, *, shape: Shape) -> None:
    """The workspaces in the (migrated) database and in the loopback Slack."""
    store = SQLAlchemyInstallationStore(client_id=CLIENT_ID, engine=db.engine)
    for w in range(shape.workspaces):
        team_id = f"TW{w:04d}"
        token = slack.add_workspace(team_id)
        store.save(
            Installation(
                app_id=slack.app_id,
                team_id=team_id,
                bot_token=token,
                bot_id=slack.bot_id,
                bot_user_id=slack.bot_user_id,
                user_id="UINSTALLER",
            )
        )
        _workspace(db, slack, slack_team_id=team_id, index=w, shape=shape)


def _workspace(
    db: Database, slack: SlackEmulator, *, slack_team_id: str, index: int, shape: Shape
) -> None:
    channels = [f"C{index:04d}{t:03d}" for t in range(shape.teams)]
    users = [f"U{index:04d}{i:05d}" for i in range(shape.teams * shape.members)]
    for channel in channels:
        slack.add_channel(channel, f"team-{channel.lower()}")
    for user in users:
        slack.add_user(user, user.lower(), tz="UTC")
    with db.sessions.begin() as session:
        workspace = session.scalar(
            insert(m.Workspace)
            .values(slack_team_id=slack_team_id, name=slack_team_id, created_at=PROMPT)
            .returning(m.Workspace.id)
        )
        team_ids = [
            session.scalar(
                insert(m.Team)
                .values(
                    workspace_id=workspace,
                    name=channel,
                    channel_id=channel,
                    checkin_weekday=0,
                    checkin_time=dt.time(9),
                    timezone="UTC",
                )
                .returning(m.Team.id)
            )
            for channel in channels
        ]
        session.execute(
            insert(m.Member),
            [
                {
                    "workspace_id": workspace,
                    "slack_user_id": user,
                    "display_name": user,
                    "timezone": "UTC",
                    "team_id": team_ids[i % shape.teams],
                    "created_at": PROMPT,
                }
                for i, user in enumerate(users)
            ],
        )
        members = session.scalars(select(m.Member.id).where(m.Member.workspace_id == workspace))
        session.execute(
            insert(m.Plan),
            [
                {
                    "owner_id": member,
                    "fiscal_year": 2026,
                    "quarter": 4,
                    "state": PlanState.ACTIVE,
                    "aspiration": "Grow",
                    "revision": 1,
                    "created_at": PROMPT,
                    "updated_at": PROMPT,
                }
                for member in members
            ],
        )


@dataclass(frozen=True, kw_only=True)
class Received:
    posted: int
    throttled: int  # answers of 429
    duplicates: int
    lost: int


def received(slack: SlackEmulator, *, shape: Shape) -> Received:
    """What the loopback Slack got, counted by the delivery key in each message."""
    keys = Counter(
        (message.metadata or {}).get("event_payload", {}).get("key")
        for messages in slack.messages.values()
        for message in messages
    )
    keys.pop(None, None)
    return Received(
        posted=sum(keys.values()),
        throttled=sum(1 for call in slack.calls if call.status == 429),
        duplicates=sum(count - 1 for count in keys.values()),
        lost=shape.messages - len(keys),
    )
