"""What the database does for a statement: which tables it reads whole, or
reads far more rows of than the statement returns. Shared by the read-view
tests (tests/scenarios/test_home_queries.py) and benchmarks/reads.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from bot.db import models as m

# A node that reads more rows than this, and more than READ_RATIO times what
# the statement returns, reads rows it then discards: a scan that grows with
# the workspace (every member, every plan) rather than with what is shown.
READ_FLOOR = 200
READ_RATIO = 10


def wasteful_reads(connection: Connection, sql: str, parameters: Any) -> list[str]:
    """The scans of ``sql`` that read a table whole or far past what it returns.

    PostgreSQL runs it (EXPLAIN ANALYZE, sequential scans off, so a Seq Scan
    means there is no index to use) and each scan's rows read, kept or
    filtered out, are compared with the rows returned. SQLite has no row
    counts: a SCAN of a table (with or without an index) rather than a SEARCH
    is what it reports, of a table with more than READ_FLOOR rows (a planner
    rightly reads a table of a few rows whole)."""
    tables = set(m.Base.metadata.tables)
    if connection.dialect.name != "postgresql":
        found = []
        for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, parameters):
            words = str(row[-1]).split()
            if words[:1] == ["SCAN"] and words[1] in tables:
                rows = connection.exec_driver_sql(f"SELECT count(*) FROM {words[1]}").scalar()
                if int(rows or 0) > READ_FLOOR:
                    found.append(f"{row[-1]} ({rows} rows)")
        return found
    # Index reads cost what they cost on a server with its data in memory (or
    # on SSD, as PostgreSQL's documentation advises setting): at the few hundred rows a
    # test has, the default (4) makes the planner read a whole index where, at
    # a workspace's size, it looks rows up one by one.
    connection.exec_driver_sql("SET enable_seqscan = off")
    connection.exec_driver_sql("SET random_page_cost = 1.1")
    try:
        explained = connection.exec_driver_sql(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + sql, parameters
        ).scalar()
    finally:
        connection.exec_driver_sql("RESET enable_seqscan")
        connection.exec_driver_sql("RESET random_page_cost")
    top = explained[0]["Plan"]
    returned = max(1, int(top.get("Actual Rows", 0)))
    return _pg_scans(top, returned=returned, tables=tables)


def _pg_scans(node: dict[str, Any], *, returned: int, tables: set[str]) -> list[str]:
    found = []
    kind, table = node.get("Node Type", ""), node.get("Relation Name")
    if table in tables:
        loops = int(node.get("Actual Loops", 1))
        read = (
            int(node.get("Actual Rows", 0)) + int(node.get("Rows Removed by Filter", 0))
        ) * loops
        if kind == "Seq Scan":
            found.append(f"Seq Scan on {table} ({read} rows)")
        elif read > READ_FLOOR and read > READ_RATIO * returned:
            found.append(f"{kind} on {table} reads {read} rows for {returned} returned")
    for child in node.get("Plans", []):
        found += _pg_scans(child, returned=returned, tables=tables)
    return found
