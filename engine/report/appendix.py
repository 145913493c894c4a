"""Extra sections a report can end with, as plain titled lines every format can render.

The practice loop (``engine.practice``) sits above the report, so it hands its sections (the
change since the previous attempt, what a strong answer covers, the interview loop) to the
exporters as plain data instead of the report reaching up for them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportSection:
    """A heading and its lines, in reading order."""

    title: str
    lines: tuple[str, ...]
