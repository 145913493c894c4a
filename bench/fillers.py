"""Precision and recall of filler detection on real speech with fillers placed at known times.

Each recording of ``bench/filler_audio.py`` (real LibriVox/JFK speech, synthetic fillers from
espeak-ng, the Piper voice and a voiced hum) is transcribed by the bundled tiny.en, and the
pacing's timed filler events (the ones Whisper wrote plus the ones found in the audio) are
matched to the known fillers: an event counts when its middle lies within 0.25 s of one. The
real clips without fillers, 10 s of silence and 10 s of noise are scored too: every event on
them is a false positive. Thresholds were tuned on the even recordings (``tune``); ``report``
(the odd ones) is the figure to quote.

Example:
    python bench/fillers.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.filler_audio import SOURCES, build_recordings  # noqa: E402
from bench.speech_corpus import real_clips  # noqa: E402
from engine.grading.pacing import filler_events  # noqa: E402
from engine.speech.audio_io import SAMPLE_RATE  # noqa: E402
from engine.speech.transcriber import get_transcriber  # noqa: E402

TOLERANCE_S = 0.25


def score(known: list[tuple[float, float]], events: list[tuple[float, float]]) -> tuple[int, int]:
    """(true positives, false positives) of ``events`` against the ``known`` fillers."""
    used: set[int] = set()
    hits = 0
    for start, end in known:
        for index, (event_start, event_end) in enumerate(events):
            middle = (event_start + event_end) / 2
            if index not in used and start - TOLERANCE_S <= middle <= end + TOLERANCE_S:
                used.add(index)
                hits += 1
                break
    return hits, len(events) - len(used)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=48, help="recordings with fillers")
    parser.add_argument("--model", help="Whisper model (default: bundled tiny.en)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args(argv)

    transcriber = get_transcriber(args.model)
    transcriber.load()
    began = time.perf_counter()
    tallies: dict[str, dict[str, int]] = {}

    def add(key: str, hits: int, misses: int, false: int) -> None:
        tally = tallies.setdefault(key, {"tp": 0, "fn": 0, "fp": 0})
        tally["tp"] += hits
        tally["fn"] += misses
        tally["fp"] += false

    for index, recording in enumerate(build_recordings(args.count)):
        half = "tune" if index % 2 == 0 else "report"
        transcript = transcriber.transcribe_samples(recording.samples)
        events = [(e.start_s, e.end_s) for e in filler_events(transcript)]
        hits, false = score([(s, e) for s, e, _, _ in recording.fillers], events)
        add(half, hits, len(recording.fillers) - hits, false)
        for source in SOURCES:
            known = [(s, e) for s, e, _, src in recording.fillers if src == source]
            if known and half == "report":
                found, _ = score(known, events)
                add(f"report:{source}", found, len(known) - found, 0)
    rng = np.random.default_rng(5)
    negatives = [samples for samples, _ in real_clips()]
    negatives.append(np.zeros(10 * SAMPLE_RATE, dtype=np.float32))
    negatives.append(rng.normal(0, 0.02, 10 * SAMPLE_RATE).astype(np.float32))
    phantom = 0
    for samples in negatives:
        phantom += len(filler_events(transcriber.transcribe_samples(samples)))
    add("report", 0, 0, phantom)  # clean speech, silence and noise count against precision

    result: dict[str, object] = {"model": transcriber.model_name, "phantom_on_clean": phantom}
    for key, tally in tallies.items():
        found = tally["tp"]
        result[key] = {
            **tally,
            "precision": round(found / max(1, found + tally["fp"]), 3),
            "recall": round(found / max(1, found + tally["fn"]), 3),
        }
    result["seconds"] = round(time.perf_counter() - began, 1)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>16}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
