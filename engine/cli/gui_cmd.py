"""``mockinterview gui``: open the desktop app.

The engine never imports Qt at module level; the desktop package is imported only here, inside
``run``, so every other sub-command (and ``--help``) works on a machine without a display.
"""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    """Start the desktop app and return its exit code."""
    from desktop.app import main

    return main()
