"""The tick finds what is owed by building the outbox's keys in SQL
(bot/services/pending.py, bot/services/pending_keys.py): each must spell exactly what bot/outbox/keys.py
spells, on both databases, or a sent message would look unsent (sent again)
or an unsent one sent (never sent)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import literal, select

from bot.db.session import Database
from bot.outbox import keys
from bot.services import pending_keys as pending

MONDAY = dt.date(2026, 11, 23)
BIG = 12_345_678  # ids past what a cast to a short string would keep


def spelled(db: Database, expression: object, **params: object) -> str:
    with db.engine.connect() as connection:
        value = connection.scalar(select(expression), params)  # type: ignore[call-overload]
    assert isinstance(value, str)
    return value


def test_each_key_in_sql_is_the_key_in_python(db: Database) -> None:
    week = {"monday_iso": MONDAY.isoformat()}
    for number in (7, BIG):
        ident = literal(number)
        assert spelled(db, pending.prompt_key_sql(ident), **week) == keys.prompt_key(number, MONDAY)
        assert spelled(
            db, pending.leaders_prompt_key_sql(ident), **week
        ) == keys.leaders_prompt_key(number, MONDAY)
        assert spelled(db, pending.reminder_key_sql(ident), **week) == keys.reminder_key(
            number, MONDAY
        )
        for kind, python in (
            ("review-request", keys.review_request_key),
            ("review-reminder", keys.review_reminder_key),
        ):
            assert spelled(
                db, pending.review_key_sql(kind, plan_id=ident, recipient=literal("U0A1B2C3"))
            ) == python(number, "U0A1B2C3")
        assert spelled(
            db, pending.standards_key_sql(ident), quarter_label="Q4 FY2026"
        ) == keys.standards_key(number, "Q4 FY2026")
        assert spelled(db, pending.nudge_key_sql(ident), number_text="3") == (
            keys.proposal_nudge_key(number, 3)
        )
        assert spelled(db, pending.grace_close_key_sql(ident)) == keys.grace_close_key(number)
