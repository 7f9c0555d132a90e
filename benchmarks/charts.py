"""Trend charts: what drawing them costs, and what a person waits for to see them.

A plan at its largest: 10 measured commitments, 13 weekly values each and 8
quarters side by side. Measures, each in a fresh process so nothing is warm:

- importing matplotlib (paid once per process, by the first chart, after an ack;
  never on the way to one: tests/unit/test_charts.py holds that);
- the first chart (import, fonts) and then each chart, wall and CPU time,
  against a baseline: the same chart drawn the straightforward way
  (``tight_layout``, a legend on each side, zlib's default compression);
- `/myplan trends` for that plan end to end against the loopback Slack: the
  waiting modal opened, 10 charts drawn, uploaded with ``files_upload_v2`` into
  the DM, and the modal redrawn with them.

Goal: under 200 ms per chart.

Run: python -m benchmarks.charts [--charts 40]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import subprocess
import sys
import time
from typing import Any

from bot.domain import commitments as c
from bot.domain import trends as t

MONDAYS = [dt.date(2026, 10, 5) + dt.timedelta(weeks=w) for w in range(13)]
QUARTERS = ["Q1 FY2025", "Q2 FY2025", "Q3 FY2025", "Q4 FY2025", "Q1 FY2026", "Q2 FY2026"]


def realistic_trend(index: int) -> t.Trend:
    """A commitment with a full quarter of weeks and two years of quarters."""
    base = 20 + 3 * index
    return t.Trend(
        title=f"Commitment {index + 1}: discovery calls with new mid-market accounts",
        unit="calls",
        kind=c.CommitmentKind.ACTIVITY,
        direction=c.Direction.UP,
        target=base * 1.5,
        weeks=tuple(
            t.WeekPoint(week=monday, value=base + (week * 7) % 11)
            for week, monday in enumerate(MONDAYS)
        ),
        quarters=(
            *(
                t.QuarterPoint(
                    label=label,
                    achieved=base + q * 1.1,
                    baseline=base + q,
                    target=base + q * 1.2,
                )
                for q, label in enumerate(QUARTERS)
            ),
            t.QuarterPoint(
                label="Q3 FY2026", achieved=base * 1.3, baseline=base, target=base * 1.4
            ),
            t.QuarterPoint(
                label="Q4 FY2026",
                achieved=base * 1.35,
                baseline=base * 1.3,
                target=base * 1.5,
                current=True,
            ),
        ),
    )


def baseline_render(trend: t.Trend) -> bytes:
    """The same chart drawn the straightforward way, to compare with bot/charts.py."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 3), dpi=100)
    FigureCanvasAgg(figure)
    weekly, quarterly = figure.subplots(1, 2, gridspec_kw={"width_ratios": [3, 2]})
    weekly.bar(range(len(trend.weeks)), [p.value for p in trend.weeks], label="week")
    weekly.axhline(trend.target, linestyle="--", label="target")
    weekly.set_xticks(
        range(len(trend.weeks)), [f"{p.week:%b %-d}" for p in trend.weeks], rotation=45
    )
    weekly.legend()
    quarterly.bar(
        range(len(trend.quarters)), [q.achieved or 0 for q in trend.quarters], label="achieved"
    )
    quarterly.plot(range(len(trend.quarters)), [q.target for q in trend.quarters], marker="o")
    quarterly.set_xticks(range(len(trend.quarters)), [q.label for q in trend.quarters])
    quarterly.legend()
    figure.suptitle(trend.title)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def measure(kind: str, charts: int) -> dict[str, Any]:
    """In this (fresh) process: import cost, first chart, then ``charts`` more."""
    started = time.perf_counter()
    import matplotlib
    import matplotlib.figure  # noqa: F401

    imported = time.perf_counter() - started
    if kind == "ours":
        from bot.charts import render_trend as render
    else:
        render = baseline_render
    trends = [realistic_trend(i % 10) for i in range(charts)]
    first_started = time.perf_counter()
    size = len(render(trends[0]))
    first = time.perf_counter() - first_started
    wall, cpu = [], []
    for trend in trends:
        w, p = time.perf_counter(), time.process_time()
        render(trend)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - p)
    return {
        "import_ms": imported * 1000,
        "first_ms": first * 1000,
        "wall_ms": wall_ms(wall),
        "cpu_ms": wall_ms(cpu),
        "png_bytes": size,
    }


