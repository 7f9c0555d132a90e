"""The default processes fit PostgreSQL's default max_connections (100, 3 reserved)."""

from __future__ import annotations

from bot.db.session import (
    DEFAULT_WEB_CONCURRENCY,
    POOL_SIZE,
    POSTGRES_USABLE_CONNECTIONS,
    connection_budget,
    make_engine,
)
from bot.listeners.running import LISTENERS_IN_FLIGHT


def test_the_defaults_fit_even_while_a_deploy_overlaps_old_and_new() -> None:
    budget = connection_budget(DEFAULT_WEB_CONCURRENCY)
    assert budget == DEFAULT_WEB_CONCURRENCY * POOL_SIZE + POOL_SIZE + 1  # web, clock, release
    assert 2 * budget <= POSTGRES_USABLE_CONNECTIONS


def test_a_pool_holds_every_thread_that_works_at_once() -> None:
    # The clock's fan-out threads mostly wait on Slack and its pacer; they
    # queue for the pool's connections (no overflow, below) rather than add any.
    assert POOL_SIZE >= LISTENERS_IN_FLIGHT


def test_no_process_opens_more_than_its_pool(tmp_path: object) -> None:
    engine = make_engine("postgresql://x@127.0.0.1:1/db")
    assert engine.pool.size() == POOL_SIZE  # type: ignore[attr-defined]
    assert engine.pool._max_overflow == 0  # type: ignore[attr-defined]
