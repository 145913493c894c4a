"""``mockinterview retry SESSION [--question N] [--answer PATH]``: answer a question again.

With ``--answer`` the new answer comes from a file (text, transcript JSON, or audio, as
``grade --transcript`` takes); without it the question is read out on screen and the answer
is recorded from the default microphone until Enter (or the question's time limit). The new
session is linked to the earlier one and the output shows the change per dimension.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
from pathlib import Path

from engine.practice.retry import AttemptComparison, compare_with_previous, retry_target, save_retry
from engine.transcript import Transcript


def _record_from_microphone(limit_s: float, model: str | None) -> tuple[Transcript, object, str]:
    """Record until Enter (on a terminal) or the time limit; return transcript, samples, model."""
    from engine.speech.audio_io import load_audio
    from engine.speech.recorder import Recorder
    from engine.speech.transcriber import get_transcriber

    transcriber = get_transcriber(model)
    with tempfile.TemporaryDirectory(prefix="mockinterview-retry-") as tmp:
        path = Path(tmp) / "answer.wav"
        recorder = Recorder(path)
        recorder.start()
        done = threading.Event()
        if sys.stdin is not None and sys.stdin.isatty():
            print(f"Recording… press Enter to finish (limit {int(limit_s)} s).", file=sys.stderr)
            threading.Thread(target=lambda: (sys.stdin.readline(), done.set()), daemon=True).start()
        else:
            print(f"Recording for up to {int(limit_s)} s…", file=sys.stderr)
        done.wait(timeout=limit_s)
        result = recorder.stop()
        if result.problem:
            print(f"Note: {result.problem}", file=sys.stderr)
        samples = load_audio(path)
        transcript = transcriber.transcribe_file(path)
    return transcript, samples, transcriber.model_name


def format_comparison(comparison: AttemptComparison) -> str:
    """Before → after per dimension, with the quotes that earned a rise and what is missing."""

    def score(value: int | None) -> str:
        return "-" if value is None else str(value)

    lines = [
        f"Overall {comparison.overall_before} → {comparison.overall_after} "
        f"(vs session {comparison.before_session})"
    ]
    for row in comparison.rows:
        delta = row.delta
        change = "" if delta is None or delta == 0 else f" ({'+' if delta > 0 else ''}{delta})"
        lines.append(f"  {row.label:<22} {score(row.before)} → {score(row.after)}{change}")
        if delta and delta > 0:
            lines.extend(f'      new: "{quote}"' for quote in row.new_quotes[:2])
        if row.still_missing:
            lines.append(f"      still missing: {'; '.join(row.still_missing[:3])}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Grade the new attempt, save it linked to the earlier one, print the change."""
    target = retry_target(args.session, args.question)
    samples = None
    whisper_model = ""
    if args.answer:
        from engine.cli.grade_cmd import TEXT_SUFFIXES, load_transcript

        path = Path(args.answer)
        transcript = load_transcript(path, args.model)
        if path.suffix.lower() not in TEXT_SUFFIXES:
            from engine.speech.audio_io import load_audio

            samples = load_audio(path)
            whisper_model = args.model or "tiny.en"
    else:
        print(f"Question: {target.question.prompt}", file=sys.stderr)
        transcript, samples, whisper_model = _record_from_microphone(
            float(target.question.time_limit_s), args.model
        )
    session = save_retry(
        target, transcript, samples=samples, engine=args.engine, whisper_model=whisper_model
    )
    comparison = compare_with_previous(session)
    if args.json:
        payload = {
            "session": session.id,
            "retry_of": {"session": target.session.id, "question": target.number},
            "comparison": comparison.to_dict() if comparison else None,
            "answers": [t.grade.to_dict() for t in session.turns if t.grade is not None],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    print(f"Saved retry as session {session.id}")
    if comparison is not None:
        print(format_comparison(comparison))
    return 0
