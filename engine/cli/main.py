"""Argument parsing and dispatch for ``mockinterview`` (the contract in DESIGN.md).

Each sub-command lives in its own module under ``engine.cli`` with a ``run(args) -> int``; they
are imported only when chosen, so ``--help`` answers at once without loading Whisper or Qt.
Every ``MockInterviewError`` becomes one line on stderr and exit status 1; nothing else is
caught, so a real bug still shows its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from engine.errors import MockInterviewError
from engine.paths import DATA_DIR_ENV
from engine.rubric import CATEGORIES

ENGINES = ("offline", "llm")

# sub-command -> module under engine.cli that implements run(args)
COMMAND_MODULES = {
    "gui": "engine.cli.gui_cmd",
    "demo": "engine.cli.demo_cmd",
    "transcribe": "engine.cli.transcribe_cmd",
    "grade": "engine.cli.grade_cmd",
    "questions": "engine.cli.questions_cmd",
    "sessions": "engine.cli.sessions_cmd",
    "import": "engine.cli.import_cmd",
    "regrade": "engine.cli.regrade_cmd",
    "report": "engine.cli.report_cmd",
    "plan": "engine.cli.plan_cmd",
    "retry": "engine.cli.retry_cmd",
    "install-desktop-entry": "engine.cli.desktop_entry_cmd",
    "doctor": "engine.cli.doctor_cmd",
}


def _add_question_choice(parser: argparse.ArgumentParser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--question", metavar="ID", help="a question id from the bank")
    which.add_argument("--question-text", metavar="TEXT", help="a free question, not in the bank")
    parser.add_argument(
        "--category",
        choices=sorted(CATEGORIES),
        help="category of a free question (inferred from its text when absent)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar; kept in one place so it reads like DESIGN.md."""
    parser = argparse.ArgumentParser(
        prog="mockinterview",
        description="Rehearse spoken ML product-sense interviews locally.",
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", help=f"where sessions and settings live (or ${DATA_DIR_ENV})"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="open the desktop app (the default)")

    demo = sub.add_parser("demo", help="a full interview with synthetic spoken answers, headless")
    demo.add_argument("--out", metavar="DIR", help="write the session folder here")
    demo.add_argument("--engine", choices=ENGINES, default="offline")
    demo.add_argument("--questions", type=int, default=2, metavar="N", help="how many questions")
    demo.add_argument("--model", metavar="M", help="Whisper model folder or name")
    demo.add_argument(
        "--loop",
        nargs="?",
        const="onsite-45",
        metavar="FORMAT",
        help="run the questions as one timed interview loop (onsite-45, screen-30)",
    )
    demo.add_argument(
        "--answers", metavar="FILE", help="replay this scripted candidate (see assets/README.md)"
    )
    demo.add_argument(
        "--question",
        action="append",
        default=[],
        metavar="ID",
        dest="question_ids",
        help="ask this question from the answers file (repeatable; default: all of them)",
    )
    demo.add_argument(
        "--json", action="store_true", help="print the turns and grades as JSON on stdout"
    )

    transcribe = sub.add_parser("transcribe", help="transcribe an audio file with local Whisper")
    transcribe.add_argument("audio", metavar="AUDIO")
    transcribe.add_argument("--model", metavar="M", help="Whisper model folder or name")
    transcribe.add_argument("--json", action="store_true", help="print the transcript JSON")

    grade = sub.add_parser("grade", help="grade one answer against the rubric")
    grade.add_argument("--transcript", required=True, metavar="PATH", help=".txt, .json or audio")
    _add_question_choice(grade)
    grade.add_argument("--engine", choices=ENGINES, default="offline")
    grade.add_argument("--time-limit", type=float, metavar="S", help="answer time limit, seconds")
    grade.add_argument("--model", metavar="M", help="Whisper model, when PATH is audio")
    grade.add_argument("--json", action="store_true")

    questions = sub.add_parser("questions", help="list or validate the question bank")
    questions.add_argument("action", choices=("list", "validate"))
    questions.add_argument("path", nargs="?", metavar="PATH", help="file or folder to validate")
    questions.add_argument("--category", choices=sorted(CATEGORIES))
    questions.add_argument("--json", action="store_true")

    sessions = sub.add_parser("sessions", help="list stored sessions")
    sessions.add_argument("action", choices=("list",))
    sessions.add_argument("--search", metavar="TEXT", help="only sessions mentioning TEXT")
    sessions.add_argument("--json", action="store_true")

    imp = sub.add_parser("import", help="import a recording as an answer, transcribe and grade it")
    imp.add_argument("audio", metavar="AUDIO")
    _add_question_choice(imp)
    imp.add_argument("--engine", choices=ENGINES, default="offline")
    imp.add_argument("--model", metavar="M", help="Whisper model folder or name")
    imp.add_argument("--json", action="store_true")

    regrade = sub.add_parser("regrade", help="grade a stored session again")
    regrade.add_argument("session", metavar="SESSION", help="id from `sessions list`, or a folder")
    regrade.add_argument("--engine", choices=ENGINES, default="offline")
    regrade.add_argument(
        "--retranscribe", metavar="MODEL", help="transcribe again with this Whisper model first"
    )
    regrade.add_argument("--json", action="store_true")

    report = sub.add_parser("report", help="export a session's timed rubric report")
    report.add_argument("session", metavar="SESSION")
    report.add_argument("--format", required=True, choices=("html", "md", "pdf"))
    report.add_argument("-o", "--output", required=True, metavar="FILE")

    plan = sub.add_parser("plan", help="today's practice: questions aimed at your weakest skill")
    plan.add_argument("--job-description", metavar="FILE", help="rank questions for this job ad")
    plan.add_argument("--date", metavar="YYYY-MM-DD", help="plan for this day (default today)")
    plan.add_argument("--count", type=int, default=3, metavar="N", help="how many questions")
    plan.add_argument("--json", action="store_true")

    retry = sub.add_parser("retry", help="answer a stored session's question again and compare")
    retry.add_argument("session", metavar="SESSION", help="id from `sessions list`, or a folder")
    retry.add_argument("--question", type=int, default=1, metavar="N", help="question number")
    retry.add_argument(
        "--answer", metavar="PATH", help="the new answer (.txt, .json or audio); default: record"
    )
    retry.add_argument("--engine", choices=ENGINES, default="offline")
    retry.add_argument("--model", metavar="M", help="Whisper model folder or name")
    retry.add_argument("--json", action="store_true")
    doctor = sub.add_parser("doctor", help="check microphone, speakers, voice, model, data, LLM")
    doctor.add_argument("--json", action="store_true")

    entry = sub.add_parser("install-desktop-entry", help="add the app to the Linux menu")
    entry.add_argument("--uninstall", action="store_true", help="remove the entry and icon")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``mockinterview`` console script."""
    args = build_parser().parse_args(argv)
    if args.data_dir:
        os.environ[DATA_DIR_ENV] = os.path.abspath(args.data_dir)
    command = args.command or "gui"
    module = importlib.import_module(COMMAND_MODULES[command])
    try:
        return int(module.run(args) or 0)
    except MockInterviewError as exc:
        print(f"mockinterview {command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"mockinterview {command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # Output piped into `head` and the reader left: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
