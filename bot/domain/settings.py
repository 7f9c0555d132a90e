"""Who may change which settings: workspace settings are the admins', a
team's check-in rhythm its lead's too.

An admin is a Slack workspace admin or owner (as Slack says at the moment of
the change) or a member named a settings admin in myplan. A team's lead is
its leader as bot/services/standards.py:team_leader reads the database: the
leader set for the team, else whoever manages the most of its members. The
facts come from the database and Slack at the moment of the write, never
from the submitted modal.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain import fields

# The workspace's own: only admins change them.
WORKSPACE_FIELDS = (
    fields.FISCAL_START_MONTH,
    fields.LEADERS_CHANNEL,
    fields.STRETCH,
    fields.SETTINGS_ADMINS,
    fields.REVIEW_WINDOW_DAYS,
    fields.GRACE_DAYS,
    fields.WORKING_DAYS,
    fields.HOLIDAYS,
)
# A team's rhythm: admins, and the team's lead.
TEAM_FIELDS = (
    fields.TEAM_CHANNEL,
    fields.CHECKIN_WEEKDAY,
    fields.CHECKIN_TIME,
    fields.TIMEZONE,
    fields.TEAM_HOLIDAYS,
)

ADMINS_ONLY = (
    "Only workspace admins can change this: a Slack workspace admin or owner, "
    "or a settings admin of myplan."
)
LEAD_OR_ADMIN = "Only a workspace admin or this team's lead can change this."
NEW_TEAM_ADMINS_ONLY = (
    "Only workspace admins can start a team in a channel: choose your team's own channel."
)
NOBODYS = "Only workspace admins and team leads can change myplan's settings."


def refusals(changed: Iterable[str], *, is_admin: bool, leads_team: bool) -> dict[str, str]:
    """A message for each changed field the actor may not change, by field."""
    refused: dict[str, str] = {}
    for field in changed:
        if field in WORKSPACE_FIELDS and not is_admin:
            refused[field] = ADMINS_ONLY
        elif field in TEAM_FIELDS and not (is_admin or leads_team):
            refused[field] = LEAD_OR_ADMIN
    return refused
