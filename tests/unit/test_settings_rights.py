"""Who may change which settings: the rule, apart from Slack and the database."""

from __future__ import annotations

from bot.domain import fields
from bot.domain.settings import ADMINS_ONLY, LEAD_OR_ADMIN, refusals

EVERYTHING = (fields.FISCAL_START_MONTH, fields.STRETCH, fields.SETTINGS_ADMINS, fields.TIMEZONE)


def test_admins_may_change_everything() -> None:
    assert refusals(EVERYTHING, is_admin=True, leads_team=False) == {}


def test_a_team_lead_may_change_the_teams_rhythm_only() -> None:
    assert refusals(EVERYTHING, is_admin=False, leads_team=True) == {
        fields.FISCAL_START_MONTH: ADMINS_ONLY,
        fields.STRETCH: ADMINS_ONLY,
        fields.SETTINGS_ADMINS: ADMINS_ONLY,
    }


def test_anyone_else_is_refused_each_changed_field() -> None:
    changed = (fields.TEAM_CHANNEL, fields.CHECKIN_TIME, fields.LEADERS_CHANNEL)
    assert refusals(changed, is_admin=False, leads_team=False) == {
        fields.TEAM_CHANNEL: LEAD_OR_ADMIN,
        fields.CHECKIN_TIME: LEAD_OR_ADMIN,
        fields.LEADERS_CHANNEL: ADMINS_ONLY,
    }
    assert refusals((), is_admin=False, leads_team=False) == {}
