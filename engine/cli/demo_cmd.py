"""``mockinterview demo``: a full spoken interview, headless, ending with the report's path.

Progress goes to stderr, one line per step, so a person watching sees the interview unfold; the
report path is the last line on stdout, so scripts can capture it with ``$(mockinterview demo)``.
With ``--json`` stdout holds one JSON object instead (``engine.demo_summary``): the turns (asked,
heard, probe dimension, redirect or not), the report's scores, the grades and the report path.
``--answers FILE`` replays a scripted candidate (``assets/README.md``) instead of the demo's own.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    """Run the demo interview and print where its report is."""
    from engine.demo import report_path, run_demo
    from engine.demo_summary import interview_summary

    began = time.perf_counter()

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    exchanges: list[dict] = []
    session = run_demo(
        out_dir=Path(args.out) if args.out else None,
        engine=args.engine,
        question_count=args.questions,
        model=args.model,
        progress=progress,
        loop=args.loop,
        answers=Path(args.answers) if getattr(args, "answers", None) else None,
        question_ids=getattr(args, "question_ids", None) or (),
        log=exchanges,
    )
    answers = sum(1 for t in session.turns if t.role != "clarification")
    progress(
        f"Demo finished in {time.perf_counter() - began:.1f} s: {len(session.questions)} "
        f"question(s), {answers} graded answer(s)"
    )
    if getattr(args, "json", False):
        summary = interview_summary(session, exchanges)
        summary["report"] = str(report_path(session, "html"))
        print(json.dumps(summary, indent=2))
        return 0
    print(report_path(session, "html"))
    return 0
