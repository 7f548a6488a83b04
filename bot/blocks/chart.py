"""The weekly update's chart: assistant DAU across the strategic accounts, week by week, as
a PNG with an alt text that says what it shows to someone who cannot see it.

matplotlib is imported here, when a chart is drawn, not when the module is: a CLI command
that draws nothing should not pay for it. It draws on its own `Figure` with the Agg
canvas (headless, no pyplot and its global state), so two charts drawn at once in one
process cannot draw on each other.
"""

from __future__ import annotations

import io

from bot.domain.outbox import FileUpload
from bot.domain.updates import Week
from bot.domain.weekly import WeeklyDau, chart_filename

TITLE = "Weekly assistant DAU, strategic accounts"


def _figure(points: list[WeeklyDau]) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = [f"W{p.week.monday.isocalendar().week:02d}" for p in points]
    values = [float("nan") if p.dau is None else p.dau for p in points]
    figure = Figure(figsize=(8, 3.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.plot(labels, values, marker="o", color="#1264a3", linewidth=2)
    axes.set_title(TITLE, loc="left", fontsize=11)
    axes.set_ylabel("avg. daily users")
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def _alt_text(week: Week, points: list[WeeklyDau]) -> str:
    known = [p for p in points if p.dau is not None]
    first, last = known[0], known[-1]
    peak = max(known, key=lambda p: p.dau or 0.0)
    change = ""
    if first.dau:
        change = f", {((last.dau or 0.0) - first.dau) / first.dau:+.0%}"
    gaps = len(points) - len(known)
    missing = f" {gaps} of the weeks have no figures." if gaps else ""
    return (
        f"Line chart of weekly assistant DAU across strategic accounts, {points[0].week} to "
        f"{week}: {first.dau:,.0f} in {first.week}, {last.dau:,.0f} in {last.week}{change}; "
        f"highest {peak.dau:,.0f} in {peak.week}.{missing}"
    )


def dau_chart(week: Week, points: list[WeeklyDau]) -> FileUpload | None:
    """The chart of `points` (oldest first) for the week's post; None when no week has
    figures, and the post says so instead."""
    if not any(p.dau is not None for p in points):
        return None
    return FileUpload(
        filename=chart_filename(week),
        title=f"{TITLE}, {points[0].week} to {week}",
        alt_text=_alt_text(week, points),
        content=_figure(points),
    )
