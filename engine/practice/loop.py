"""Interview loop mode: a timed round like a real onsite, and the report of the whole round.

A real ML loop is not one question: it is 45 minutes that cover a design question, a metrics or
experimentation question and a diagnosis, with follow-ups, against one clock. The round's
questions are chosen per slot (unseen ones first, rotated by date so repeated rounds differ),
the session carries ``settings["loop"]`` so any stored session knows it was a loop, and the loop
report gives a verdict per dimension across the round and where the time went. A round ended
early still gets a report, marked partial.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from engine.errors import ConfigError
from engine.questions.model import Question
from engine.report.builder import SessionReport, build_report, dimension_label
from engine.rubric import DIMENSION_IDS, SCORE_LABELS
from engine.store.model import Session


@dataclass(frozen=True)
class LoopFormat:
    """A round: its name, total clock and the categories each slot draws from."""

    id: str
    title: str
    total_s: int
    slots: tuple[tuple[str, ...], ...]

    @property
    def budget_per_question_s(self) -> float:
        return self.total_s / len(self.slots)


LOOP_FORMATS: dict[str, LoopFormat] = {
    "onsite-45": LoopFormat(
        "onsite-45",
        "45-minute onsite round",
        45 * 60,
        (("design",), ("metrics", "experimentation"), ("diagnose",)),
    ),
    "screen-30": LoopFormat(
        "screen-30", "30-minute phone screen", 30 * 60, (("design", "metrics"), ("tradeoff",))
    ),
}
DEFAULT_LOOP = "onsite-45"


def loop_format(format_id: str) -> LoopFormat:
    """The format by id.

    Raises:
        ConfigError: unknown id (the message lists the known ones).
    """
    try:
        return LOOP_FORMATS[format_id]
    except KeyError:
        known = ", ".join(LOOP_FORMATS)
        raise ConfigError(f"unknown loop {format_id!r}; choose one of {known}") from None


def _rotation(day: date, slot: int) -> int:
    digest = hashlib.sha256(f"{day.isoformat()}:{slot}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def pick_loop_questions(
    fmt: LoopFormat, bank: Sequence[Question], seen: set[str], day: date
) -> list[Question]:
    """One question per slot: unseen questions first, rotated by ``day`` (deterministic)."""
    chosen: list[Question] = []
    for slot, categories in enumerate(fmt.slots):
        pool = [q for q in bank if q.category in categories and q not in chosen]
        fresh = [q for q in pool if q.id not in seen] or pool
        if not fresh:
            continue
        fresh.sort(key=lambda q: q.id)
        chosen.append(fresh[_rotation(day, slot) % len(fresh)])
    return chosen


def loop_settings(fmt: LoopFormat, questions: Sequence[Question]) -> dict[str, Any]:
    """What a loop session stores in ``settings["loop"]``."""
    return {
        "format": fmt.id,
        "title": fmt.title,
        "total_s": fmt.total_s,
        "question_ids": [q.id for q in questions],
        "budget_per_question_s": round(fmt.budget_per_question_s, 1),
    }


def remaining_s(settings: dict[str, Any], used_s: float) -> float | None:
    """Seconds left on the round's clock, or None when the session is not a loop."""
    loop = settings.get("loop")
    if not isinstance(loop, dict) or not loop.get("total_s"):
        return None
    return float(loop["total_s"]) - used_s


@dataclass(frozen=True)
class DimensionVerdict:
    dimension: str
    label: str
    mean: float
    per_question: tuple[int | None, ...]
    verdict: str


@dataclass(frozen=True)
class QuestionTime:
    number: int
    text: str
    category: str
    spent_s: float
    budget_s: float
    overall: float | None

    @property
    def over_s(self) -> float:
        return max(0.0, self.spent_s - self.budget_s)


