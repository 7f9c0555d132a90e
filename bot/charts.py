"""A commitment's trend drawn as a PNG, with matplotlib's Agg backend.

matplotlib is imported on first use, not with this module: importing it
costs about half a second, which must never land on a path before Slack's
ack (nor on ``myplan tick``'s start). Charts are drawn after the ack, by the
listener's work, one figure at a time: matplotlib's state is not thread-safe.
"""

from __future__ import annotations

import io
import threading
from typing import Any

from bot.domain.commitments import format_number
from bot.domain.trends import QUARTERS_SHOWN, WEEKS_SHOWN, Trend

WIDTH_INCHES, HEIGHT_INCHES, DPI = 8.0, 3.0, 100  # 800 x 300 px: a modal's width
ACHIEVED, TARGET, WEEKLY, CURRENT = "#2a9d8f", "#e76f51", "#457b9d", "#a8dadc"

_lock = threading.Lock()
_canvas: Any = None  # matplotlib's FigureCanvasAgg, once imported


def _matplotlib() -> Any:
    """FigureCanvasAgg, importing matplotlib (Agg only, no GUI) the first time."""
    global _canvas
    if _canvas is None:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        _canvas = FigureCanvasAgg
    return _canvas


def render_trend(trend: Trend) -> bytes:
    """The trend as a PNG: this quarter's weekly values against the target on
    the left, each quarter's achievement against its target on the right."""
    with _lock:
        canvas_class = _matplotlib()
        from matplotlib.figure import Figure

        figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
        canvas_class(figure)
        # A fixed layout: tight_layout would draw the figure twice to measure it.
        weekly, quarterly = figure.subplots(
            1,
            2,
            gridspec_kw={"width_ratios": [3, 2], "wspace": 0.15},
        )
        figure.subplots_adjust(left=0.05, right=0.99, top=0.82, bottom=0.2)
        _draw_weeks(weekly, trend)
        _draw_quarters(quarterly, trend)
        figure.suptitle(trend.title[:80], fontsize=11, x=0.01, y=0.98, ha="left")
        out = io.BytesIO()
        # Fast zlib: the PNG is a few kB larger, and encoding takes a tenth of the time.
        figure.savefig(out, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})
        return out.getvalue()


def _draw_weeks(axes: Any, trend: Trend) -> None:
    weeks = trend.weeks[-WEEKS_SHOWN:]
    per = " per week" if trend.per_week else ""
    axes.set_title(
        f"This quarter, week by week ({trend.unit}{per})", fontsize=9, loc="left", y=1.02
    )
    positions = list(range(len(weeks)))
    axes.bar(positions, [p.value for p in weeks], color=WEEKLY)
    axes.axhline(trend.target, color=TARGET, linestyle="--", linewidth=1.5)
    axes.annotate(
        f"target {format_number(trend.target)}",
        (1, trend.target),
        xycoords=("axes fraction", "data"),
        ha="right",
        va="bottom",
        fontsize=7,
        color=TARGET,
    )
    # Every other week is labelled: ticks are most of a chart's drawing time.
    labelled = positions[::2] if len(positions) > 7 else positions
    axes.set_xticks(labelled, [f"{weeks[i].week:%b %-d}" for i in labelled], fontsize=7)
    if not weeks:
        axes.text(0.5, 0.5, "no check-ins yet", transform=axes.transAxes, ha="center")
    _tidy(axes)


def _draw_quarters(axes: Any, trend: Trend) -> None:
    quarters = trend.quarters[-QUARTERS_SHOWN:]
    axes.set_title("By quarter: achieved (bars), bar (line)", fontsize=9, loc="left", y=1.02)
    positions = list(range(len(quarters)))
    achieved = [q.achieved or 0.0 for q in quarters]
    colours = [CURRENT if q.current else ACHIEVED for q in quarters]
    axes.bar(positions, achieved, color=colours, label="achieved")
    axes.plot(
        positions,
        [q.target for q in quarters],
        color=TARGET,
        marker="o",
        linewidth=1.5,
        label="target (the bar)",
    )
    for x, q in zip(positions, quarters, strict=True):
        if q.achieved is not None:
            axes.annotate(
                format_number(round(q.achieved, 1)),
                (x, q.achieved),
                ha="center",
                va="bottom",
                fontsize=7,
            )
    axes.set_xticks(positions, [_short(q.label) for q in quarters], fontsize=7)
    _tidy(axes)


def _short(label: str) -> str:
    """'Q3 FY2026' as 'Q3\nFY26': eight quarters side by side stay legible."""
    quarter, _, year = label.partition(" FY")
    return f"{quarter}\nFY{year[-2:]}" if year else label


def _tidy(axes: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(4))
    axes.tick_params(axis="y", labelsize=7)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
