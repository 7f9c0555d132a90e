"""Trend charts: a PNG drawn from the numbers, alt text that states them, valid Block Kit,
and matplotlib kept off every path before Slack's ack."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from bot.blocks.history import trends_modal
from bot.charts import render_trend
from bot.domain import commitments as c
from bot.domain import trends as t
from bot.domain.quarters import Quarter
from bot.services.history import Trends
from tests.slack_emulator import check_view

MONDAYS = [dt.date(2026, 10, 5) + dt.timedelta(weeks=w) for w in range(13)]


def calls_trend(*, weeks: int = 13, title: str = "Discovery calls") -> t.Trend:
    return t.Trend(
        title=title,
        unit="calls",
        kind=c.CommitmentKind.ACTIVITY,
        direction=c.Direction.UP,
        target=27.5,
        weeks=tuple(t.WeekPoint(week=m, value=20 + i) for i, m in enumerate(MONDAYS[:weeks])),
        quarters=(
            t.QuarterPoint(label="Q2 FY2026", achieved=18, baseline=15, target=20),
            t.QuarterPoint(label="Q3 FY2026", achieved=24.5, baseline=20, target=25),
            t.QuarterPoint(
                label="Q4 FY2026", achieved=26, baseline=24.5, target=27.5, current=True
            ),
        ),
    )


def test_a_trend_is_a_png() -> None:
    png = render_trend(calls_trend())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (800, 300)
    # With no check-ins yet, and a single quarter, it still draws.
    empty = t.Trend(
        title="New",
        unit="demos",
        kind=c.CommitmentKind.RESULT,
        direction=c.Direction.DOWN,
        target=3,
        weeks=(),
        quarters=(t.QuarterPoint(label="Q4 FY2026", achieved=None, baseline=5, target=3),),
    )
    assert render_trend(empty).startswith(b"\x89PNG")
    assert "no check-ins yet" in t.summary(empty) and "no earlier bar" in t.summary(empty)


def test_the_alt_text_states_every_number_the_chart_shows() -> None:
    text = t.summary(calls_trend())
    weeks = ", ".join(f"{m:%b %-d}: {20 + i}" for i, m in enumerate(MONDAYS))
    assert f"Weekly this quarter: {weeks} (target 27.5 per week)" in text
    assert "Q2 FY2026 18 of 20; Q3 FY2026 24.5 of 25; Q4 FY2026 so far 26 of 27.5" in text
    assert "The bar rose from 20 to 27.5 over 3 quarters." in text
    assert len(t.summary(calls_trend(title="x" * 150))) <= t.ALT_TEXT_MAX


def test_the_trends_modal_is_valid_block_kit() -> None:
    found = Trends(
        plan_id=1,
        quarter=Quarter(2026, 4),
        owner_name="Dana <!channel>",
        trends=tuple(calls_trend(title=f"Commitment {i} " + "y" * 130) for i in range(10)),
        milestones=("MEDDICC cert: done",),
    )
    view = trends_modal(found, file_ids=[f"F{i:010d}" for i in range(10)])
    assert check_view(view) == []
    images = [b for b in view["blocks"] if b["type"] == "image"]
    assert len(images) == 10 and all(
        i["alt_text"] == t.summary(calls_trend(title=i["title"]["text"])) for i in images
    )
    assert "<!channel>" not in str(view)


def test_matplotlib_is_not_imported_before_a_chart_is_drawn() -> None:
    """The app, its listeners and the scheduler load without matplotlib (about
    half a second): it is imported by the first chart, after an ack."""
    code = (
        "import sys; import bot.app, bot.listeners, bot.scheduler.jobs, bot.cli, bot.charts; "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
