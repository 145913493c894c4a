"""Two gradings of the same answer side by side, and which one is current.

Every re-grade is kept (another engine, a better Whisper model, a newer grader version), so the
report and the desktop can show how the scores moved and which grading the report uses now.
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.report.builder import AnswerView, dimension_label
from engine.store.model import GradingRecord, Turn


@dataclass(frozen=True)
class ComparisonRow:
    dimension: str
    label: str
    left: int | None
    right: int | None

    @property
    def delta(self) -> int | None:
        if self.left is None or self.right is None:
            return None
        return self.right - self.left


@dataclass(frozen=True)
class GradingComparison:
    """Two gradings of one turn side by side (offline vs LLM, before/after re-transcribing)."""

    turn_index: int
    left: GradingRecord
    right: GradingRecord
    left_is_current: bool
    right_is_current: bool
    rows: tuple[ComparisonRow, ...]

    @property
    def overall_delta(self) -> float:
        return round(self.right.grade.overall - self.left.grade.overall, 2)


def compare_gradings(turn: Turn | AnswerView, left: int = -2, right: int = -1) -> GradingComparison:
    """Put two of a turn's gradings side by side (by default the previous and the newest).

    Accepts a stored ``Turn`` or a report ``AnswerView`` (both keep every grading), so each
    report format can show the comparison from what it already holds.

    Raises:
        IndexError: the turn does not have two gradings at those positions.
    """
    gradings = turn.gradings
    count = len(gradings)
    if count < 2 or not (-count <= left < count and -count <= right < count):
        raise IndexError(f"turn has {count} grading(s); cannot compare #{left} with #{right}")
    left_i, right_i = left % count, right % count
    a, b = gradings[left_i], gradings[right_i]
    ids = [d.id for d in a.grade.dimensions]
    ids += [d.id for d in b.grade.dimensions if d.id not in ids]
    rows = []
    for dim_id in ids:
        da, db = a.grade.dimension(dim_id), b.grade.dimension(dim_id)
        if (da is None or da.score is None) and (db is None or db.score is None):
            continue  # not applicable in either grading
        rows.append(
            ComparisonRow(
                dimension=dim_id,
                label=dimension_label(dim_id),
                left=None if da is None else da.score,
                right=None if db is None else db.score,
            )
        )
    index = turn.turn_index if isinstance(turn, AnswerView) else turn.index
    return GradingComparison(
        turn_index=index,
        left=a,
        right=b,
        left_is_current=turn.current_grading == left_i,
        right_is_current=turn.current_grading == right_i,
        rows=tuple(rows),
    )
