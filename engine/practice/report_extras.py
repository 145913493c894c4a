"""What the practice loop adds to a session's report, computed together off the UI thread.

The comparison reads the earlier session from disk and the study cards need the question bank,
so the desktop asks for all three in one background job instead of doing I/O while painting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.library.regrade import question_from_record
from engine.practice.loop import LoopReport, build_loop_report
from engine.practice.retry import AttemptComparison, compare_with_previous
from engine.practice.study_card import StudyCard, study_card
from engine.store.model import Session


@dataclass(frozen=True)
class ReportExtras:
    """Comparison with the previous attempt, study cards and the loop report of a session.

    ``comparison`` is set for retries, ``cards`` holds one card per graded question (keyed by
    its number), ``loop`` is set for interview-loop sessions.
    """

    comparison: AttemptComparison | None = None
    cards: dict[int, StudyCard] = field(default_factory=dict)
    loop: LoopReport | None = None


def report_extras(session: Session) -> ReportExtras:
    """Everything the report shows beyond the grading itself, for ``session``."""
    from engine.report.builder import build_report

    report = build_report(session)
    cards: dict[int, StudyCard] = {}
    for record, question in zip(session.questions, report.questions, strict=False):
        graded = [a.grade for a in question.answers if a.grade is not None]
        if not graded:
            continue  # the card comes after an answer, never before
        cards[question.number] = study_card(question_from_record(record), graded[0])
    return ReportExtras(compare_with_previous(session), cards, build_loop_report(session, report))
