"""``mockinterview grade``: grade one answer (text, transcript JSON or audio) against the rubric.

The transcript may be a ``.txt`` answer, a ``transcribe --json`` file, or any audio file, which
is transcribed first with local Whisper. The question is a bank id or a free text; a free
question's category is inferred from its wording when ``--category`` is not given.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from engine.errors import AudioDecodeError, ConfigError, GradingError
from engine.grading.base import GradeRequest
from engine.grading.categories import check_category, infer_category
from engine.questions.model import Question, free_question
from engine.transcript import Transcript, load_text_or_json_transcript

TEXT_SUFFIXES = (".txt", ".text", ".md", ".json")
DEFAULT_FREE_TIME_LIMIT_S = 300


def load_transcript(path: Path, model: str | None) -> Transcript:
    """Read a text or JSON transcript, or transcribe an audio file.

    Raises:
        AudioDecodeError: the file is missing, unreadable or not decodable audio.
        TranscriptionError: the audio holds no speech.
        ModelError: the Whisper model cannot be loaded.
    """
    if not path.exists():
        raise AudioDecodeError(f"{path}: no such file")
    if path.is_dir():
        raise AudioDecodeError(f"{path}: is a folder, not a transcript or audio file")
    if path.suffix.lower() in TEXT_SUFFIXES:
        return load_text_or_json_transcript(path)
    from engine.speech.transcriber import get_transcriber

    return get_transcriber(model).transcribe_file(path)


def resolve_question(args: argparse.Namespace) -> Question:
    """The bank question for ``--question``, or a free question for ``--question-text``.

    Raises:
        ConfigError: ``--category`` was given with a bank question.
        UnknownQuestionError: no bank question has that id.
        GradingError: the free question is empty or its category is unknown.
    """
    if args.question:
        if args.category:
            raise ConfigError(
                "--category only applies to --question-text; a bank question has its own category"
            )
        from engine.questions.bank import default_bank

        return default_bank().get(args.question)
    text = " ".join((args.question_text or "").split())
    if not text:
        raise GradingError("the question text is empty; pass the question you answered")
    category = check_category(args.category) if args.category else infer_category(text)
    limit = args.time_limit if args.time_limit else DEFAULT_FREE_TIME_LIMIT_S
    return free_question(text, category, int(round(limit)))


def run(args: argparse.Namespace) -> int:
    """Grade the answer and print the report (text, or the Grade JSON with ``--json``)."""
    if args.time_limit is not None and args.time_limit <= 0:
        raise ConfigError(
            f"--time-limit must be a positive number of seconds, got {args.time_limit}"
        )
    question = resolve_question(args)
    transcript = load_transcript(Path(args.transcript), getattr(args, "model", None))
    from engine.engines import make_grader

    grader = make_grader(args.engine)
    grade = grader.grade(GradeRequest(question, transcript, time_limit_s=args.time_limit))
    if args.json:
        print(json.dumps(grade.to_dict(), indent=2, ensure_ascii=False))
    else:
        from engine.grading.text_report import render_grade_text

        print(render_grade_text(grade), end="")
    return 0
