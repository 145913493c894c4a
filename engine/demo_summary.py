"""What ``mockinterview demo --json`` prints: the exchanges, the report's scores and the grades.

One object per interview, built from the saved session (through the same report builder every
report uses, so the scores are the ones a user sees) and the host's exchange log (what the
interviewer said, what the candidate said and what Whisper heard, and how the interviewer
replied: a probe on which dimension, a redirect, a wrap-up). ``bench/interviewer_quality.py``
judges interviews from exactly this object, so anyone can replay a candidate file and check a
failure by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from engine.store.model import Session


def interview_summary(session: Session, exchanges: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The ``demo --json`` object for a finished demo session.

    Keys: ``session`` (folder), ``status``, ``notes`` (what the report says happened),
    ``overall``, ``questions`` (per question: id, text, category, the report's overall and
    combined dimension scores, and its evidence quotes with the turn they come from),
    ``turns`` (the exchanges, see ``engine.demo.exchange_record``) and ``grades`` (every graded
    turn's ``grade --json`` object).
    """
    from engine.report.builder import build_report

    report = build_report(session)
    questions = []
    for record, view in zip(session.questions, report.questions, strict=True):
        questions.append(
            {
                "id": record.question.get("id"),
                "text": record.question.get("text"),
                "category": record.question.get("category"),
                "skipped": bool(record.question.get("skipped")),
                "overall": view.overall,
                "dimensions": {d.id: d.score for d in view.dimensions},
                "quotes": [
                    {"dimension": d.id, "quote": e.quote, "turn": e.turn_index}
                    for d in view.dimensions
                    for e in d.evidence
                ],
            }
        )
    grades = []
    for number, record in enumerate(session.questions):
        for turn in record.turns:
            if turn.grade is not None:
                grades.append(
                    {
                        "question_index": number,
                        "turn": turn.index,
                        "role": turn.role,
                        "heard": turn.transcript.text if turn.transcript is not None else "",
                        "grade": turn.grade.to_dict(),
                    }
                )
    return {
        "session": str(session.folder) if session.folder is not None else None,
        "status": session.status,
        "notes": list(session.notes),
        "overall": report.overall,
        "questions": questions,
        "turns": list(exchanges),
        "grades": grades,
    }
