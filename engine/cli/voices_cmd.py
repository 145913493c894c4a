"""``mockinterview voices [--json]``: every voice the interviewer can speak with.

The neural voice comes first and is the default; the system (pyttsx3) voices follow. When the
neural voice cannot load it is left out, the reason goes to stderr once, and the system default
voice is marked default instead, so the list always says what ``--voice`` ids will work.
"""

from __future__ import annotations

import argparse
import json
import sys

from engine.speech.voice import VoiceInfo, list_voices, take_fallback_notice


def format_table(voices: list[VoiceInfo]) -> str:
    """A fixed-width table: engine, id, name, and a star on the default voice."""
    id_w = max([len("ID"), *(len(v.id) for v in voices)])
    lines = [f"  {'ENGINE':<8}  {'ID':<{id_w}}  NAME"]
    for voice in voices:
        star = "*" if voice.default else " "
        lines.append(f"{star} {voice.engine:<8}  {voice.id:<{id_w}}  {voice.name}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """List the voices as a table (``*`` marks the default) or as JSON."""
    voices = list_voices()
    notice = take_fallback_notice()
    if notice:
        print(f"mockinterview voices: warning: {notice}", file=sys.stderr)
    if args.json:
        print(json.dumps([voice.to_dict() for voice in voices], indent=2))
    else:
        print(format_table(voices))
    return 0
