"""``mockinterview say TEXT -o FILE.wav [--voice ID] [--rate WPM] [--volume V]``.

Writes what the interviewer would say to a WAV file (16-bit mono at the voice's own 22,050 Hz),
for checking a voice or a question's wording without opening the app or needing a speaker. The
text is said as the app says it: numbers, shorthand and symbols in words. If the neural voice
cannot load, the system voice speaks and a one-line warning on stderr says why.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.errors import ConfigError
from engine.speech.voice import render, resolve_voice, take_fallback_notice

MIN_RATE_WPM, MAX_RATE_WPM = 60, 400


def run(args: argparse.Namespace) -> int:
    """Render the text and write the WAV; print where it went and how long it is."""
    import soundfile

    out = Path(args.output).expanduser()
    if out.suffix.lower() != ".wav":
        raise ConfigError(f"-o {out}: the output must be a .wav file")
    if out.is_dir():
        raise ConfigError(f"-o {out}: is a folder, not a file")
    if args.rate is not None and not MIN_RATE_WPM <= args.rate <= MAX_RATE_WPM:
        raise ConfigError(
            f"--rate {args.rate}: choose {MIN_RATE_WPM}-{MAX_RATE_WPM} words per minute"
        )
    if not 0.0 <= args.volume <= 1.0:
        raise ConfigError(f"--volume {args.volume}: choose a value from 0 to 1")
    engine = resolve_voice(args.voice)
    notice = take_fallback_notice()
    if notice:
        print(f"mockinterview say: warning: {notice}", file=sys.stderr)
    samples, rate = render(args.text, voice=args.voice, rate=args.rate, volume=args.volume)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        soundfile.write(str(out), samples, rate, subtype="PCM_16")
    except Exception as exc:  # libsndfile: unwritable folder, disk full
        raise ConfigError(f"-o {out}: cannot write it ({exc})") from exc
    name = engine.voice_id or "system default"
    print(f"{out}: {len(samples) / rate:.1f} s at {rate} Hz, voice {name} ({engine.engine})")
    return 0
