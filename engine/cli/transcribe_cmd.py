"""``mockinterview transcribe AUDIO [--model M] [--json]``: local Whisper on one audio file.

Plain output is the text alone (easy to pipe); ``--json`` prints the transcript contract of
DESIGN.md with segment and word timings. Bad input (missing, unreadable, unsupported or empty
audio, silence only, a folder that is not a Whisper model) surfaces as an ``engine.errors``
exception that ``engine.cli.main`` prints on one line.
"""

from __future__ import annotations

import argparse
import json


def run(args: argparse.Namespace) -> int:
    """Transcribe ``args.audio`` and print the result; returns the exit status."""
    from engine.speech.audio_io import load_audio
    from engine.speech.transcriber import get_transcriber

    load_audio(args.audio)  # fail on bad audio before paying for the model load
    transcriber = get_transcriber(args.model)
    transcript = transcriber.transcribe_file(args.audio)
    if args.json:
        print(json.dumps(transcript.to_dict(), ensure_ascii=False))
    else:
        print(transcript.text)
    return 0
