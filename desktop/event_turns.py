"""Run a piece of UI work in a later turn of the event loop, never in the current one.

``QTimer.singleShot(0, f)`` looks like "after this turn", but Qt may run ``f`` in the same
dispatch pass that queued it: two expensive steps split that way still freeze the window for
their sum, with no repaint or input handled in between (bench/ui_stall.py saw the report's fill
and its first layout merge into one ~60 ms stall). A short real timer goes through the timer
queue behind every timer already due, and 8 ms (half a 60 Hz frame) leaves room for the repaint
the first step caused and for the input and timers that arrive meanwhile, at a cost the user
cannot see.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

_TURN_MS = 8


def in_next_turn(owner: QObject, callback: Callable[[], object]) -> None:
    """Call ``callback`` on this thread once the event loop has handled what is already due.

    Dropped if ``owner`` (the widget the work is for) is destroyed first.
    """
    QTimer.singleShot(_TURN_MS, owner, callback)
