"""Export and import: an export imported into an empty database gives the same
rows, on each backend and from SQLite to PostgreSQL; what a scope holds; the
documented schema; the check-ins' CSV."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy.exc import IntegrityError

from bot.db.base import Base
from bot.db.session import Database
from bot.services.export import Scope, json_schema
from bot.usecases.data import export_data, import_data
from tests.integration.data_fixtures import (
    AT,
    DANA_WROTE,
    another_database,
    everything,
    populate,
)

SCHEMA_FILE = Path(__file__).parents[2] / "bot" / "schemas" / "export.schema.json"


@pytest.fixture
def filled(db: Database) -> Database:
    with db.sessions.begin() as session:
        populate(session)
    return db


def test_every_table_has_rows_to_move(filled: Database) -> None:
    empty = [name for name, rows in everything(filled).items() if not rows]
    assert not empty, f"add rows of {empty} to tests/integration/data_fixtures.py:populate"


def test_export_then_import_gives_equal_data(filled: Database) -> None:
    exported = export_data(filled, scope=Scope(), now=AT)
    # Through the file as written: JSON text, read back.
    document = json.loads(json.dumps(exported.document))
    with another_database(str(filled.engine.url.render_as_string(hide_password=False))) as url:
        target = Database(url)
        try:
            Base.metadata.create_all(target.engine)
            imported = import_data(target, document=document)
            assert everything(target) == everything(filled)
            assert imported.rows["members"] == 3
            # New rows after the import take new ids (PostgreSQL's sequences moved on).
            with target.sessions.begin() as session:
                from bot.db.models import Workspace

                session.add(Workspace(slack_team_id="T3"))
                session.flush()
            # Importing the same again changes nothing: it is refused whole.
            with pytest.raises(IntegrityError):
                import_data(target, document=document)
        finally:
            target.dispose()


def test_the_schema_file_documents_every_column(filled: Database) -> None:
    """bot/schemas/export.schema.json is the models' schema: regenerate it with
    `python -m bot.services.export_schema > bot/schemas/export.schema.json`."""
    assert json.loads(SCHEMA_FILE.read_text()) == json_schema()
    document = json.loads(json.dumps(export_data(filled, scope=Scope(), now=AT).document))
    jsonschema.Draft202012Validator(
        json_schema(), format_checker=jsonschema.FormatChecker()
    ).validate(document)


def test_a_workspace_export_holds_its_rows_and_no_tokens(filled: Database) -> None:
    document = export_data(filled, scope=Scope(slack_team_id="T1"), now=AT).document
    tables = document["tables"]
    assert [row["slack_team_id"] for row in tables["workspaces"]] == ["T1"]
    assert {row["slack_user_id"] for row in tables["members"]} == {"UOWNER", "UMANAGER"}
    assert len(tables["deliveries"]) == 1
    assert not {"slack_installations", "slack_bots", "slack_oauth_states", "erasures"} & set(tables)
    assert "xoxb" not in json.dumps(document)


def test_a_members_export_holds_their_quarters_and_what_they_wrote(filled: Database) -> None:
    exported = export_data(filled, scope=Scope(slack_team_id="T1", slack_user_id="UOWNER"), now=AT)
    tables = exported.document["tables"]
    assert [row["slack_user_id"] for row in tables["members"]] == ["UOWNER"]
    assert sorted(row["quarter"] for row in tables["plans"]) == [3, 4]
    assert [row["text"] for row in tables["plan_comments"]] == ["Dana on Sam's plan"]
    assert "Sam leads" not in json.dumps(exported.document)
    assert "workspaces" not in tables and "deliveries" not in tables
    text = json.dumps(exported.document, ensure_ascii=False)
    assert all(wrote in text for wrote in DANA_WROTE)
    rows = list(csv.DictReader(io.StringIO(exported.checkins)))
    assert [(r["week_start"], r["commitment"], r["value"], r["skipped"]) for r in rows] == [
        ("2026-11-23", "Dana's call ratio", "27.000000000000004", "False"),
        ("2026-11-30", "", "", "True"),
    ]
    assert rows[0]["quarter"] == "Q4 FY2027" and rows[0]["win"] == "Dana's win: Acme booked"
    assert rows[1]["skip_reason"] == "Dana skipped: holiday in Lisbon"


def test_an_unknown_member_is_named(filled: Database) -> None:
    from bot.domain.errors import NotFound

    with pytest.raises(NotFound, match="UNOBODY"):
        export_data(filled, scope=Scope(slack_team_id="T1", slack_user_id="UNOBODY"), now=AT)


def _myplan(
    *args: str, url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    """``myplan ARGS`` with DATABASE_URL set, in this process (the same entry
    point the installed command runs): its status, stdout and stderr."""
    from bot.cli import main

    with monkeypatch.context() as env:
        for name in [n for n in os.environ if n.startswith(("SLACK_", "DATABASE_URL"))]:
            env.delenv(name)
        env.setenv("DATABASE_URL", url)
        status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_sqlite_moves_to_postgresql_through_export_and_import(
    tmp_path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The README's move, command by command: export --all from SQLite, migrate
    the new database (PostgreSQL; and SQLite, the same steps), import there;
    every row arrives as it was."""

    def myplan(*args: str, url: str) -> tuple[int, str, str]:
        return _myplan(*args, url=url, monkeypatch=monkeypatch, capsys=capsys)

    sqlite = f"sqlite:///{tmp_path / 'myplan.db'}"
    assert myplan("migrate", url=sqlite)[0] == 0
    source, target = Database(sqlite), Database(database_url)
    try:
        with source.sessions.begin() as session:
            populate(session)
        out = tmp_path / "all.json"
        status, _, err = myplan("export", "--all", "--output", str(out), url=sqlite)
        assert status == 0, err
        assert myplan("migrate", url=database_url)[0] == 0
        status, said, err = myplan("import", str(out), url=database_url)
        assert status == 0 and "Imported" in said, err
        assert everything(target) == everything(source)
        status, _, err = myplan("import", str(out), url=database_url)
        assert status == 1 and "nothing imported" in err
    finally:
        target.dispose()
        source.dispose()


def test_the_commands_refuse_what_they_cannot_do_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'myplan.db'}"

    def myplan(*args: str) -> tuple[int, str, str]:
        return _myplan(*args, url=url, monkeypatch=monkeypatch, capsys=capsys)

    status, _, err = myplan("export")
    assert status == 2 and "--workspace T, or export everything with --all" in err
    status, _, err = myplan("export", "--all")
    assert status == 2 and "myplan migrate" in err  # a database not migrated is not read
    assert myplan("migrate")[0] == 0
    status, _, err = myplan("export", "--workspace", "TNONE")
    assert status == 1 and "knows no workspace TNONE" in err
    status, _, err = myplan("forget", "--member", "UNOBODY")
    assert status == 1 and "knows no member UNOBODY" in err
    (tmp_path / "bad.json").write_text('{"format": "other"}')
    status, _, err = myplan("import", str(tmp_path / "bad.json"))
    assert status == 1 and "not a myplan export" in err
    status, _, err = myplan("import", str(tmp_path / "missing.json"))
    assert status == 2 and "cannot be read as JSON" in err
