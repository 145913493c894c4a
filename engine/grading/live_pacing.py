"""Pacing while the candidate is still speaking: the stage they are in, their recent pace, a cue.

The interview screen feeds this the live transcript every second or so. It names the stage the
answer is in now (framing, metrics, design, …) with the same stage detector the report uses,
counts words per minute over the last 30 seconds of the answer clock, and offers at most one
gentle, written cue when the clock and the answer disagree ("half your time is gone and no
metric yet"). It never speaks: interrupting a candidate mid-thought is the opposite of help.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from engine.grading.allocation import KEY_STAGES, stage_name
from engine.grading.analysis import analyse
from engine.grading.stages import stage_timeline
from engine.rubric import PRIMARY_DIMENSION, applicable_dimensions
from engine.transcript import Transcript

WINDOW_S = 30.0
MIN_WINDOW_S = 10.0
FAST_WPM = 190.0
FRAMING_SHARE = 0.4
METRIC_SHARE = 0.5
LATE_SHARE = 0.75


@dataclass(frozen=True)
class LivePacing:
    """What the screen shows under the clock."""

    stage: str | None
    stage_label: str
    wpm: float | None
    cue: str | None
    stages_reached: tuple[str, ...] = ()


class LivePacer:
    """Follows one answer: call ``update`` with the live text and the answer clock."""

    def __init__(self, category: str, limit_s: float | None) -> None:
        self.category = category
        self.limit_s = limit_s if limit_s and limit_s > 0 else None
        self._times: list[float] = []
        self._counts: list[int] = []
        self._dimensions = applicable_dimensions(category)

    def _recent_wpm(self, elapsed_s: float, words: int) -> float | None:
        self._times.append(elapsed_s)
        self._counts.append(words)
        if elapsed_s < MIN_WINDOW_S:
            return None
        since = elapsed_s - WINDOW_S
        index = max(0, bisect_left(self._times, since) - 1)
        start_t = max(self._times[index], 0.0) if since > 0 else 0.0
        start_words = self._counts[index] if since > 0 else 0
        span = elapsed_s - start_t
        return round((words - start_words) / span * 60.0, 0) if span > 0 else None

    def _cue(self, elapsed_s: float, reached: set[str], current: str | None) -> str | None:
        if self.limit_s is None:
            return None
        share = elapsed_s / self.limit_s
        if share >= 1.0:
            return "Time is up: wrap up with your decision in a sentence or two."
        must = PRIMARY_DIMENSION.get(self.category)
        if share >= LATE_SHARE and must and must not in reached:
            return f"Three quarters of your time is gone: get to {stage_name(must)} now."
        wants_metric = "metrics" in KEY_STAGES.get(self.category, ())
        if share >= METRIC_SHARE and wants_metric and "metrics" not in reached:
            return "Half your time is gone and no metric yet: say how you would measure success."
        if share >= FRAMING_SHARE and reached <= {"problem_framing"} and current:
            return "Still framing: state your assumptions and move on to the approach."
        return None

    def update(self, text: str, elapsed_s: float) -> LivePacing:
        """The stage, pace and cue for the answer so far (``text``: committed + tentative)."""
        words = len(text.split())
        wpm = self._recent_wpm(elapsed_s, words)
        stages = (
            stage_timeline(analyse(Transcript.from_text(text)), self._dimensions) if words else ()
        )
        current = stages[-1].dimension if stages else None
        reached = {s.dimension for s in stages}
        cue = self._cue(elapsed_s, reached, current)
        if cue is None and wpm is not None and wpm > FAST_WPM:
            cue = f"You are speaking fast ({wpm:.0f} words a minute): slow down a little."
        label = stage_name(current) if current else "getting started"
        order = tuple(dict.fromkeys(s.dimension for s in stages))
        return LivePacing(current, label, wpm, cue, order)
