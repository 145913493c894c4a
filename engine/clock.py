"""The one way a time is written in reports, verdicts and the window: m:ss, rounded down.

Rounded down because a quote that starts at 3.7 s is heard during second 3: the evidence list,
the replay, the exports and the grader's verdicts must all say 0:03 for it. (The interview's big
countdown, ``desktop.widgets.countdown``, shows time *left* and so rounds up on purpose: it
reaches 00:00 only when the time is really up.)
"""

from __future__ import annotations


def mmss(seconds: float | None) -> str:
    """Seconds as m:ss ("--:--" when unknown); negative times read 0:00."""
    if seconds is None:
        return "--:--"
    total = max(0, int(seconds))
    return f"{total // 60}:{total % 60:02d}"
