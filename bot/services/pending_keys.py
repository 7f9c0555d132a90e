"""The outbox's keys (bot/outbox/keys.py), spelled in SQL, so that the tick's
"already sent?" is an index lookup (bot/services/pending.py).
tests/integration/test_pending_keys.py holds each to its Python twin on both
databases; the facts a key holds that the row does not (a week, a quarter's
label) are bind parameters, so each statement is built once."""

from __future__ import annotations

from sqlalchemy import ColumnElement, SQLColumnExpression, String, bindparam, cast, literal


def _text(value: str) -> ColumnElement[str]:
    return literal(value, String)


def _as_text(column: SQLColumnExpression[int]) -> ColumnElement[str]:
    return cast(column, String)


def prompt_key_sql(team_id: SQLColumnExpression[int]) -> ColumnElement[str]:
    return (
        _text("checkin-prompt:team=")
        + _as_text(team_id)
        + _text(":week=")
        + bindparam("monday_iso", type_=String)
    )


def leaders_prompt_key_sql(workspace_id: SQLColumnExpression[int]) -> ColumnElement[str]:
    return (
        _text("leaders-prompt:workspace=")
        + _as_text(workspace_id)
        + _text(":week=")
        + bindparam("monday_iso", type_=String)
    )


def reminder_key_sql(member_id: SQLColumnExpression[int]) -> ColumnElement[str]:
    return (
        _text("checkin-reminder:member=")
        + _as_text(member_id)
        + _text(":week=")
        + bindparam("monday_iso", type_=String)
    )


def review_key_sql(
    kind: str, *, plan_id: SQLColumnExpression[int], recipient: SQLColumnExpression[str]
) -> ColumnElement[str]:
    return _text(f"{kind}:plan=") + _as_text(plan_id) + _text(":to=") + recipient


def standards_key_sql(team_id: SQLColumnExpression[int]) -> ColumnElement[str]:
    return (
        _text("standards:team=")
        + _as_text(team_id)
        + _text(":quarter=")
        + bindparam("quarter_label", type_=String)
    )


def nudge_key_sql(plan_id: SQLColumnExpression[int]) -> ColumnElement[str]:
    return (
        _text("proposal-nudge:plan=")
        + _as_text(plan_id)
        + _text(":n=")
        + bindparam("number_text", type_=String)
    )


def grace_close_key_sql(plan_id: SQLColumnExpression[int]) -> ColumnElement[str]:
    return _text("grace-close:plan=") + _as_text(plan_id)
