"""The read views on a workspace with history: a bounded number of statements
in one transaction, each finding its rows by an index (benchmarks/dataset.py
builds the data; benchmarks/reads.py runs the same views at full size)."""

from __future__ import annotations

import datetime as dt

from benchmarks.dataset import Size, build
from benchmarks.reads import MAX_STATEMENTS, attach, people, views
from bot.db.session import Database
from tests.sql_plans import wasteful_reads

NOW = dt.datetime(2026, 11, 23, 15, 0, tzinfo=dt.UTC)
# Enough members and plans that a read of every member, or of every plan of
# the workspace, reads far more rows than any view shows.
SIZE = Size(members=600, teams=20, quarters=3, public_leaders=4)


def test_read_views_are_bounded_and_read_by_index(database_url: str) -> None:
    build(database_url, size=SIZE, today=NOW.date())
    db = Database(database_url)
    recorder = attach(db.engine)
    try:
        for name, call in views(db, NOW, *people(SIZE)):
            with recorder.recording():
                shown = call(db, NOW)
            assert shown, name
            statements = list(recorder.statements)
            assert len(statements) <= MAX_STATEMENTS, (name, statements)
            assert recorder.transactions == 1, name
            with db.engine.connect() as connection:
                wasted = [
                    f"{scan}: {' '.join(sql.split())[:200]}"
                    for sql, parameters in statements
                    for scan in wasteful_reads(connection, sql, parameters)
                ]
            assert wasted == [], name
    finally:
        db.dispose()
