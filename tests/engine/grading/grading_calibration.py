"""Calibration data and transcript builders shared by the grading tests.

``tests/data/calibration/questions.yaml`` is in the question-bank format and is read with the
real bank loader; ``answers.yaml`` holds, per question, weak / ok / strong answers plus a
buzzword list and an answer that addresses the grader (see the comment at its top).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from engine.questions.bank import load_question_file
from engine.questions.model import Question
from engine.transcript import Segment, Transcript, Word

CALIBRATION_DIR = Path(__file__).resolve().parents[2] / "data" / "calibration"


def load_calibration() -> tuple[dict[str, Question], dict[str, dict[str, Any]]]:
    questions = {q.id: q for q in load_question_file(CALIBRATION_DIR / "questions.yaml")}
    answers = yaml.safe_load((CALIBRATION_DIR / "answers.yaml").read_text(encoding="utf-8"))
    return questions, answers


QUESTIONS, ANSWERS = load_calibration()
QUESTION_IDS = sorted(ANSWERS)


def instruction_answer(entry: dict[str, Any]) -> tuple[str, str]:
    """(answer with grader-addressed sentences, the same answer without them)."""
    spec = entry["instruction"]
    base = entry[spec["base"]]
    return f"{spec['before']} {base} {spec['after']}", base


def timed_transcript(
    words: list[tuple[float, float, str]], duration_s: float | None = None, per_segment: int = 12
) -> Transcript:
    """A transcript with word timings, shaped like Whisper's (leading spaces, segments)."""
    timed = [Word(start, end, f" {text}") for start, end, text in words]
    segments = []
    for i in range(0, len(timed), per_segment):
        chunk = timed[i : i + per_segment]
        text = "".join(w.word for w in chunk).strip()
        segments.append(Segment(chunk[0].start, chunk[-1].end, text, tuple(chunk)))
    end = duration_s if duration_s is not None else (timed[-1].end if timed else 0.0)
    return Transcript(tuple(segments), duration_s=end, model="synthetic")


def evenly_timed(text: str, seconds_per_word: float = 0.4, start_s: float = 0.5) -> Transcript:
    """Time every word of ``text`` at a steady pace (150 wpm by default)."""
    words = []
    t = start_s
    for token in text.split():
        words.append((t, t + seconds_per_word * 0.8, token))
        t += seconds_per_word
    return timed_transcript(words)