def wall_ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "min": ordered[0] * 1000,
        "median": statistics.median(ordered) * 1000,
        "p90": ordered[int(len(ordered) * 0.9) - 1] * 1000,
        "max": ordered[-1] * 1000,
    }


def end_to_end() -> dict[str, float]:
    """`/myplan trends` for a 10-commitment plan against the loopback Slack, from
    the waiting modal to the modal with its charts (one process, matplotlib cold)."""
    from slack_sdk import WebClient

    from bot.blocks.history import trends_modal, trends_waiting_modal
    from bot.domain.quarters import Quarter
    from bot.listeners.history import upload_charts
    from bot.services.history import Trends
    from tests.slack_emulator import SlackEmulator

    slack = SlackEmulator()
    slack.add_user("UOWNER", "dana")
    slack.start()
    try:
        client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        found = Trends(
            plan_id=1,
            quarter=Quarter(2026, 4),
            owner_name="Dana",
            trends=tuple(realistic_trend(i) for i in range(10)),
            milestones=(),
        )
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            # As a click's trigger would: the waiting modal first.
            trigger = slack.issue_trigger("UOWNER")
            view_id = client.views_open(trigger_id=trigger, view=trends_waiting_modal())["view"][
                "id"
            ]
            opened = time.perf_counter()
            file_ids = upload_charts(client, slack_user_id="UOWNER", found=found)
            client.views_update(view_id=view_id, view=trends_modal(found, file_ids=file_ids))
            runs.append((opened - started, time.perf_counter() - started))
        assert not slack.violations, slack.violations
        return {
            "waiting_modal_ms": runs[0][0] * 1000,
            "first_run_ms": runs[0][1] * 1000,
            "warm_run_ms": statistics.median(r[1] for r in runs[1:]) * 1000,
        }
    finally:
        slack.stop()


def in_fresh_process(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.charts", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=40)
    parser.add_argument("--child", choices=["ours", "baseline", "end_to_end"], help="internal")
    args = parser.parse_args()
    if args.child == "end_to_end":
        print(json.dumps(end_to_end()))
        return
    if args.child:
        print(json.dumps(measure(args.child, args.charts)))
        return
    ours = in_fresh_process("--child", "ours", "--charts", str(args.charts))
    baseline = in_fresh_process("--child", "baseline", "--charts", str(args.charts))
    flow = in_fresh_process("--child", "end_to_end")
    print(f"{args.charts} charts of 13 weeks and 8 quarters each, 800x300 px")
    print(f"import matplotlib (once per process): {ours['import_ms']:.0f} ms")
    print(f"{'':24}{'bot/charts.py':>16}{'baseline':>12}")
    print(f"{'first chart (cold)':24}{ours['first_ms']:>13.0f} ms{baseline['first_ms']:>9.0f} ms")
    for key in ("min", "median", "p90", "max"):
        print(
            f"{'per chart, ' + key:24}{ours['wall_ms'][key]:>13.1f} ms"
            f"{baseline['wall_ms'][key]:>9.1f} ms"
        )
    print(
        f"{'CPU per chart, median':24}{ours['cpu_ms']['median']:>13.1f} ms"
        f"{baseline['cpu_ms']['median']:>9.1f} ms"
    )
    kilobytes = ours["png_bytes"] / 1024, baseline["png_bytes"] / 1024
    print(f"{'PNG size':24}{kilobytes[0]:>13.0f} kB{kilobytes[1]:>9.0f} kB")
    verdict = "met" if ours["wall_ms"]["median"] < 200 else "MISSED"
    print(
        f"goal: under 200 ms per chart: {verdict} (median {ours['wall_ms']['median']:.0f} ms, "
        f"CPU {ours['cpu_ms']['median']:.0f} ms; wall time includes waiting for a shared core)"
    )
    print(
        "/myplan trends, 10 charts, loopback Slack: "
        f"waiting modal {flow['waiting_modal_ms']:.0f} ms, "
        f"charts shown after {flow['first_run_ms']:.0f} ms (first, matplotlib cold), "
        f"{flow['warm_run_ms']:.0f} ms (warm)"
    )


if __name__ == "__main__":
    main()
