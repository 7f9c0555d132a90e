"""Export and import: rows of the schema as JSON, read and written through the
schema's own metadata, so a table added tomorrow is exported without a change here.

What an export holds (its scope) follows ownership as the schema states it:
a row belongs to whatever it is deleted with (a foreign key ``ON DELETE
CASCADE``). A workspace's export is the workspace and everything it owns; a
member's is the member, their manager history, their plans and everything in
them, and what they wrote or acknowledged on others' plans; everything is
every table, Slack's install tables included (the move from SQLite to
PostgreSQL). The format is documented by bot/schemas/export.schema.json.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Select,
    String,
    Table,
    Time,
    func,
    or_,
    select,
    text,
    true,
)
from sqlalchemy.orm import Session

from bot.db import models  # noqa: F401 - registers the tables on Base.metadata
from bot.db.base import Base
from bot.domain.errors import NotFound, ValidationError

FORMAT = "myplan-export"
VERSION = 1
# Never in a workspace's or a member's export: they hold no one's plan, only
# the app's tokens (every workspace's) and the OAuth flow's state.
INSTALL_TABLES = frozenset({"slack_installations", "slack_bots", "slack_oauth_states"})


@dataclass(frozen=True, kw_only=True)
class Scope:
    """What to export: everything (neither set), a workspace, or one member of it."""

    slack_team_id: str | None = None
    slack_user_id: str | None = None

    @property
    def kind(self) -> str:
        if self.slack_team_id is None:
            return "all"
        return "workspace" if self.slack_user_id is None else "member"


def tables() -> list[Table]:
    """Every table, each after those it refers to."""
    return list(Base.metadata.sorted_tables)


def _root(scope: Scope) -> tuple[Table, ColumnElement[bool]]:
    workspaces = Base.metadata.tables["workspaces"]
    in_workspace = workspaces.c.slack_team_id == scope.slack_team_id
    if scope.slack_user_id is None:
        return workspaces, in_workspace
    members = Base.metadata.tables["members"]
    return members, (members.c.slack_user_id == scope.slack_user_id) & members.c.workspace_id.in_(
        select(workspaces.c.id).where(in_workspace)
    )


def scoped(scope: Scope) -> dict[Table, ColumnElement[bool]]:
    """Each table in the scope, with the condition its rows meet: the root's
    own, or being owned (ON DELETE CASCADE) by a row in the scope."""
    if scope.kind == "all":
        return {table: true() for table in tables()}
    root, condition = _root(scope)
    where: dict[Table, ColumnElement[bool]] = {root: condition}
    for table in tables():
        if table in where:
            continue
        owners = [
            fk.parent.in_(select(fk.column).where(where[fk.column.table]))
            for fk in table.foreign_keys
            if fk.ondelete == "CASCADE" and fk.column.table in where
        ]
        if owners:
            where[table] = or_(*owners)
    return where


def _rows(table: Table, condition: ColumnElement[bool]) -> Select[Any]:
    return select(table).where(condition).order_by(*table.primary_key.columns)


def to_json(value: Any) -> Any:
    """A column's value as JSON: instants in UTC with their offset, days and
    times in ISO 8601, enumerations as their stored strings."""
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, PyEnum):
        return value.value
    return value


def _converter(table: Table, name: str) -> Callable[[Any], Any] | None:
    """How a column's values become JSON (None: as they are), decided once per column."""
    kind = table.c[name].type
    if isinstance(kind, DateTime | Date | Time | Enum):
        return to_json
    return None


def _exported_rows(
    session: Session, table: Table, *, condition: ColumnElement[bool]
) -> list[dict[str, Any]]:
    names = [column.name for column in table.columns]
    converters = [_converter(table, name) for name in names]
    plain = all(convert is None for convert in converters)
    exported = []
    for row in session.execute(_rows(table, condition)):
        if plain:
            exported.append(dict(zip(names, row, strict=True)))
            continue
        exported.append(
            {
                name: value if convert is None or value is None else convert(value)
                for name, convert, value in zip(names, converters, row, strict=True)
            }
        )
    return exported


def export(
    session: Session, *, scope: Scope, schema: str | None, now: dt.datetime
) -> dict[str, Any]:
    """The scope's rows, every column of each, table by table."""
    where = scoped(scope)
    if scope.kind != "all":
        root, condition = _root(scope)
        if session.scalar(select(func.count()).select_from(root).where(condition)) == 0:
            raise NotFound(f"myplan knows no {scope.kind} {_named(scope)}.")
    exported: dict[str, list[dict[str, Any]]] = {}
    for table in tables():
        if table not in where or (scope.kind != "all" and table.name in INSTALL_TABLES):
            continue
        exported[table.name] = _exported_rows(session, table, condition=where[table])
    return {
        "format": FORMAT,
        "version": VERSION,
        "schema": schema,
        "exported_at": to_json(now),
        "scope": {
            "kind": scope.kind,
            "slack_team_id": scope.slack_team_id,
            "slack_user_id": scope.slack_user_id,
        },
        "tables": exported,
    }


def _named(scope: Scope) -> str:
    if scope.slack_user_id is None:
        return str(scope.slack_team_id)
    return f"{scope.slack_user_id} in workspace {scope.slack_team_id}"


def from_json(table: Table, *, name: str, value: Any) -> Any:
    """The value of column ``name`` as the export wrote it, back as the column takes it."""
    if value is None:
        return None
    kind = table.c[name].type
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, Time):
        return dt.time.fromisoformat(value)
    if isinstance(kind, Enum) and kind.enum_class is not None:
        return kind.enum_class(value)
    return value


