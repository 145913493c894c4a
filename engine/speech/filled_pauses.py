"""Find the "um"s and "uh"s that Whisper leaves out, from the sound itself.

Whisper was trained on transcripts that drop disfluencies, so it writes "ask not what your
country" for "ask, uh, not what your country": the filler count of the people who use fillers
most comes out near zero. A filled pause sounds unlike words: one long voiced syllable with a
flat pitch and a spectrum that barely moves (a held schwa, or a hummed "mm"), typically
0.3-1.2 s long, while words change pitch and spectrum every syllable. With numpy only:

- 10 ms frames: energy, voicing and pitch from the normalised autocorrelation (70-400 Hz), and
  log energies in 18 bands (100 Hz-5 kHz) for the spectral envelope.
- *Islands*: stretches of sound between silences. A filled pause is an island of ``MIN_S`` to
  ``MAX_S``, voiced almost throughout, whose pitch (``PITCH_SPREAD``) and band energies
  (``SPECTRAL_SPREAD``) hardly vary over its middle.
- Whisper's words decide what is speech: an island that holds a whole timed word is that word.
  (Its word *edges* cannot be trusted the other way round: the aligner happily stretches the
  word next to a filler over it.)
- "um" or "uh": a closing hum (energy above 1 kHz falling away at the end) makes it "um".

Thresholds were tuned on the tuning half of ``bench/filler_audio.py``'s recordings and are
reported on the other half (BENCHMARKS.md). Silence has no island, and steady noise is not
voiced, so neither can produce a filler.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from engine.filler_words import FILLED_PAUSES
from engine.transcript import FilledPause, Word

SAMPLE_RATE = 16000
HOP = 160  # 10 ms
WINDOW = 640  # 40 ms: two periods of a 50 Hz voice still fit
MIN_LAG, MAX_LAG = SAMPLE_RATE // 400, SAMPLE_RATE // 70
MIN_S, MAX_S = 0.25, 1.3
VOICING = 0.6  # least normalised autocorrelation of a voiced frame
VOICED_SHARE = 0.8  # share of an island's frames that must be voiced
PITCH_SPREAD = 0.04  # most standard deviation of log pitch over the island's middle
SPECTRAL_SPREAD = 6.0  # most mean standard deviation (dB) of the band energies over it
# Looser limits for an island Whisper did not account for: in a gap between words, or under a
# word stretched far beyond its length (the aligner's way of hiding a filler).
LOOSE_PITCH_SPREAD = 0.09
LOOSE_SPECTRAL_SPREAD = 10.5
STRETCHED_S_PER_LETTER = 0.13
SOUND_BELOW_PEAK_DB = 35.0  # frames quieter than the loudest by more than this are silence
SILENCE_GAP_FRAMES = 5  # shorter silences do not split an island (stop closures)
_BAND_EDGES = np.geomspace(100.0, 5000.0, 19)


def detect_filled_pauses(
    samples: np.ndarray, words: Sequence[Word], offset_s: float = 0.0
) -> tuple[FilledPause, ...]:
    """Filled pauses in 16 kHz mono ``samples`` that none of the timed ``words`` accounts for.

    Args:
        samples: the recording (float32, 16 kHz).
        words: Whisper's timed words on the same clock (may be empty).
        offset_s: time of the first sample on that clock.
    """
    samples = np.asarray(samples, dtype=np.float32).reshape(-1)
    frames = (len(samples) - WINDOW) // HOP + 1
    if frames < int(MIN_S * 100):
        return ()
    energy = _frame_energy(samples, frames)
    peak = float(np.percentile(energy, 99))
    floor = float(np.percentile(energy, 10))
    sound = energy > max(peak - SOUND_BELOW_PEAK_DB, floor + 10.0, -60.0)
    sound = _close_gaps(sound, SILENCE_GAP_FRAMES)
    spans = [(w.start - offset_s, w.end - offset_s, w.word) for w in words]
    found: list[FilledPause] = []
    for first, last in _runs(sound):
        length_s = (last - first) * HOP / SAMPLE_RATE
        if not MIN_S <= length_s <= MAX_S:
            continue
        start_s = first * HOP / SAMPLE_RATE
        end_s = (last - 1) * HOP / SAMPLE_RATE + WINDOW / SAMPLE_RATE
        if any(_is_that_word(start_s, end_s, span) for span in spans):
            continue
        island = _frame_features(samples[first * HOP : (last - 1) * HOP + WINDOW], last - first)
        if not _is_held_vowel(*island, PITCH_SPREAD, SPECTRAL_SPREAD):
            unexplained = all(
                _stretched(span, end_s - start_s)
                for span in spans
                if _overlap(span, start_s, end_s) > min(0.1, 0.3 * (end_s - start_s))
            )
            if not unexplained or not _is_held_vowel(
                *island, LOOSE_PITCH_SPREAD, LOOSE_SPECTRAL_SPREAD
            ):
                continue
        kind = _kind(samples, first, last)
        found.append(FilledPause(round(start_s + offset_s, 3), round(end_s + offset_s, 3), kind))
    return tuple(found)


def _is_held_vowel(
    voicing: np.ndarray,
    log_pitch: np.ndarray,
    bands: np.ndarray,
    pitch_spread: float,
    spectral_spread: float,
) -> bool:
    """Voiced almost throughout, with a flat pitch and a still spectrum over its middle."""
    if np.mean(voicing > VOICING) < VOICED_SHARE:
        return False
    trim = len(voicing) // 10
    middle = slice(trim, len(voicing) - trim)
    pitch = log_pitch[middle][voicing[middle] > VOICING]
    if pitch.size < 4:
        return False
    offsets = pitch - np.median(pitch)
    # An octave jump of the pitch tracker is not a change of pitch.
    offsets = np.where(np.abs(offsets) > 0.5, offsets - np.sign(offsets) * np.log(2.0), offsets)
    if float(np.std(offsets)) > pitch_spread:
        return False
    return float(np.mean(np.std(bands[middle], axis=0))) <= spectral_spread


def _overlap(span: tuple[float, float, str], start_s: float, end_s: float) -> float:
    return max(0.0, min(span[1], end_s) - max(span[0], start_s))


def _stretched(span: tuple[float, float, str], island_s: float) -> bool:
    """Whether a word's span is far longer than the word, by at least the island's length."""
    start, end, text = span
    letters = max(1, sum(ch.isalpha() for ch in text))
    length = end - start
    return length >= island_s + 0.1 and length / letters >= STRETCHED_S_PER_LETTER


def _is_that_word(start_s: float, end_s: float, span: tuple[float, float, str]) -> bool:
    """Whether a timed word fills much of the island (or the word is itself a filler).

    A sliver of a word inside it ("...st") is Whisper guessing at the filler, not a word.
    """
    word_start, word_end, text = span
    if word_end <= start_s or word_start >= end_s:
        return False
    if text.strip(" ,.?!-").lower() in _FILLER_WORDS:
        return True  # Whisper wrote this one itself
    inside = word_start >= start_s - 0.08 and word_end <= end_s + 0.08
    return inside and word_end - word_start >= 0.4 * (end_s - start_s)


_FILLER_WORDS = frozenset(FILLED_PAUSES)


def _frame_energy(samples: np.ndarray, frames: int) -> np.ndarray:
    """Energy (dB) of each 10 ms frame over its 40 ms window, cheaply (the whole recording)."""
    hops = len(samples) // HOP
    power = np.mean(samples[: hops * HOP].reshape(hops, HOP).astype(np.float64) ** 2, axis=1)
    per = WINDOW // HOP
    window = np.convolve(power, np.ones(per) / per, mode="valid")[:frames]
    return 10.0 * np.log10(window + 1e-12)


def _frame_features(samples: np.ndarray, frames: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per 10 ms frame of one island: voicing (0..1), log pitch, band energies (dB)."""
    index = np.arange(WINDOW)[None, :] + HOP * np.arange(frames)[:, None]
    block = samples[index].astype(np.float64)
    block -= block.mean(axis=1, keepdims=True)
    hann = np.hanning(WINDOW)
    power = np.abs(np.fft.rfft(block * hann[None, :], n=2 * WINDOW, axis=1)) ** 2
    # Autocorrelation from the power spectrum, normalised by the zero lag and corrected for
    # the window's own taper, so a steady periodic frame scores near 1.
    autocorr = np.fft.irfft(power, axis=1)[:, : MAX_LAG + 1]
    taper = np.correlate(hann, hann, mode="full")[WINDOW - 1 : WINDOW + MAX_LAG]
    norm = autocorr / (autocorr[:, :1] + 1e-12) / (taper / taper[0])
    lags = norm[:, MIN_LAG:]
    best = np.argmax(lags, axis=1)
    voicing = lags[np.arange(frames), best]
    log_pitch = np.log(SAMPLE_RATE / (best + MIN_LAG))
    freqs = np.fft.rfftfreq(2 * WINDOW, 1.0 / SAMPLE_RATE)
    bands = np.stack(
        [
            power[:, (freqs >= low) & (freqs < high)].sum(axis=1)
            for low, high in zip(_BAND_EDGES[:-1], _BAND_EDGES[1:], strict=True)
        ],
        axis=1,
    )
    return voicing, log_pitch, 10.0 * np.log10(bands + 1e-10)


def _close_gaps(mask: np.ndarray, size: int) -> np.ndarray:
    """Fill holes of up to ``size`` frames inside runs."""
    result = mask.copy()
    for first, last in _runs(~mask):
        if last - first <= size and first > 0 and last < len(mask):
            result[first:last] = True
    return result


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    if mask.size == 0:
        return []
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return list(zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True))


def _kind(samples: np.ndarray, first: int, last: int) -> str:
    """Call it "um" when it closes into a hum (high frequencies fade in the last third)."""
    begin, end = first * HOP, (last - 1) * HOP + WINDOW
    third = max(WINDOW, (end - begin) // 3)
    opening, closing = samples[begin : begin + third], samples[end - third : end]
    return "um" if _high_share(closing) < 0.5 * _high_share(opening) else "uh"


def _high_share(chunk: np.ndarray) -> float:
    power = np.abs(np.fft.rfft(chunk * np.hanning(len(chunk)))) ** 2
    cut = int(1000 * len(chunk) / SAMPLE_RATE)
    return float(power[cut:].sum() / (power.sum() + 1e-12))
