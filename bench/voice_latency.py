"""How long after "speak this" does the first sample of the interviewer's voice reach the device?

Speaks through the real stack (``Speaker`` -> synthesis thread -> ``SpeechStream`` ->
sounddevice -> PortAudio -> ALSA pulse plugin -> a private PulseAudio null sink, started here
like the tests' virtual microphone) and takes the time from the ``speak`` call to the audio
callback that first hands speech, not lead-in silence, to PortAudio (``first_audio_delay_s``).

Three cases; before each unprepared line the piece cache is emptied, so it really renders:

- ``question_cold``: a 25-word question nobody prepared (the worst case for a question);
- ``question_prepared``: a 25-word question rendered ahead with ``Speaker.prepare`` while the
  candidate answered the previous one (what the app does), then spoken;
- ``follow_up``: a 20-25-word follow-up that can only be chosen after the answer, so it is
  never prepared: the clause cut decides how soon it starts.

``unsplit_render`` is how long the neural voice takes for each question in one piece (what
the first sound would wait for without clause cutting). ``first_piece_render_cpu`` is the CPU
time (process time, all onnxruntime threads) of rendering a question's first piece: on a
machine shared with other work the wall-clock figures stretch, this one does not.

Examples:
    python bench/voice_latency.py --json
    python bench/voice_latency.py --runs 9 --voice gmw/en-us --json    # the system voice
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

THINGS = (
    "ranking system",
    "notification policy",
    "search ranker",
    "spam filter",
    "ads auction model",
    "friend suggestion model",
    "fraud detector",
    "music recommender",
    "churn predictor",
    "pricing model",
    "moderation queue",
    "news feed",
)
PRODUCTS = (
    "a short video app",
    "an online bookstore",
    "a food delivery service",
    "a travel booking site",
    "a dating app",
    "a job marketplace",
    "a photo sharing app",
    "a podcast player",
    "a grocery service",
    "a ride sharing app",
    "a language course",
    "a fitness tracker",
)
FOLLOW_UPS = (
    "You mentioned watch time as the main signal; what would you do if it rises while "
    "complaints about the {thing} also rise?",
    "Suppose the {thing} works offline but the online test shows no change after two "
    "weeks; where would you look first, and why?",
    "Leadership now wants the {thing} launched by Friday; which of your checks would you "
    "keep, and which would you drop?",
    "How would you explain to a product manager why the {thing} hurt new users while "
    "helping the ones who stayed longest?",
)


def question(index: int) -> str:
    """A distinct digit-free question of about 25 words."""
    thing = THINGS[index % len(THINGS)]
    product = PRODUCTS[(index * 5 + 1) % len(PRODUCTS)]
    return (
        f"How would you design the {thing} for {product}, and which signals would you "
        "trust most in the first week after launch, and why?"
    )


def follow_up(index: int) -> str:
    template = FOLLOW_UPS[index % len(FOLLOW_UPS)]
    return template.format(thing=THINGS[(index * 7 + 3) % len(THINGS)])


def _forget_rendered() -> None:
    """Empty the piece cache, so a "cold" line really renders (lines share clause pieces)."""
    from engine.speech import prepared

    with prepared._RENDERER._lock:
        prepared._RENDERER._cache.clear()


def _first_audio(speaker, text: str, timeout_s: float = 20.0) -> float:
    """Speak ``text`` and return the seconds until its first sample reached the device."""
    speaker.speak(text)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        delay = speaker.first_audio_delay_s
        if delay is not None:
            speaker.stop()
            time.sleep(0.15)  # let the device settle before the next line
            return delay
        time.sleep(0.001)
    speaker.stop()
    raise RuntimeError(f"no audio within {timeout_s} s for {text[:40]!r}")


def _summary(values: list[float]) -> dict[str, float | list[float]]:
    return {
        "median_s": round(statistics.median(values), 4),
        "max_s": round(max(values), 4),
        "runs_s": [round(v, 4) for v in values],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="lines per case (default 7)")
    parser.add_argument("--voice", help="a voice id from `mockinterview voices` (default: neural)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from tests.fixtures.virtual_mic import VirtualMic

    sink = VirtualMic(Path(tempfile.mkdtemp(prefix="voice-bench-")))
    sink.start()  # before the first sounddevice import, as PortAudio scans devices once
    try:
        from engine.speech.speakable import speakable
        from engine.speech.speaker import Speaker

        began = time.perf_counter()
        speaker = Speaker(voice=args.voice, device=sink.device)
        load_s = time.perf_counter() - began
        engine = speaker._engine  # the bench reads the engine to time unsplit renders
        cold, prepared, probes, unsplit = [], [], [], []
        first_cpu: list[float] = []
        first_words: list[int] = []
        for run in range(args.runs):
            _forget_rendered()
            cold.append(_first_audio(speaker, question(3 * run)))
            if speaker.engine == "piper":  # CPU for a first piece never rendered before
                piece = engine.pieces(speakable(question(3 * run)))[0]  # render skips the cache
                c0 = time.process_time()
                engine.render(piece, 175.0, 1.0)
                first_cpu.append(time.process_time() - c0)
                first_words.append(len(piece.split()))
            ahead = speaker.prepare(question(3 * run + 1))
            while ahead is not None and not ahead.ready:
                time.sleep(0.01)  # the candidate is still answering meanwhile
            prepared.append(_first_audio(speaker, question(3 * run + 1)))
            _forget_rendered()
            probes.append(_first_audio(speaker, follow_up(run)))
            if speaker.engine == "piper":
                t0 = time.perf_counter()
                engine.render(question(3 * run + 2), 175.0, 1.0)
                unsplit.append(time.perf_counter() - t0)
        words = [len(question(i).split()) for i in range(3 * args.runs)]
        result = {
            "engine": speaker.engine,
            "voice": speaker.voice_id,
            "runs": args.runs,
            "question_words": round(statistics.mean(words), 1),
            "follow_up_words": round(
                statistics.mean(len(follow_up(i).split()) for i in range(args.runs)), 1
            ),
            "load_s": round(load_s, 3),
            "question_cold": _summary(cold),
            "question_prepared": _summary(prepared),
            "follow_up": _summary(probes),
            "unsplit_render": _summary(unsplit) if unsplit else None,
            "first_piece_words": round(statistics.mean(first_words), 1) if first_words else None,
            "first_piece_render_cpu": _summary(first_cpu) if first_cpu else None,
            "load_average_1min": round(os.getloadavg()[0], 2),
            "cpus": os.cpu_count(),
        }
    finally:
        sink.close()
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key in ("question_cold", "question_prepared", "follow_up", "unsplit_render"):
            if result[key]:
                print(f"{key:>18}: median {result[key]['median_s']:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
