"""``mockinterview demo``: a full spoken interview, headless, ending with the report's path.

Progress goes to stderr, one line per step, so a person watching sees the interview unfold; the
report path is the last line on stdout, so scripts can capture it with ``$(mockinterview demo)``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    """Run the demo interview and print where its report is."""
    from engine.demo import report_path, run_demo

    began = time.perf_counter()

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    session = run_demo(
        out_dir=Path(args.out) if args.out else None,
        engine=args.engine,
        question_count=args.questions,
        model=args.model,
        progress=progress,
        loop=args.loop,
    )
    answers = sum(1 for t in session.turns if t.role != "clarification")
    progress(
        f"Demo finished in {time.perf_counter() - began:.1f} s: {len(session.questions)} "
        f"question(s), {answers} graded answer(s)"
    )
    print(report_path(session, "html"))
    return 0
