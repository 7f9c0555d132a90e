"""How `myplan web` hands the app to gunicorn."""

from __future__ import annotations

import gc
import sys
from typing import Any

import pytest
from gunicorn.app.base import BaseApplication

from bot.web import serve


def test_what_startup_built_is_out_of_the_collectors_sight_before_the_workers_fork(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A full collection in a worker paused every thread for 60-370 ms while
    it walked the modules, the app and SQLAlchemy's mappers: frozen in the
    parent, they are shared with the workers and never walked again."""
    seen: dict[str, Any] = {}

    def run(server: BaseApplication) -> None:
        seen["frozen"] = gc.get_freeze_count()
        seen["worker_class"] = server.cfg.worker_class_str

    monkeypatch.setattr(BaseApplication, "run", run)
    interval = sys.getswitchinterval()
    try:
        serve(lambda environ, start_response: [], port=0)
    finally:
        gc.unfreeze()
        sys.setswitchinterval(interval)
    assert seen["frozen"] > 10_000  # every object startup left behind
    assert seen["worker_class"] == "gthread"
