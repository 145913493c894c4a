"""Offline grading throughput: how many answers per second the offline grader scores.

Grades the calibration answers (tests/data/calibration) cycled up to ``--count`` answers, with
word timings by default so pacing and timed evidence are exercised as they are for real
recordings. Target (grading v2, sentence embeddings): 1,000 answers in under 60 s and a median
of at most 150 ms per answer on the 2-core CI machine, once the model is loaded. CPU time is
printed next to wall time because the machine is shared: it shows the cost without other
people's load.

The cycled answers repeat, and the grader remembers vectors of texts it has embedded, so by
default most gradings after the first pass skip the encoder. ``--fresh`` forgets them before
every grading (the answer is embedded again; the question's texts come from the on-disk cache,
as for a real new answer): that is the per-answer figure a user waits for. ``--long`` also
times one 10,000-word transcript (target <= 2 s).

    .venv/bin/python bench/grading.py [--count 1000] [--text-only] [--fresh] [--long]
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

from engine.engines import make_grader  # noqa: E402
from engine.grading.base import GradeRequest  # noqa: E402
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
    parser.add_argument("--fresh", action="store_true", help="embed every answer anew")
    parser.add_argument("--long", action="store_true", help="also time a 10,000-word answer")
    args = parser.parse_args()
    from engine.grading import embedding

    grader = make_grader("offline")
    pool = build_requests(args.text_only)
    for request in pool:  # warm caches (compiled patterns, stems) outside the measurement
        grader.grade(request)
    requests = list(islice(cycle(pool), args.count))
    words = [len(r.transcript.text.split()) for r in requests]

    per_answer = []
    cpu_start = time.process_time()
    start = time.perf_counter()
    answer_texts = {t for r in pool for t in _answer_chunks(r)}
    for request in requests:
        if args.fresh:
            embedding.forget(answer_texts)
        t0 = time.perf_counter()
        grader.grade(request)
        per_answer.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    cpu = time.process_time() - cpu_start

    timing = "text only" if args.text_only else "with word timings"
    timing += ", every answer embedded afresh" if args.fresh else ""
    print(
        f"graded {len(requests)} answers ({len(pool)} distinct, "
        f"{statistics.mean(words):.0f} words avg, {timing})"
    )
    print(f"total {total:.2f} s wall ({cpu:.2f} s CPU), {len(requests) / total:.0f} answers/s")
    print(
        f"per answer: median {statistics.median(per_answer) * 1000:.1f} ms, "
        f"max {max(per_answer) * 1000:.1f} ms"
    )
    if args.long:
        words_pool = " ".join(r.transcript.text for r in pool).split()
        long_text = " ".join((words_pool * (10_000 // len(words_pool) + 1))[:10_000])
        request = GradeRequest(pool[0].question, timed(long_text))
        embedding.forget(set(_answer_chunks(request)))
        t0, c0 = time.perf_counter(), time.process_time()
        grader.grade(request)
        print(
            f"one 10,000-word answer: {time.perf_counter() - t0:.2f} s wall "
            f"({time.process_time() - c0:.2f} s CPU)"
        )
    return 0


def _answer_chunks(request: GradeRequest) -> list[str]:
    """The clause texts the grader embeds for this answer (to forget them for --fresh)."""
    from engine.grading.analysis import analyse
    from engine.grading.meaning import chunks_of

    return [c for f in analyse(request.transcript).credited for c in chunks_of(f.sentence.text)]


if __name__ == "__main__":
    sys.exit(main())
