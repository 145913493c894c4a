"""Offline grading throughput: how many answers per second the offline grader scores.

Grades the calibration answers (tests/data/calibration) cycled up to ``--count`` answers, with
word timings by default so pacing and timed evidence are exercised as they are for real
recordings. Target: 1,000 answers in under 10 s on the 2-core CI machine. CPU time is printed
next to wall time because the machine is shared: it shows the cost without other people's load.

    .venv/bin/python bench/grading.py [--count 1000] [--text-only]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from itertools import cycle, islice
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from engine.grading.base import GradeRequest  # noqa: E402
from engine.grading.offline import OfflineGrader  # noqa: E402
from engine.questions.bank import load_question_file  # noqa: E402
from engine.transcript import Segment, Transcript, Word  # noqa: E402

CALIBRATION = REPO_ROOT / "tests" / "data" / "calibration"
KINDS = ("weak", "ok", "strong", "buzzword", "metrics_only")
SECONDS_PER_WORD = 0.4


def timed(text: str) -> Transcript:
    """The text as a Whisper-like transcript: 150 wpm, segments of twelve words."""
    words = [
        Word(0.5 + i * SECONDS_PER_WORD, 0.8 + i * SECONDS_PER_WORD, f" {token}")
        for i, token in enumerate(text.split())
    ]
    segments = tuple(
        Segment(
            chunk[0].start,
            chunk[-1].end,
            "".join(w.word for w in chunk).strip(),
            tuple(chunk),
        )
        for chunk in (words[i : i + 12] for i in range(0, len(words), 12))
    )
    return Transcript(segments, duration_s=words[-1].end + 0.5 if words else 0.0)


def build_requests(text_only: bool) -> list[GradeRequest]:
    questions = {q.id: q for q in load_question_file(CALIBRATION / "questions.yaml")}
    answers = yaml.safe_load((CALIBRATION / "answers.yaml").read_text(encoding="utf-8"))
    requests = []
    for question_id, entry in answers.items():
        for kind in KINDS:
            if kind in entry:
                text = entry[kind]
                transcript = Transcript.from_text(text) if text_only else timed(text)
                requests.append(GradeRequest(questions[question_id], transcript))
    return requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="answers to grade")
    parser.add_argument("--text-only", action="store_true", help="no word timings")
    args = parser.parse_args()

    grader = OfflineGrader()
    pool = build_requests(args.text_only)
    for request in pool:  # warm caches (compiled patterns, stems) outside the measurement
        grader.grade(request)
    requests = list(islice(cycle(pool), args.count))
    words = [len(r.transcript.text.split()) for r in requests]

    per_answer = []
    cpu_start = time.process_time()
    start = time.perf_counter()
    for request in requests:
        t0 = time.perf_counter()
        grader.grade(request)
        per_answer.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start

    timing = "text only" if args.text_only else "with word timings"
    print(
        f"graded {len(requests)} answers ({len(pool)} distinct, "
        f"{statistics.mean(words):.0f} words avg, {timing})"
    )
    print(f"total {total:.2f} s wall ({cpu:.2f} s CPU), {len(requests) / total:.0f} answers/s")
    print(
        f"per answer: median {statistics.median(per_answer) * 1000:.1f} ms, "
        f"max {max(per_answer) * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
