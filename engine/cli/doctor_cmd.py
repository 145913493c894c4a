"""``mockinterview doctor [--json]``: is this machine ready for an interview?

One line per check (``OK``, ``WARN`` or ``FAIL``, then what was found) and, under anything that
is not OK, the fix. ``--json`` prints ``{"checks": [{"id", "status", "detail", "fix"}], "ok"}``.
Exit status 0 unless a check failed, so scripts can gate on it; warnings do not fail.
See ``engine.doctor`` for what each check does.
"""

from __future__ import annotations

import argparse
import json
import sys

from engine.doctor import Check, DoctorReport, iter_checks


def run(args: argparse.Namespace) -> int:
    """Run the checks; lines appear as each check finishes (the microphone takes a second)."""
    checks: list[Check] = []
    for check in iter_checks():
        checks.append(check)
        if not args.json:
            print(format_check(check), flush=True)
    report = DoctorReport(tuple(checks))
    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif report.ok:
        print("Ready for an interview." if not report.problems else "Ready, with warnings.")
    else:
        failed = sum(check.status == "fail" for check in checks)
        print(f"{failed} check(s) failed: fix them, then run `mockinterview doctor` again.")
    return 0 if report.ok else 1


def format_check(check: Check) -> str:
    """The check's line, plus an indented fix line when it is not OK."""
    return check.line() + (f"\n     fix: {check.fix}" if check.fix else "")
