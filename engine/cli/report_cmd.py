"""``mockinterview report SESSION --format html|md|pdf -o FILE``: export the timed report."""

from __future__ import annotations

import argparse

from engine.report.export import export_report
from engine.store.sessions import load_session


def run(args: argparse.Namespace) -> int:
    """Load the session and write its report in the chosen format."""
    from engine.practice.report_sections import practice_sections

    session = load_session(args.session)
    path = export_report(session, args.format, args.output, practice_sections(session))
    print(f"Wrote the {args.format} report of {session.id} to {path}")
    return 0
