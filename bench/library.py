"""How fast the library lists many sessions: warm (index present) and cold (full rebuild).

Creates N realistic session folders (two questions, a main and a follow-up answer each, graded,
with word-timed transcripts) in a temporary data dir, then times:

* cold: the index file is deleted and ``list_sessions()`` rebuilds it from every folder;
* warm: ``list_sessions()`` with the index present (stat of each folder + one query), the path
  the library screen takes on every refresh; also a search and the progress series.

Target: warm listing of 1,000 sessions under 1 s.

Usage:
    .venv/bin/python bench/library.py [--count 1000] [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _answer_transcript(text: str):
    from engine.transcript import Segment, Transcript, Word

    words, t = [], 0.6
    for token in text.split():
        words.append(Word(t, t + 0.3, " " + token))
        t += 0.42
    return Transcript((Segment(0.6, t, text, tuple(words)),), duration_s=t + 0.4, model="tiny.en")


def _grade(question: dict, seed: int, duration: float):
    from engine.grading.result import DimensionScore, Evidence, Grade, Pacing, Stage
    from engine.rubric import applicable_dimensions

    dims = []
    for n, dim in enumerate(applicable_dimensions(question["category"])):
        score = 1 + (seed + n) % 4
        dims.append(
            DimensionScore(
                dim,
                score,
                (Evidence("I would start from the users", 0.6),),
                ("a guardrail metric",) if score < 3 else (),
            )
        )
    pacing = Pacing(
        duration_s=duration,
        words=int(duration * 2.3),
        wpm=138.0 + seed % 20,
        filler_count=seed % 5,
        long_pauses=seed % 3,
        time_to_first_word_s=0.6,
        stages=(
            Stage("problem_framing", 0.6, duration / 2),
            Stage("metrics", duration / 2, duration),
        ),
        time_limit_s=question["time_limit_s"],
    )
    overall = sum(d.score for d in dims) / len(dims)
    return Grade(
        "offline",
        {k: question[k] for k in ("id", "text", "category")},
        overall,
        tuple(dims),
        pacing,
        engine_version="bench",
    )


def make_session_dict(number: int, created: datetime) -> dict:
    """A realistic finished interview as its session.json dict."""
    from engine.store.model import GradingRecord, QuestionRecord, Session, Turn

    text = (
        "First I would clarify who the users are and what they need, then define success with "
        "watch time and retention, with a guardrail on reports, and only then pick a model. "
        f"Session number {number} talks about ranking and exploration."
    )
    questions = []
    for q in range(2):
        question = {
            "id": f"bench-question-{(number + q) % 12}",
            "text": f"Design feature {q}.",
            "category": ("design", "metrics", "diagnose")[(number + q) % 3],
            "time_limit_s": 180,
        }
        turns = []
        for role, index in (("answer", 2 * q + 1), ("follow_up", 2 * q + 2)):
            transcript = _answer_transcript(text)
            turn = Turn(
                index=index,
                role=role,
                prompt="Tell me more.",
                duration_s=transcript.duration_s,
                transcript=transcript,
                audio=f"audio/turn-{index:02d}.wav",
            )
            if role == "follow_up":
                turn.follow_up = {
                    "text": "Tell me more.",
                    "dimension": "metrics",
                    "constraint": None,
                }
            turn.add_grading(GradingRecord(_grade(question, number + index, transcript.duration_s)))
            turns.append(turn)
        questions.append(QuestionRecord(question=question, turns=turns))
    stamp = created.strftime("%Y%m%d-%H%M%S")
    session = Session(
        id=f"{stamp}-bench-{number:04d}",
        created_at=created.isoformat(),
        status="complete",
        questions=questions,
        settings={"title": f"bench {number}"},
    )
    return session.to_dict()


def populate(root: Path, count: int) -> float:
    """Write ``count`` session folders directly (as the app would have saved them)."""
    started = time.perf_counter()
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    template = make_session_dict(0, base)
    for n in range(count):
        created = base + timedelta(minutes=37 * n)
        data = make_session_dict(n, created) if n < 12 else dict(template)
        if n >= 12:  # reuse the rendered template for speed; ids and times still unique
            data["id"] = f"{created.strftime('%Y%m%d-%H%M%S')}-bench-{n:04d}"
            data["created_at"] = created.isoformat()
            data["settings"] = {"title": f"bench {n}"}
        folder = root / data["id"]
        (folder / "audio").mkdir(parents=True)
        (folder / "session.json").write_text(json.dumps(data, indent=2))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5, help="warm listings to time")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="mockinterview-bench-") as tmp:
        os.environ["MOCKINTERVIEW_DATA_DIR"] = tmp
        from engine import paths
        from engine.library.index import LibraryIndex
        from engine.library.listing import list_sessions

        create_s = populate(paths.sessions_dir(), args.count)

        paths.library_index_path().unlink(missing_ok=True)
        started = time.perf_counter()
        listed = list_sessions()
        cold_s = time.perf_counter() - started
        assert len(listed) == args.count, len(listed)

        warm = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            listed = list_sessions()
            warm.append(time.perf_counter() - started)
        assert len(listed) == args.count

        started = time.perf_counter()
        hits = list_sessions("exploration ranking")
        search_s = time.perf_counter() - started
        started = time.perf_counter()
        points = LibraryIndex().progress()
        progress_s = time.perf_counter() - started

    result = {
        "sessions": args.count,
        "create_folders_s": round(create_s, 3),
        "cold_rebuild_list_s": round(cold_s, 3),
        "warm_list_median_s": round(statistics.median(warm), 4),
        "warm_list_max_s": round(max(warm), 4),
        "search_s": round(search_s, 4),
        "search_hits": len(hits),
        "progress_s": round(progress_s, 4),
        "progress_points": len(points),
        "target_warm_list_s": 1.0,
        "meets_target": statistics.median(warm) < 1.0,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"{args.count} sessions: warm list {result['warm_list_median_s'] * 1000:.0f} ms "
            f"(max {result['warm_list_max_s'] * 1000:.0f} ms, target < 1000 ms); "
            f"cold rebuild + list {cold_s:.2f} s; search {search_s * 1000:.0f} ms; "
            f"progress {progress_s * 1000:.0f} ms; folders written in {create_s:.2f} s"
        )
    return 0 if result["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
