"""Setting up data as tests and benchmarks do: each service call its own unit of work.

The app never works this way (an interaction is one use case, one
transaction: bot/usecases/); staging a scenario call by call is easier to
read, and each call commits as a person's separate action would.
"""

from __future__ import annotations

import functools
from typing import Any

from bot.db.session import Database
from bot.outbox.store import OutboxStore
from bot.services import Services, use_case


class _PerCall:
    def __init__(self, db: Database, service: str) -> None:
        self._db = db
        self._service = service

    def __getattr__(self, method: str) -> Any:
        def call(services: Services, *args: Any, **kwargs: Any) -> Any:
            return getattr(getattr(services, self._service), method)(*args, **kwargs)

        # As a use case runs: one transaction, run again after a first-sight race.
        return functools.partial(use_case(call), self._db)


class PerCallServices:
    """``services.plans.save(...)`` and the like, each committed on its own;
    ``deliveries`` is the outbox's store (deliveries were a service once)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.deliveries = OutboxStore(db)

    def __getattr__(self, service: str) -> Any:
        if service not in Services.__dataclass_fields__:
            raise AttributeError(service)
        return _PerCall(self.db, service)

    @classmethod
    def build(cls, db: Database) -> PerCallServices:
        return cls(db)


def run_due(*, services: PerCallServices, **kwargs: Any) -> Any:
    """The scheduler's tick, given the staging services' database."""
    from bot.scheduler.jobs import run_due as tick

    return tick(db=services.db, **kwargs)