@dataclass(frozen=True)
class LoopReport:
    """The round as a whole: verdict, dimension verdicts, time per question, partial or not."""

    title: str
    total_s: float
    used_s: float
    planned_questions: int
    answered_questions: int
    overall: float | None
    verdict: str
    dimensions: tuple[DimensionVerdict, ...]
    times: tuple[QuestionTime, ...]

    @property
    def partial(self) -> bool:
        return self.answered_questions < self.planned_questions

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "total_s": self.total_s,
            "used_s": round(self.used_s, 1),
            "planned_questions": self.planned_questions,
            "answered_questions": self.answered_questions,
            "partial": self.partial,
            "overall": self.overall,
            "verdict": self.verdict,
            "dimensions": [
                {
                    "dimension": d.dimension,
                    "mean": round(d.mean, 2),
                    "per_question": list(d.per_question),
                    "verdict": d.verdict,
                }
                for d in self.dimensions
            ],
            "time": [
                {
                    "question": t.number,
                    "category": t.category,
                    "spent_s": round(t.spent_s, 1),
                    "budget_s": round(t.budget_s, 1),
                    "overall": t.overall,
                }
                for t in self.times
            ],
        }


def _dimension_verdict(label: str, scores: list[int]) -> str:
    mean = sum(scores) / len(scores)
    weak = sum(1 for s in scores if s < 3)
    if weak == 0:
        return f"{label}: {SCORE_LABELS[int(round(mean))]} in every question"
    if weak == len(scores):
        return f"{label}: below solid in every question — the skill to work on"
    return f"{label}: below solid in {weak} of {len(scores)} questions"


def _round_verdict(overall: float | None, partial: bool, answered: int, planned: int) -> str:
    if overall is None:
        return "No answer was graded in this round."
    if overall >= 3.25:
        text = "A strong round: most interviewers would lean hire."
    elif overall >= 2.75:
        text = "A mixed round: solid in places, with gaps an interviewer would probe."
    else:
        text = "Not there yet: the gaps below would likely cost this round."
    if partial:
        text += f" Partial: {answered} of {planned} questions answered."
    return text


def build_loop_report(session: Session, report: SessionReport | None = None) -> LoopReport | None:
    """The loop report of a loop session; None for ordinary sessions."""
    loop = session.settings.get("loop")
    if not isinstance(loop, dict):
        return None
    report = report or build_report(session)
    planned = max(len(loop.get("question_ids") or ()), len(session.questions))
    total = float(loop.get("total_s") or 0.0)
    budget = float(loop.get("budget_per_question_s") or (total / planned if planned else 0.0))
    times = []
    for record, question in zip(session.questions, report.questions, strict=False):
        spent = sum(t.duration_s for t in record.turns)
        times.append(
            QuestionTime(
                question.number, question.text, question.category, spent, budget, question.overall
            )
        )
    answered = sum(1 for q in report.questions if q.overall is not None)
    verdicts = []
    for dim in DIMENSION_IDS:
        per_question = tuple(
            (q.dimension(dim).score if q.dimension(dim) else None) for q in report.questions
        )
        scores = [s for s in per_question if s is not None]
        if not scores:
            continue
        label = dimension_label(dim)
        verdicts.append(
            DimensionVerdict(
                dim,
                label,
                sum(scores) / len(scores),
                per_question,
                _dimension_verdict(label, scores),
            )
        )
    verdicts.sort(key=lambda v: (v.mean, DIMENSION_IDS.index(v.dimension)))
    partial = answered < planned
    return LoopReport(
        title=str(loop.get("title") or "Interview loop"),
        total_s=total,
        used_s=sum(t.spent_s for t in times),
        planned_questions=planned,
        answered_questions=answered,
        overall=report.overall,
        verdict=_round_verdict(report.overall, partial, answered, planned),
        dimensions=tuple(verdicts),
        times=tuple(times),
    )


def format_loop_report(loop: LoopReport) -> str:
    """The loop report as plain text (the CLI, the Markdown export)."""
    from engine.clock import mmss

    lines = [
        f"{loop.title}: {mmss(loop.used_s)} used of {mmss(loop.total_s)}",
        loop.verdict,
        "Across the round:",
    ]
    lines.extend(f"  - {d.verdict} (mean {d.mean:.1f})" for d in loop.dimensions)
    lines.append("Where the time went:")
    for t in loop.times:
        over = f", {mmss(t.over_s)} over its share" if t.over_s else ""
        score = f", {t.overall:.1f}/4" if t.overall is not None else ", not graded"
        lines.append(
            f"  {t.number}. {t.category}: {mmss(t.spent_s)} of {mmss(t.budget_s)}{over}{score}"
        )
    return "\n".join(lines)
