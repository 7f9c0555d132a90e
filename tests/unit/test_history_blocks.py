"""History modals within Slack's limits, whatever a quarter holds: 100 blocks,
3,000 characters a section, titles of 24; user text escaped; paging."""

from __future__ import annotations

import dataclasses
import datetime as dt

from bot.blocks.history import (
    home_history_blocks,
    quarter_modal,
    quarters_modal,
    revisions_modal,
)
from bot.domain.plans import PlanState
from bot.domain.quarters import Quarter
from bot.services.history import (
    BarView,
    PastQuarter,
    PastQuarterRef,
    QuarterList,
    ReviewView,
    RevisionView,
)
from bot.services.read_model import WinView
from tests.slack_emulator import check_blocks, check_view
from tests.unit.test_blocks import HOSTILE, plan_view

WHEN = dt.datetime(2026, 9, 28, 15, tzinfo=dt.UTC)


def biggest_quarter() -> PastQuarter:
    plan = dataclasses.replace(
        plan_view(10, HOSTILE),
        state=PlanState.CLOSED,
        wins=tuple(
            WinView(text=HOSTILE, happened_on=dt.date(2026, 8, 1), message_link=None)
            for _ in range(300)
        ),
    )
    return PastQuarter(
        plan=plan,
        owner_name=HOSTILE[:200],
        review=ReviewView(
            owner_reflection=HOSTILE,
            manager_reflection=HOSTILE,
            completed_at=WHEN,
            bars=tuple(
                BarView(
                    title=f"Metric {i} " + "t" * 100,
                    unit="calls",
                    actual=12.5,
                    proposed_baseline=12.5,
                    proposed_target=13.75,
                    chosen_baseline=12,
                    chosen_target=13,
                    lowered_reason=HOSTILE,
                )
                for i in range(10)
            ),
        ),
        revisions=tuple(
            RevisionView(
                number=n,
                author_name=HOSTILE[:100],
                created_at=WHEN,
                changes=tuple(f"Aspiration: {HOSTILE}" for _ in range(20)),
            )
            for n in range(60, 0, -1)
        ),
    )


def test_a_quarter_at_its_largest_fits_a_modal_and_pings_nobody() -> None:
    view = quarter_modal(biggest_quarter())
    assert check_view(view) == []
    assert len(view["blocks"]) <= 100
    assert "<!channel>" not in str(view) and "<@U123>" not in str(view)


def test_revisions_are_paged_newest_first() -> None:
    past = biggest_quarter()
    first = revisions_modal(past, page=0)
    last = revisions_modal(past, page=99)  # past the end: the last page
    for view in (first, last):
        assert check_view(view) == []
        assert "<!channel>" not in str(view)
    assert "Revision 60" in str(first) and "Page 1 of 8" in str(first)
    assert "Revision 1*" in str(last) and "Page 8 of 8" in str(last)


def test_the_list_of_quarters_is_paged() -> None:
    listing = QuarterList(
        owner_id=1,
        owner_name=HOSTILE[:150],
        quarters=tuple(
            PastQuarterRef(
                plan_id=i + 1, quarter=Quarter(2000 + i // 4, i % 4 + 1), state=PlanState.CLOSED
            )
            for i in range(100)
        ),
    )
    for page in range(5):
        view = quarters_modal(listing, who="UOWNER", page=page)
        assert check_view(view) == []
    assert check_view(quarters_modal(dataclasses.replace(listing, quarters=()), who=None)) == []


def test_app_home_past_quarters() -> None:
    past = [(Quarter(2026 - i // 4, 4 - i % 4), PlanState.CLOSED) for i in range(12)]
    blocks = home_history_blocks(past, has_plan=True)
    assert check_blocks(blocks) == []
    assert "All 12 past quarters" in str(blocks) and "My trends" in str(blocks)
    assert home_history_blocks([], has_plan=False) == []
