"""The interviewer's voice: which engine speaks, and text to samples or a WAV file.

Two engines sit behind one set of functions:

- the bundled neural voice (Piper ``en_US-joe-medium``, ``engine.speech.neural_voice``): the
  default, because a candidate rehearsing for a real interview should hear a human-sounding
  interviewer, and because Whisper mishears the synthetic candidate far less with it;
- the system voices of pyttsx3 (espeak-ng, ``engine.speech.system_voice``): selectable by id,
  and the fallback when the neural voice cannot load. The fallback is never silent: the reason
  is kept and handed out once by ``take_fallback_notice`` (the CLI prints it, the desktop shows
  it), so the user knows why the voice sounds robotic.

Every text goes through ``speakable`` first (numbers, "A/B", "p99", symbols said as words) and
is cut into pieces by ``split_for_speech`` so speech can start after the first piece;
``engine.speech.prepared`` renders pieces in the background and caches them, and
``engine.speech.speaker`` plays them as they come.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from engine.errors import SpeechSynthesisError
from engine.speech.clauses import split_for_speech
from engine.speech.neural_voice import NEURAL_VOICE_ID, NEURAL_VOICE_NAME, NeuralVoiceError
from engine.speech.speakable import speakable
from engine.speech.system_voice import DEFAULT_RATE_WPM

__all__ = [
    "DEFAULT_RATE_WPM",
    "NEURAL_VOICE_ID",
    "VoiceInfo",
    "list_voices",
    "resolve_voice",
    "synthesize",
    "synthesize_samples",
    "render",
    "take_fallback_notice",
]

ENGINE_NEURAL = "piper"
ENGINE_SYSTEM = "pyttsx3"


@dataclass(frozen=True)
class VoiceInfo:
    """A voice the user can choose (``id`` is what ``voice=`` and ``--voice`` expect)."""

    id: str
    name: str
    engine: str = ENGINE_SYSTEM
    languages: tuple[str, ...] = ()
    default: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The ``voices --json`` entry."""
        return {
            "engine": self.engine,
            "id": self.id,
            "name": self.name,
            "default": self.default,
            "languages": list(self.languages),
        }


class SpeechEngine(Protocol):
    """One voice of one engine, ready to render pieces of speakable text."""

    voice_id: str
    engine: str
    sample_rate: int
    cache_key: str  # what rendered pieces are cached under

    def pieces(self, text: str) -> list[str]:
        """How ``text`` is cut for rendering (each piece is rendered and cached apart)."""
        ...

    def render(self, piece: str, rate_wpm: float, volume: float) -> np.ndarray:
        """float32 mono samples at ``sample_rate`` for one piece."""
        ...


class _NeuralEngine:
    engine = ENGINE_NEURAL

    def __init__(self, voice: Any) -> None:
        self._voice = voice
        self.voice_id = NEURAL_VOICE_ID
        self.sample_rate = int(voice.sample_rate)
        self.cache_key = f"{ENGINE_NEURAL}:{voice.model_path}"

    def pieces(self, text: str) -> list[str]:
        return split_for_speech(text)

    def render(self, piece: str, rate_wpm: float, volume: float) -> np.ndarray:
        return self._voice.render(piece, rate_wpm, volume)


class _SystemEngine:
    """pyttsx3 renders a whole line in ~20 ms, so it is not cut into pieces."""

    engine = ENGINE_SYSTEM
    sample_rate = 22050  # espeak-ng's output rate; checked on every render

    def __init__(self, voice_id: str | None) -> None:
        self.voice_id = voice_id or ""
        self.cache_key = f"{ENGINE_SYSTEM}:{self.voice_id}"

    def pieces(self, text: str) -> list[str]:
        return [" ".join(text.split())]

    def render(self, piece: str, rate_wpm: float, volume: float) -> np.ndarray:
        import soundfile

        from engine.speech.system_voice import render_system_wav

        with tempfile.TemporaryDirectory(prefix="mockinterview-tts-") as folder:
            wav = render_system_wav(
                piece, Path(folder) / "speech.wav", voice=self.voice_id or None, rate=int(rate_wpm)
            )
            samples, rate = soundfile.read(str(wav), dtype="float32", always_2d=True)
        mono = samples.mean(axis=1).astype(np.float32)
        if int(rate) != self.sample_rate:
            from engine.speech.audio_io import resample

            mono = resample(mono, int(rate), self.sample_rate)
        return np.clip(mono * float(volume), -1.0, 1.0) if volume != 1.0 else mono


_STATE_LOCK = threading.Lock()
_fallback: dict[str, Any] = {"reason": None, "told": False}


def _neural_engine(model_path: str | Path | None) -> _NeuralEngine:
    from engine.speech.neural_voice import load_neural_voice

    return _NeuralEngine(load_neural_voice(model_path))


