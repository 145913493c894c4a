"""``mockinterview sessions list [--search TEXT] [--json]``: the library as a table or JSON.

Listing is also "the next start" for a command-line user, so sessions left in progress by a
killed process are recovered first and show up flagged as interrupted; a folder whose
``session.json`` cannot be read is listed as corrupt with the reason, and the rest still list.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime

from engine.errors import StorageFullError
from engine.library.index import SessionSummary
from engine.library.listing import list_sessions
from engine.library.recovery import recover_interrupted


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso[:16] or "?"


def _status(summary: SessionSummary) -> str:
    if summary.is_corrupt:
        return "CORRUPT"
    if summary.is_interrupted:
        return "INTERRUPTED"
    return summary.status


def format_table(summaries: list[SessionSummary]) -> str:
    """A fixed-width table: id, date, status, questions, overall (plus the reason if corrupt)."""
    id_w = max([len("ID"), *(len(s.id) for s in summaries)])
    lines = [f"{'ID':<{id_w}}  {'DATE':<16}  {'STATUS':<11}  {'QUESTIONS':>9}  {'OVERALL':>7}"]
    for s in summaries:
        overall = "-" if s.overall is None else f"{s.overall:.2f}"
        questions = "-" if s.is_corrupt else str(len(s.question_texts))
        line = (
            f"{s.id:<{id_w}}  {_local_time(s.created_at):<16}  {_status(s):<11}  "
            f"{questions:>9}  {overall:>7}"
        )
        if s.is_corrupt:
            line += f"  {s.problem.removeprefix(s.folder.name + ': ')}"
        elif s.title and s.title != s.id:
            line += f"  {s.title[:60]}"
        lines.append(line)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """List the sessions; output piped into ``head`` and closed early is not an error."""
    try:
        return _run(args)
    except BrokenPipeError:
        # Python would complain again when flushing stdout at exit; point it at devnull.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _run(args: argparse.Namespace) -> int:
    """List the sessions (after recovering interrupted ones)."""
    warning = ""
    try:
        recover_interrupted()
    except StorageFullError as exc:
        warning = f"could not mark interrupted sessions: {exc}"
    summaries = list_sessions(args.search)
    if args.json:
        print(json.dumps([s.to_dict() for s in summaries], indent=2, ensure_ascii=False))
        return 0
    if not summaries:
        print("No sessions match." if args.search else "No sessions yet.")
        return 0
    print(format_table(summaries))
    interrupted = [s for s in summaries if s.is_interrupted]
    if interrupted:
        print(
            f"\n{len(interrupted)} interrupted session(s): `mockinterview regrade ID` transcribes "
            "and grades what was recorded."
        )
    corrupt = [s for s in summaries if s.is_corrupt]
    if corrupt:
        print(f"{len(corrupt)} session folder(s) could not be read; see the reason on each line.")
    if warning:
        print(warning)
    return 0
