"""What the library knows about a session without opening it: one summary per folder.

``summarize`` derives it from the same report the user reads (``build_report``), so the list,
search and progress charts can never disagree with a session's report. The SQLite index stores
these summaries; they can always be recomputed from the session folders.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.report.builder import build_report
from engine.store.model import STATUS_INTERRUPTED, Session


@dataclass(frozen=True)
class SessionSummary:
    """One row of the library: what a list, a search hit or a progress chart needs.

    ``problem`` is non-empty when the folder could not be read (corrupt ``session.json``, a
    newer format); such rows are listed, flagged, and never crash the library.
    """

    id: str
    folder: Path
    created_at: str = ""
    status: str = ""
    kind: str = ""
    title: str = ""
    question_ids: tuple[str, ...] = ()
    question_texts: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    answers: int = 0
    overall: float | None = None
    dimension_scores: dict[str, float] = field(default_factory=dict)
    wpm: float | None = None
    filler_count: int = 0
    over_limit_s: float = 0.0
    duration_s: float = 0.0
    word_count: int = 0
    engine: str = ""
    problem: str = ""

    @property
    def is_corrupt(self) -> bool:
        return bool(self.problem)

    @property
    def is_interrupted(self) -> bool:
        return self.status == STATUS_INTERRUPTED

    def to_dict(self) -> dict[str, Any]:
        """The ``sessions list --json`` object of this session."""
        return {
            "id": self.id,
            "folder": str(self.folder),
            "created_at": self.created_at,
            "status": "corrupt" if self.problem else self.status,
            "kind": self.kind,
            "title": self.title,
            "questions": [
                {"id": qid or None, "text": text, "category": cat}
                for qid, text, cat in zip(
                    self.question_ids, self.question_texts, self.categories, strict=False
                )
            ],
            "answers": self.answers,
            "overall": self.overall,
            "dimensions": dict(self.dimension_scores),
            "pacing": {
                "wpm": self.wpm,
                "filler_count": self.filler_count,
                "over_limit_s": round(self.over_limit_s, 2),
                "duration_s": round(self.duration_s, 2),
                "words": self.word_count,
            },
            "engine": self.engine,
            "problem": self.problem or None,
        }


@dataclass(frozen=True)
class ProgressPoint:
    """One session on the progress charts (overall, per dimension, pacing over time)."""

    session_id: str
    created_at: str
    overall: float | None
    dimension_scores: dict[str, float]
    wpm: float | None
    filler_count: int
    over_limit_s: float


def summarize(session: Session, folder: Path) -> SessionSummary:
    """The library row of a loaded session, computed from the same report the user sees."""
    report = build_report(session)
    graded = [a for q in report.questions for a in q.answers if a.pacing is not None]
    words = sum(a.pacing.words for a in graded if a.pacing)
    speaking_s = sum(a.pacing.duration_s for a in graded if a.pacing and a.pacing.words)
    texts = [str(q.question.get("text") or "") for q in session.questions]
    return SessionSummary(
        id=session.id,
        folder=folder,
        created_at=session.created_at,
        status=session.status,
        kind=session.kind,
        title=report.title,
        question_ids=tuple(str(q.question.get("id") or "") for q in session.questions),
        question_texts=tuple(texts),
        categories=tuple(str(q.question.get("category") or "") for q in session.questions),
        answers=report.answer_count,
        overall=report.overall,
        dimension_scores={k: round(v, 2) for k, v in report.dimension_averages().items()},
        wpm=round(words / speaking_s * 60.0, 1) if speaking_s > 0 else None,
        filler_count=sum(a.pacing.filler_count for a in graded if a.pacing),
        over_limit_s=sum(a.pacing.over_limit_s for a in graded if a.pacing),
        duration_s=sum(t.duration_s for t in session.turns),
        word_count=words,
        engine=", ".join(report.engines),
    )


def search_text_of(session: Session, summary: SessionSummary) -> str:
    """Everything a library search may match: id, title, questions and what was said."""
    transcripts = [t.transcript.text for t in session.turns if t.transcript is not None]
    return " ".join([session.id, summary.title, *summary.question_texts, *transcripts])
