"""Helpers for the speech tests: word error rate with light normalisation, silence."""

from __future__ import annotations

import re

import numpy as np

from engine.speech.audio_io import SAMPLE_RATE


def normalize(text: str) -> str:
    """Lower case without punctuation, so WER counts words rather than commas."""
    text = text.lower().replace("-", " ")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    return float(jiwer.wer(normalize(reference), normalize(hypothesis)))


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def stream_paced(session, samples: np.ndarray, chunk_s: float = 0.1) -> None:
    """Feed like a live microphone, waiting only while the worker is busy (no sleeping)."""
    chunk = int(chunk_s * SAMPLE_RATE)
    for start in range(0, len(samples), chunk):
        session.feed(samples[start : start + chunk])
        session.wait_idle(timeout=5)