def resolve_voice(voice: str | None = None, model_path: str | Path | None = None) -> SpeechEngine:
    """The engine that will speak for ``voice`` (None or "" = the default, neural, voice).

    The neural voice is tried for the default and for its own id; when it cannot load, the
    system's default voice is used and the reason is kept for ``take_fallback_notice``.

    Args:
        voice: an id from ``list_voices`` (a pyttsx3 id or ``NEURAL_VOICE_ID``), or None.
        model_path: load this Piper model instead of the bundled one (tests use it).

    Raises:
        SpeechSynthesisError: an unknown voice id, or no engine at all can speak.
    """
    if voice and voice != NEURAL_VOICE_ID:
        from engine.speech.system_voice import list_system_voices

        if voice not in {v.id for v in list_system_voices()}:
            raise SpeechSynthesisError(
                f"unknown voice {voice!r}; `mockinterview voices` lists the ids"
            )
        return _SystemEngine(voice)
    try:
        engine = _neural_engine(model_path)
    except NeuralVoiceError as exc:
        with _STATE_LOCK:
            if _fallback["reason"] != str(exc):
                _fallback["reason"] = str(exc)
                _fallback["told"] = False
        return _SystemEngine(None)
    with _STATE_LOCK:  # the neural voice works (again): nothing to explain any more
        _fallback["reason"] = None
    return engine


def take_fallback_notice() -> str | None:
    """Why the system voice speaks instead of the neural one, the first time it is asked; else None.

    "Once" is per process and per reason: the CLI prints it for one command, the desktop shows
    it on the first interview or preview, and a different failure later is told again.
    """
    with _STATE_LOCK:
        reason = _fallback["reason"]
        if reason is None or _fallback["told"]:
            return None
        _fallback["told"] = True
    return f"The natural neural voice could not load, so the system voice speaks instead: {reason}."


def list_voices(model_path: str | Path | None = None) -> list[VoiceInfo]:
    """Every voice the user can choose: the neural voice first (the default), then pyttsx3's.

    When the neural voice cannot load it is left out, the system default voice is marked
    default, and ``take_fallback_notice`` says why.

    Raises:
        SpeechSynthesisError: neither engine is available.
    """
    from engine.speech.system_voice import list_system_voices

    voices: list[VoiceInfo] = []
    neural_ok = isinstance(resolve_voice(None, model_path), _NeuralEngine)
    if neural_ok:
        voices.append(
            VoiceInfo(NEURAL_VOICE_ID, NEURAL_VOICE_NAME, ENGINE_NEURAL, ("en-us",), default=True)
        )
    try:
        system = list_system_voices()
    except SpeechSynthesisError:
        if not voices:
            raise
        system = []
    for index, voice in enumerate(system):
        voices.append(
            VoiceInfo(
                voice.id,
                voice.name,
                ENGINE_SYSTEM,
                voice.languages,
                default=not neural_ok and index == 0,
            )
        )
    return voices


def speakable_text(text: str) -> str:
    """``text`` as it will be said; refuses text with nothing to say.

    Raises:
        SpeechSynthesisError: the text holds no letter or digit.
    """
    said = speakable(text)
    if not any(ch.isalnum() for ch in said):
        raise SpeechSynthesisError("nothing to say: the text holds no words")
    return said


def render(
    text: str,
    voice: str | None = None,
    rate: int | None = None,
    volume: float = 1.0,
    model_path: str | Path | None = None,
) -> tuple[np.ndarray, int]:
    """All of ``text`` as float32 mono samples at the voice's own rate, and that rate.

    Raises:
        SpeechSynthesisError: nothing to say, an unknown voice, or synthesis failed.
    """
    from engine.speech.prepared import prepare

    speech = prepare(text, voice=voice, rate=rate, volume=volume, model_path=model_path)
    return speech.samples(), speech.sample_rate


def synthesize(
    text: str,
    path: str | Path,
    voice: str | None = None,
    rate: int | None = None,
    volume: float = 1.0,
) -> Path:
    """Write ``text`` as speech to a 16-bit mono WAV at the voice's own rate (22,050 Hz).

    Args:
        text: what to say; must hold at least one word.
        path: output WAV path; parent folders are created.
        voice: an id from ``list_voices``; None is the default (neural) voice.
        rate: words per minute; None means ``DEFAULT_RATE_WPM``.
        volume: 0-1 gain.

    Raises:
        SpeechSynthesisError: empty text, unknown voice, or the engine produced no audio.
    """
    import soundfile

    samples, sample_rate = render(text, voice=voice, rate=rate, volume=volume)
    if samples.size == 0:
        raise SpeechSynthesisError(f"text-to-speech produced no audio for {text[:40]!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        soundfile.write(str(path), samples, sample_rate, subtype="PCM_16")
    except Exception as exc:  # libsndfile errors: folder not writable, disk full
        raise SpeechSynthesisError(f"cannot write {path}: {exc}") from exc
    return path


def synthesize_samples(
    text: str, voice: str | None = None, rate: int | None = None, volume: float = 1.0
) -> np.ndarray:
    """``text`` as float32 16 kHz mono samples (the synthetic candidate's answers)."""
    from engine.speech.audio_io import SAMPLE_RATE, resample

    samples, sample_rate = render(text, voice=voice, rate=rate, volume=volume)
    return resample(samples, sample_rate, SAMPLE_RATE)


def __getattr__(name: str) -> Any:
    """A lazy alias so older ``from engine.speech.voice import Speaker`` imports keep working.

    ``Speaker`` lives in ``engine.speech.speaker``, which imports this module.
    """
    if name == "Speaker":
        from engine.speech.speaker import Speaker

        return Speaker
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
