"""``mockinterview questions list|validate``: browse the bank and check question files.

``validate`` is what a user runs after editing their own YAML: it prints every problem on its own
line as ``file:line: field: message`` (the format editors and terminals turn into links) and exits
1 when there is any, so it also works as a pre-commit check for a team's shared questions.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from engine.errors import QuestionBankError
from engine.questions.bank import QuestionBank, question_files
from engine.questions.model import Question
from engine.questions.serialize import question_to_dict
from engine.rubric import CATEGORIES


def run(args: argparse.Namespace) -> int:
    """Dispatch on ``args.action`` (list or validate)."""
    if args.action == "validate":
        return _validate(args.path, as_json=args.json)
    return _list(args.path, args.category, as_json=args.json)


def _list(path: str | None, category: str | None, *, as_json: bool) -> int:
    bank = QuestionBank.from_paths([path]) if path else QuestionBank.load(include_user=True)
    order = {name: index for index, name in enumerate(CATEGORIES)}
    questions = sorted(
        (q for q in bank.questions if category is None or q.category == category),
        key=lambda q: order.get(q.category, len(order)),
    )
    if as_json:
        json.dump([question_to_dict(q) for q in questions], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        # On a terminal, prompts are cut to the window; piped output keeps them whole for grep.
        width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
        sys.stdout.write(format_table(questions, width))
    if bank.errors:
        # Listing still works with a broken user file; say so without drowning the table.
        print(
            f"warning: {len(bank.errors)} problem(s) in question files were skipped; "
            "run `mockinterview questions validate` for details",
            file=sys.stderr,
        )
    return 0


def _validate(path: str | None, *, as_json: bool) -> int:
    # The bank keeps every problem it met while loading: the same list validate_paths returns.
    if path:
        bank = QuestionBank.from_paths([path])
        file_count = _count_files([path])
    else:
        bank = QuestionBank.load(include_user=True)
        file_count = sum(Path(name).is_file() for name in bank.files)
    errors = list(bank.errors)
    if as_json:
        report = {
            "ok": not errors,
            "files": file_count,
            "questions": len(bank),
            "errors": [_error_to_dict(e) for e in errors],
        }
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 1 if errors else 0
    for error in errors:
        print(error)
    if errors:
        bad_files = len({e.path for e in errors})
        print(
            f"{_plural(len(errors), 'problem')} in {bad_files} of {_plural(file_count, 'file')}",
            file=sys.stderr,
        )
        return 1
    print(f"{_plural(len(bank), 'question')} in {_plural(file_count, 'file')}: OK")
    return 0


def _count_files(targets: Sequence[str | Path]) -> int:
    count = 0
    for target in targets:
        folder = Path(target)
        count += len(question_files(folder)) if folder.is_dir() else int(folder.exists())
    return count


def _error_to_dict(error: QuestionBankError) -> dict[str, object]:
    return {
        "path": error.path,
        "line": error.line,
        "field": error.field,
        "message": error.problem,
    }


def format_table(questions: Sequence[Question], width: int | None = None) -> str:
    """A plain-text table; with a ``width``, prompts are cut so each row fits on one line."""
    if not questions:
        return "no questions\n"
    headers = ("ID", "CATEGORY", "LEVEL", "TIME", "PROMPT")
    rows = [
        (q.id, q.category, q.difficulty, _format_time(q.time_limit_s), q.prompt) for q in questions
    ]
    widths = [max(len(headers[i]), *(len(r[i]) for r in rows)) for i in range(4)]
    prompt_width = max(20, width - sum(widths) - 2 * len(widths)) if width else None
    lines = []
    for row in [headers, *rows]:
        cells = [cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)]
        prompt = row[4]
        if prompt_width is not None and len(prompt) > prompt_width:
            prompt = prompt[: prompt_width - 1] + "…"
        lines.append("  ".join([*cells, prompt]).rstrip())
    return "\n".join(lines) + "\n"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _format_time(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{minutes}:{rest:02d}"