def _deferred(table: Table, order: dict[Table, int]) -> list[str]:
    """Columns that refer to a row that may not be there yet when this row is
    inserted (the same table, or one inserted later): set once all are in."""
    return sorted(
        fk.parent.name
        for fk in table.foreign_keys
        if fk.use_alter or order[fk.column.table] >= order[table]
    )


@dataclass(frozen=True)
class Imported:
    rows: dict[str, int]


def check_document(document: Any, *, schema: str | None) -> dict[str, list[dict[str, Any]]]:
    """The export's tables, or a ValidationError saying in one sentence why not."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError({"file": "This is not a myplan export."})
    if document.get("version") != VERSION:
        raise ValidationError(
            {"file": f"This export is of version {document.get('version')}, not {VERSION}."}
        )
    if document.get("schema") != schema:
        raise ValidationError(
            {
                "file": f"This export is of schema {document.get('schema')} and the database "
                f"is at {schema}: import it with the myplan that exported it, then upgrade."
            }
        )
    known = set(Base.metadata.tables)
    found: dict[str, list[dict[str, Any]]] = document.get("tables") or {}
    unknown = sorted(set(found) - known)
    if unknown:
        raise ValidationError({"file": f"This export has tables myplan does not know: {unknown}."})
    return found


def import_(session: Session, document: Any, *, schema: str | None) -> Imported:
    """Insert every row of an export as it was, ids included, in one
    transaction (the caller's). Rows that are there already make it fail."""
    found = check_document(document, schema=schema)
    ordered = tables()
    order = {table: index for index, table in enumerate(ordered)}
    later: list[tuple[Table, dict[str, Any], list[str]]] = []
    counts: dict[str, int] = {}
    for table in ordered:
        rows = found.get(table.name) or []
        if not rows:
            continue
        deferred = _deferred(table, order)
        values = [{k: from_json(table, name=k, value=v) for k, v in row.items()} for row in rows]
        session.execute(table.insert(), [{**row, **dict.fromkeys(deferred)} for row in values])
        later.extend(
            (table, row, deferred)
            for row in values
            if any(row.get(column) is not None for column in deferred)
        )
        counts[table.name] = len(rows)
    for table, row, deferred in later:
        session.execute(
            table.update()
            .where(*[column == row[column.name] for column in table.primary_key.columns])
            # Columns set on every update (updated_at) keep the exported value too.
            .values({name: row[name] for name in [*deferred, *_on_update(table)]})
        )
    _advance_sequences(session, [t for t in ordered if t.name in counts])
    return Imported(rows=counts)


def _on_update(table: Table) -> list[str]:
    return [column.name for column in table.columns if column.onupdate is not None]


def _advance_sequences(session: Session, imported: Iterable[Table]) -> None:
    """PostgreSQL numbers new rows from a sequence that an insert with ids does
    not move: move each past the ids imported. (SQLite takes the largest id.)"""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in imported:
        [column, *more] = table.primary_key.columns
        if more or not isinstance(column.type, Integer):
            continue
        highest = session.scalar(select(func.max(column)))
        session.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, :column), :value)"),
            {"table": table.name, "column": column.name, "value": highest},
        )


def json_type(table: Table, name: str) -> dict[str, Any]:
    """The JSON Schema of one column's exported value."""
    column = table.c[name]
    kind = column.type
    schema: dict[str, Any]
    if isinstance(kind, Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, Integer):
        schema = {"type": "integer"}
    elif isinstance(kind, Float):
        schema = {"type": "number"}
    elif isinstance(kind, DateTime):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(kind, Date):
        schema = {"type": "string", "format": "date"}
    elif isinstance(kind, Time):
        schema = {"type": "string", "format": "time"}
    elif isinstance(kind, JSON):
        schema = {"type": "object"}
    elif isinstance(kind, Enum):
        schema = {"type": "string", "enum": list(kind.enums)}
    elif isinstance(kind, String):
        schema = {"type": "string", **({"maxLength": kind.length} if kind.length else {})}
    else:  # pragma: no cover - a new column type: say how it is exported first
        raise TypeError(f"{table.name}.{name}: no JSON type for {kind!r}")
    if column.nullable:
        schema = {"anyOf": [schema, {"type": "null"}]}
    if column.comment:
        schema["description"] = column.comment
    return schema


def json_schema() -> dict[str, Any]:
    """The JSON Schema of an export, from the models (bot/schemas/export.schema.json)."""
    table_schemas = {
        table.name: {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {c.name: json_type(table, c.name) for c in table.columns},
                "required": [c.name for c in table.columns],
                "additionalProperties": False,
            },
        }
        for table in sorted(tables(), key=lambda t: t.name)
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://myplan.example.com/schemas/export.schema.json",
        "title": "myplan export",
        "description": (
            "Rows of myplan's tables, every column of each, as `myplan export` writes "
            "them and `myplan import` reads them. Instants are ISO 8601 in UTC with "
            "their offset; days and times ISO 8601; enumerations their stored strings."
        ),
        "type": "object",
        "required": ["format", "version", "schema", "exported_at", "scope", "tables"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "version": {"const": VERSION},
            "schema": {"type": ["string", "null"], "description": "the Alembic revision"},
            "exported_at": {"type": "string", "format": "date-time"},
            "scope": {
                "type": "object",
                "required": ["kind", "slack_team_id", "slack_user_id"],
                "additionalProperties": False,
                "properties": {
                    "kind": {"enum": ["all", "workspace", "member"]},
                    "slack_team_id": {"type": ["string", "null"]},
                    "slack_user_id": {"type": ["string", "null"]},
                },
            },
            "tables": {
                "type": "object",
                "additionalProperties": False,
                "properties": table_schemas,
            },
        },
    }
