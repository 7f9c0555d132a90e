"""What a check-in costs the person waiting: opening it (with its week
picker), choosing another week, submitting it; and reading a number in a
locale with Babel against the regex reader it replaced.

A member with a plan of 10 commitments and a check-in for each of the 11 weeks before this one
(SQLite, a temporary file, migrated). Each use case runs N times in its own
transaction, as a request does; prints p50/p99 in milliseconds. The number
readers run 10,000 times each, on numbers as people type them.
Run: python -m benchmarks.weeks [--runs 300]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.blocks.checkin import checkin_modal
from bot.db.migrate import upgrade
from bot.db.session import Database
from bot.domain.commitments import parse_number
from bot.domain.content import CommitmentInput, PlanInput
from bot.usecases import checkins
from bot.usecases.checkins import CheckinForm
from bot.usecases.common import Actor
from tests.support import PerCallServices as Services

NOW = dt.datetime(2026, 12, 14, 15, 0, tzinfo=dt.UTC)  # week 12 of Q4 FY2026
ACTOR = Actor(slack_team_id="TBENCH", slack_user_id="UBENCH")


def stage(db: Database) -> tuple[int, list[int]]:
    services = Services.build(db)
    member = services.members.ensure_member(
        slack_team_id="TBENCH", slack_user_id="UBENCH", display_name="Dana", locale="de-DE"
    )
    services.members.mark_onboarded(member_id=member.id, now=NOW)
    services.members.set_manager(
        member_id=member.id, manager_id=None, changed_by_id=member.id, now=NOW, no_manager=True
    )
    plan = services.plans.start_plan(owner_id=member.id, today=NOW.date())
    commitments = [
        CommitmentInput(
            title=f"Commitment {i}", kind="activity", unit="calls", baseline="10", target="20,5"
        )
        for i in range(10)
    ]
    saved = services.plans.save(
        actor_id=member.id,
        plan_id=plan.id,
        now=NOW,
        plan_input=PlanInput(aspiration="Grow", commitments=commitments),
    )
    services.plans.propose(actor_id=member.id, plan_id=plan.id, now=NOW)
    ids = [cv.id for cv in saved.plan.commitments]
    for week in range(11):
        services.plans.record_checkin(
            actor_id=member.id,
            plan_id=plan.id,
            day=NOW.date() - dt.timedelta(weeks=week + 1),
            values={cid: f"{week},5" for cid in ids},
            confidence=4,
            win="A win",
            now=NOW,
        )
    return plan.id, ids


def timed(runs: int, work: Callable[[], object]) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


# The reader before Babel (bot/domain/commitments.py until this change): en-US only.
_OLD = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d{1,3})?%?")


def old_parse(typed: str) -> float:
    if not _OLD.fullmatch(typed.strip()):
        raise ValueError(typed)
    return float(typed.strip().replace(",", "").removesuffix("%"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=300)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'weeks.db'}"
        upgrade(url)
        db = Database(url)
        plan_id, ids = stage(db)

        def open_form() -> CheckinForm:
            form = checkins.open_checkin(db, actor=ACTOR, now=NOW)
            assert isinstance(form, CheckinForm)
            return form

        def modal(week: dt.date | None) -> None:
            form = checkins.open_checkin(db, actor=ACTOR, now=NOW, week=week)
            assert isinstance(form, CheckinForm)
            checkin_modal(form.plan, monday=form.monday, previous=form.previous, weeks=form.weeks)

        def submit() -> None:
            checkins.submit_checkin(
                db,
                actor=ACTOR,
                plan_id=plan_id,
                day=NOW.date() - dt.timedelta(weeks=3),
                values={cid: "1.234,5" for cid in ids},
                confidence=3,
                win="Late, but in",
                blocker=None,
                one_on_one_happened=None,
                now=NOW,
            )

        form = open_form()
        print(f"the week picker lists {len(form.weeks)} weeks")
        for name, work in (
            ("open the check-in (this week, picker included)", lambda: modal(None)),
            ("choose a past week (reopened, pre-filled)", lambda: modal(dt.date(2026, 11, 23))),
            ("submit a late week (10 numbers, de-DE)", submit),
        ):
            p50, p99 = timed(runs, work)
            print(f"{name:52} p50 {p50:6.2f} ms  p99 {p99:6.2f} ms")
        db.dispose()

    typed = ["1,234.5", "27", "0.125", "15%", "1,200", "12.345", "3", "100", "2.5", "1e3"]
    german = ["1.234,5", "27", "0,125", "15%", "1.200", "12,345", "3", "100", "2,5", "1e3"]
    for name, work in (
        ("regex reader (before, en-US only)", lambda: [old_parse(t) for t in typed]),
        (
            "Babel reader, en-US",
            lambda: [parse_number(t, field="f", label="v", locale="en-US") for t in typed],
        ),
        (
            "Babel reader, de-DE",
            lambda: [parse_number(t, field="f", label="v", locale="de-DE") for t in german],
        ),
    ):
        p50, _ = timed(1000, work)
        print(f"{name:52} {p50 * 100:6.2f} µs per number")


if __name__ == "__main__":
    main()
