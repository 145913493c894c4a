"""``mockinterview install-desktop-entry [--uninstall]``: the Linux menu entry and icon.

Prints the files written or removed, one per line; says so when there was nothing to do, so
running it again (after an upgrade, say) is safe. See ``engine.desktop_entry``.
"""

from __future__ import annotations

import argparse

from engine.desktop_entry import install_desktop_entry, remove_desktop_entry


def run(args: argparse.Namespace) -> int:
    """Install or remove the entry; a non-Linux system gets a one-line ConfigError."""
    if args.uninstall:
        result = remove_desktop_entry()
        if not result.changed:
            print("No menu entry was installed; nothing to remove.")
            return 0
        print(f"Removed {result.entry}")
        print(f"Removed {result.icon}")
        return 0
    result = install_desktop_entry()
    if not result.changed:
        print(f"The menu entry is already up to date: {result.entry}")
        return 0
    print(f"Menu entry: {result.entry}")
    print(f"Icon:       {result.icon}")
    print("It appears in your desktop's application menu as “Mock Interview”.")
    return 0
