"""Long recordings of continuous real speech, built from the short real clips we can ship.

No recording of several minutes of continuous real speech ships with a package we can use, so
``continuous_speech`` strings the real clips we have (five LibriVox sentences in
``tests/data/speech``, public domain, and JFK's 11 s from ``../shared/data``) end to end: each
clip trimmed to its speech, joined by short 0.1-0.3 s gaps (a breath, never a one-second
pause), in a new shuffled order on every round so no sentence follows itself. It is real human
speech from two speakers; what it is not is one person talking freely.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from engine.speech.audio_io import SAMPLE_RATE, load_audio

ROOT = Path(__file__).resolve().parent.parent
SPEECH_DIR = ROOT / "tests" / "data" / "speech"
JFK = ROOT.parent / "shared" / "data" / "jfk.flac"
JFK_TEXT = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)
AUSTEN_TEXTS = {
    "0870": "and mister john dashwood had then leisure to consider how much there might be "
    "prudently in his power to do for them",
    "0880": "he was not an ill disposed young man",
    "0890": "unless to be rather cold hearted and rather selfish is to be ill disposed",
    "0920": "had he married a more amiable woman he might have been made still more "
    "respectable than he was",
    "0930": "he might even have been made amiable himself",
}


def real_clips() -> list[tuple[np.ndarray, str]]:
    """The real clips as (samples trimmed to their speech, reference text)."""
    clips = [
        (trim_silence(load_audio(SPEECH_DIR / f"austen-{key}.wav")), text)
        for key, text in AUSTEN_TEXTS.items()
    ]
    clips.append((trim_silence(load_audio(JFK)), JFK_TEXT))
    return clips


def continuous_speech(
    min_s: float = 180.0, seed: int = 7, gaps_s: tuple[float, float] = (0.1, 0.3)
) -> tuple[np.ndarray, str]:
    """At least ``min_s`` of real speech with only breath-length gaps, and its reference text."""
    rng = random.Random(seed)
    clips = real_clips()
    parts: list[np.ndarray] = []
    texts: list[str] = []
    length = 0
    previous = -1
    while length < min_s * SAMPLE_RATE:
        order = list(range(len(clips)))
        rng.shuffle(order)
        if order[0] == previous:
            order.append(order.pop(0))
        for index in order:
            samples, text = clips[index]
            if parts:
                gap = np.zeros(int(rng.uniform(*gaps_s) * SAMPLE_RATE), dtype=np.float32)
                parts.append(gap)
                length += gap.size
            parts.append(samples)
            texts.append(text)
            length += samples.size
        previous = order[-1]
    return np.concatenate(parts).astype(np.float32), " ".join(texts)


def trim_silence(samples: np.ndarray, keep_s: float = 0.05) -> np.ndarray:
    """Cut leading and trailing silence (8 dB over the noise floor), keeping a short margin."""
    frame = 480
    frames = len(samples) // frame
    if frames == 0:
        return samples
    power = np.mean(samples[: frames * frame].reshape(frames, frame).astype(np.float64) ** 2, 1)
    db = 10 * np.log10(power + 1e-12)
    peak = float(db.max())
    threshold = max(peak - 25.0, float(np.percentile(db, 10)) + 8.0)
    if threshold > peak - 6.0:  # no silence to speak of: keep everything 25 dB under the peak
        threshold = peak - 25.0
    loud = np.flatnonzero(db > threshold)
    if loud.size == 0:
        return samples
    keep = int(keep_s * SAMPLE_RATE)
    first = max(0, int(loud[0]) * frame - keep)
    last = min(len(samples), (int(loud[-1]) + 1) * frame + keep)
    return samples[first:last]
