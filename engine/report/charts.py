"""Inline SVG charts for the HTML report: dimension scores and the stage timeline vs the limit.

Hand-written SVG keeps the exported report one self-contained file with no scripts, fonts or
images to fetch, and it prints the same in every browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from engine.clock import mmss
from engine.grading.result import Stage
from engine.report.builder import DimensionView, dimension_label
from engine.rubric import DIMENSION_IDS, SCORE_MAX

# One colour per dimension, the same in every chart and legend.
DIMENSION_COLOURS: dict[str, str] = dict(
    zip(
        DIMENSION_IDS,
        ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"),
        strict=False,
    )
)
OTHER_COLOUR = "#bab0ac"
SCORE_COLOURS = {1: "#d9534f", 2: "#f0ad4e", 3: "#5bc0de", 4: "#5cb85c"}


def colour_of(dimension_id: str) -> str:
    """The chart colour of a dimension (grey for ids this version does not know)."""
    return DIMENSION_COLOURS.get(dimension_id, OTHER_COLOUR)


def score_bars_svg(dimensions: Sequence[DimensionView], width: int = 560) -> str:
    """Horizontal bars, one per dimension, 1-4; "n/a" for dimensions not applicable."""
    row_h, label_w, pad = 24, 150, 8
    bar_w = width - label_w - 40
    height = pad * 2 + row_h * len(dimensions) + 16
    parts = [
        f'<svg class="chart" role="img" aria-label="Scores per dimension" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for tick in range(1, SCORE_MAX + 1):
        x = label_w + bar_w * tick / SCORE_MAX
        parts.append(
            f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{height - 18}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{height - 4}" font-size="10" text-anchor="middle" '
            f'fill="#666">{tick}</text>'
        )
    for row, dim in enumerate(dimensions):
        y = pad + row * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 16}" font-size="12" text-anchor="end" '
            f'fill="#222">{escape(dim.label)}</text>'
        )
        if dim.score is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + 16}" font-size="11" fill="#888">n/a</text>'
            )
            continue
        w = bar_w * dim.score / SCORE_MAX
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" rx="3" '
            f'fill="{SCORE_COLOURS.get(dim.score, OTHER_COLOUR)}"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + 16}" font-size="12" '
            f'fill="#222">{dim.score}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _tick_step(span_s: float) -> int:
    for step in (10, 15, 30, 60, 120, 300, 600):
        if span_s / step <= 8:
            return step
    return 1200


def stage_timeline_svg(
    stages: Sequence[Stage], duration_s: float, limit_s: float | None, width: int = 640
) -> str:
    """Where the time went: coloured stage spans on a time axis, with the limit as a red line."""
    span = max(duration_s, limit_s or 0.0, 1.0) * 1.05
    left, right, top, bar_h = 14, 14, 16, 22
    usable = width - left - right
    height = top + bar_h + 22

    def x_of(t: float) -> float:
        return left + usable * max(0.0, t) / span

    parts = [
        f'<svg class="chart" role="img" aria-label="Time per stage against the limit" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="{left}" y="{top}" width="{x_of(duration_s) - left:.1f}" height="{bar_h}" '
        f'fill="#eee"/>',
    ]
    for stage in stages:
        x0, x1 = x_of(stage.start_s), x_of(stage.end_s)
        title = f"{dimension_label(stage.dimension)}: {mmss(stage.start_s)}-{mmss(stage.end_s)}"
        parts.append(
            f'<rect x="{x0:.1f}" y="{top}" width="{max(1.0, x1 - x0):.1f}" height="{bar_h}" '
            f'fill="{colour_of(stage.dimension)}"><title>{escape(title)}</title></rect>'
        )
    step = _tick_step(span)
    t = 0
    while t <= span:
        x = x_of(t)
        anchor = "start" if t == 0 else "middle"
        parts.append(
            f'<line x1="{x:.1f}" y1="{top + bar_h}" x2="{x:.1f}" y2="{top + bar_h + 4}" '
            f'stroke="#888"/><text x="{x:.1f}" y="{top + bar_h + 15}" font-size="10" '
            f'text-anchor="{anchor}" fill="#666">{mmss(t)}</text>'
        )
        t += step
    if limit_s:
        x = x_of(limit_s)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{top + bar_h + 4}" '
            f'stroke="#c9302c" stroke-width="2" stroke-dasharray="4 2"/>'
            f'<text x="{x - 4:.1f}" y="{top - 6}" font-size="10" text-anchor="end" '
            f'fill="#c9302c">limit {mmss(limit_s)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def stage_legend_html(stages: Sequence[Stage]) -> str:
    """A legend naming the colours used, with the seconds spent per dimension."""
    totals: dict[str, float] = {}
    for stage in stages:
        totals[stage.dimension] = totals.get(stage.dimension, 0.0) + stage.end_s - stage.start_s
    items = [
        f'<span class="legend"><span class="swatch" style="background:{colour_of(d)}"></span>'
        f"{escape(dimension_label(d))} {seconds:.0f}s</span>"
        for d, seconds in totals.items()
    ]
    return " ".join(items)
