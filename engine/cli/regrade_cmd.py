"""``mockinterview regrade SESSION [--engine offline|llm] [--retranscribe MODEL] [--json]``.

Every grading is kept in the session; the new one becomes current. ``--json`` prints
``{"session": id, "answers": [grade JSON per answer turn]}``.
"""

from __future__ import annotations

import argparse
import json

from engine.library.regrade import regrade_session
from engine.report.builder import build_report
from engine.store.sessions import load_session


def run(args: argparse.Namespace) -> int:
    """Re-grade (after re-transcribing, if asked) and print the new grades."""
    session = load_session(args.session)
    previous = {t.index: (t.grade.overall if t.grade else None) for t in session.turns}
    results = regrade_session(session, engine=args.engine, retranscribe_model=args.retranscribe)
    if args.json:
        payload = {"session": session.id, "answers": [grade.to_dict() for _, grade in results]}
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    print(f"Regraded session {session.id} with {args.engine}:")
    for turn, grade in results:
        before = previous.get(turn.index)
        was = "new" if before is None else f"{before:.2f}"
        extra = f" (transcribed with {turn.transcript.model})" if args.retranscribe else ""
        print(f"  answer {turn.index} ({turn.role}): {was} -> {grade.overall:.2f}{extra}")
        if grade.fallback:
            reason = grade.fallback.get("reason") or "the LLM engine was unavailable"
            print(f"    graded by the offline engine instead: {reason}")
    overall = build_report(session).overall
    if overall is not None:
        print(f"Session overall {overall:.2f} / 4")
    return 0
