"""``mockinterview import AUDIO (--question ID | --question-text TEXT)``: grade a recording.

Prints the new session's id and overall score (or JSON with ``--json``). See
``engine.library.importer`` for the audio formats accepted.
"""

from __future__ import annotations

import argparse
import json

from engine.library.importer import import_recording


def run(args: argparse.Namespace) -> int:
    """Import, transcribe, grade and save; one line (or JSON) about the new session."""
    session = import_recording(
        args.audio,
        question_id=args.question,
        question_text=args.question_text,
        category=args.category,
        engine=args.engine,
        model=args.model,
    )
    turn = session.turns[0]
    grade = turn.grade
    assert grade is not None
    if args.json:
        payload = {
            "session": session.id,
            "folder": str(session.folder),
            "overall": round(grade.overall, 2),
            "answers": [grade.to_dict()],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    print(f"Imported {args.audio} as session {session.id}")
    print(f"Overall {grade.overall:.2f} / 4 ({grade.engine}); {turn.duration_s:.1f} s of audio")
    if grade.fallback:
        print(f"Note: graded offline ({grade.fallback.get('reason', 'LLM unavailable')})")
    print(f"Report: mockinterview report {session.id} --format html -o report.html")
    return 0
