"""``mockinterview plan [--job-description FILE] [--json]``: today's practice, with reasons.

The same plan as the desktop's "Today's practice" panel. ``--date`` pins the day (the plan is
deterministic for a given history and date), which is also how a user can look ahead.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from engine.errors import ConfigError
from engine.practice.history import load_history
from engine.practice.job_match import MAX_DESCRIPTION_CHARS
from engine.practice.plan import Plan, make_plan
from engine.questions.bank import default_bank


def read_job_description(path: str) -> str:
    """The text of a job description file (UTF-8; a huge file is cut, an empty one refused).

    Raises:
        ConfigError: the file cannot be read or holds no text.
    """
    try:
        raw = Path(path).read_bytes()[: MAX_DESCRIPTION_CHARS * 4]
    except OSError as exc:
        raise ConfigError(f"cannot read job description {path}: {exc.strerror or exc}") from exc
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        raise ConfigError(f"the job description {path} is empty")
    return text


def _parse_day(value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ConfigError(f"--date wants YYYY-MM-DD, not {value!r}") from exc


def format_plan(plan: Plan) -> str:
    """The plan as a short numbered list a person reads in a terminal."""
    lines = [f"Today's practice ({plan.day.isoformat()}):"]
    for number, pick in enumerate(plan.picks, start=1):
        lines.append(f"{number}. [{pick.question.category}] {pick.question.prompt}")
        lines.append(f"   id {pick.question.id}: {pick.reason}")
    if plan.domains:
        lines.append(f"Job description: {', '.join(plan.domains)}")
    lines.extend(f"Note: {note}" for note in plan.notes)
    for session_id, reason in plan.skipped:
        lines.append(f"  skipped session {session_id}: {reason}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print today's plan (or its JSON)."""
    description = read_job_description(args.job_description) if args.job_description else None
    bank = default_bank()
    plan = make_plan(bank.questions, load_history(), _parse_day(args.date), description, args.count)
    if args.json:
        print(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_plan(plan))
    return 0
