"""The interviewer's voice: pyttsx3 (espeak-ng) renders text to a WAV, sounddevice plays it.

``engine.say()`` is unusable on Linux (it returns at once, drops words and leaks temp files), so
speech is always rendered with ``save_to_file`` + ``runAndWait`` (about 20 ms per sentence) and
played by ``engine.speech.playback.Player``. Rendering to a file also makes the voice work on a
machine with no sound card: the demo and tests synthesize without ever opening a device.

pyttsx3 keeps one global engine per driver and is not thread-safe, so every synthesis goes
through one lock, whatever thread asks.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import PlaybackError, SpeechSynthesisError
from engine.speech.audio_io import load_audio

DEFAULT_RATE_WPM = 175  # a calm interviewer; espeak's own default (200) sounds rushed

SYNTHESIS_TIMEOUT_S = 10.0

_ENGINE_LOCK = threading.Lock()
_engine: Any = None
# Set by pyttsx3's "finished-utterance" notification (after the WAV is written).
_FINISHED = [threading.Event()]
# The engine's own voice at start-up: what ``voice=None`` means, whatever was chosen before
# (pyttsx3 keeps the last voice set, which would leak between callers).
_DEFAULT_VOICE = [""]


@dataclass(frozen=True)
class VoiceInfo:
    """A voice the TTS engine offers (``id`` is what ``voice=`` expects)."""

    id: str
    name: str
    languages: tuple[str, ...] = ()


def _get_engine() -> Any:
    """The process-wide pyttsx3 engine (call with ``_ENGINE_LOCK`` held)."""
    global _engine
    if _engine is None:
        try:
            import pyttsx3

            engine = pyttsx3.init()
            engine.connect("finished-utterance", _on_finished_utterance)
            _DEFAULT_VOICE[0] = str(engine.getProperty("voice") or "")
            _engine = engine
        except Exception as exc:  # missing espeak-ng shows up as OSError/RuntimeError
            raise SpeechSynthesisError(
                f"no text-to-speech engine available (is espeak-ng installed?): {exc}"
            ) from exc
    return _engine


def _on_finished_utterance(completed: bool = True, **_: Any) -> None:
    if completed:
        _FINISHED[0].set()


def list_voices() -> list[VoiceInfo]:
    """All voices of the TTS engine, English ones first (the app's questions are English)."""
    with _ENGINE_LOCK:
        raw = _get_engine().getProperty("voices") or []
    voices = [
        VoiceInfo(
            id=str(v.id),
            name=str(v.name),
            languages=tuple(_as_text(lang) for lang in (v.languages or ())),
        )
        for v in raw
    ]
    return sorted(voices, key=lambda v: (not _is_english(v), v.name.lower()))


def synthesize(
    text: str, path: str | Path, voice: str | None = None, rate: int | None = None
) -> Path:
    """Render ``text`` to a WAV file at ``path`` (espeak's 22.05 kHz, 16-bit mono).

    Args:
        text: what to say; must hold at least one letter or digit.
        path: output WAV path; parent folders are created.
        voice: a ``VoiceInfo.id``; None is the engine's default English voice.
        rate: speaking rate in words per minute; None means ``DEFAULT_RATE_WPM``.

    Raises:
        SpeechSynthesisError: empty text, unknown voice, or the engine produced no audio.
    """
    spoken = " ".join(str(text).split())
    if not any(ch.isalnum() for ch in spoken):
        raise SpeechSynthesisError("nothing to say: the text holds no words")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with _ENGINE_LOCK:
        engine = _get_engine()
        if voice:
            known = {str(v.id) for v in engine.getProperty("voices") or []}
            if voice not in known:
                raise SpeechSynthesisError(f"unknown voice {voice!r}; see list_voices()")
        chosen = voice or _DEFAULT_VOICE[0]
        if chosen:
            engine.setProperty("voice", chosen)
        engine.setProperty("rate", int(rate or DEFAULT_RATE_WPM))
        for _attempt in range(2):  # one retry: espeak may cancel a render that starts too early
            if _render(engine, spoken, path):
                break
        else:
            raise SpeechSynthesisError(
                f"text-to-speech did not finish within {SYNTHESIS_TIMEOUT_S:.0f} s"
            )
    if not path.exists() or path.stat().st_size <= 44:
        raise SpeechSynthesisError(f"text-to-speech produced no audio for {spoken[:40]!r}")
    return path


def _render(engine: Any, text: str, path: Path) -> bool:
    """One save_to_file round; True once espeak reports the utterance completed.

    espeak renders on its own thread and writes the WAV when the utterance ends, which can be
    after ``runAndWait`` returns, so completion is awaited through pyttsx3's notification. A
    render started while espeak still winds down the previous one can be cancelled by the
    driver; waiting for espeak to go idle first avoids that.
    """
    _wait_until_espeak_idle()
    done = _FINISHED[0]
    done.clear()
    try:
        # The espeak driver prints "Audio saved to ..." on stdout; keep CLI output clean.
        with contextlib.redirect_stdout(io.StringIO()):
            engine.save_to_file(text, str(path))
            engine.runAndWait()
            return done.wait(SYNTHESIS_TIMEOUT_S) and path.exists()
    except Exception as exc:
        raise SpeechSynthesisError(f"text-to-speech failed: {exc}") from exc


def _wait_until_espeak_idle(limit_s: float = 2.0) -> None:
    if not sys.platform.startswith("linux"):
        return  # pyttsx3 speaks through espeak on Linux only (NSSpeech on macOS, SAPI5 on Windows)
    try:
        from pyttsx3.drivers import _espeak
    except (ImportError, OSError):  # no libespeak: another driver, nothing to wait for
        return
    deadline = time.monotonic() + limit_s
    while _espeak.IsPlaying() and time.monotonic() < deadline:
        time.sleep(0.005)  # espeak offers no idle signal


def synthesize_samples(text: str, voice: str | None = None, rate: int | None = None) -> np.ndarray:
    """Render ``text`` and return float32 16 kHz mono samples (synthetic spoken answers)."""
    with tempfile.TemporaryDirectory(prefix="mockinterview-tts-") as folder:
        wav = synthesize(text, Path(folder) / "speech.wav", voice=voice, rate=rate)
        return load_audio(wav)


class Speaker:
    """Speaks text aloud without blocking the caller: render, then play, on a worker thread.

    ``speak`` checks for an output device first and raises ``PlaybackError`` at once when there
    is none, so a caller can show the text instead of waiting for a callback that never comes.
    A new ``speak`` or ``stop`` supersedes the current speech; every ``speak`` gets exactly one
    ``on_finished`` (or ``on_error``) call.
    """

    def __init__(
        self, voice: str | None = None, rate: int | None = None, device: int | str | None = None
    ) -> None:
        from engine.speech.playback import Player

        self.voice = voice
        self.rate = rate
        self._player = Player(device=device)
        self._lock = threading.Lock()
        self._generation = 0
        self._idle = threading.Event()
        self._idle.set()
        self._folder = tempfile.TemporaryDirectory(prefix="mockinterview-voice-")

    @property
    def is_speaking(self) -> bool:
        """True from ``speak`` until the speech ends, is stopped, or fails."""
        return not self._idle.is_set()

    def speak(
        self,
        text: str,
        on_finished: Callable[[], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Start saying ``text``, replacing whatever is being said. Returns at once.

        Args:
            text: the words to say.
            on_finished: called on a worker thread when playback ends or is stopped.
            on_error: called with the ``MockInterviewError`` if synthesis or playback fails
                (when absent, ``on_finished`` is called instead so a caller never hangs).

        Raises:
            PlaybackError: there is no output device at all.
        """
        self._player.check_output_device()
        self.stop()
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._idle.clear()
        worker = threading.Thread(
            target=self._speak_worker,
            args=(text, generation, on_finished, on_error),
            name="speaker",
            daemon=True,
        )
        worker.start()

    def stop(self) -> None:
        """Stop speaking now (skip); the current speech's ``on_finished`` still fires once."""
        with self._lock:
            self._generation += 1
            self._idle.set()
        self._player.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the current speech is over; True if it ended within ``timeout``."""
        return self._idle.wait(timeout)

    def _speak_worker(
        self,
        text: str,
        generation: int,
        on_finished: Callable[[], None] | None,
        on_error: Callable[[Exception], None] | None,
    ) -> None:
        def finished() -> None:
            with self._lock:
                if generation == self._generation:
                    self._idle.set()
            if on_finished is not None:
                on_finished()

        try:
            wav = synthesize(
                text, Path(self._folder.name) / f"say-{generation}.wav", self.voice, self.rate
            )
            with self._lock:
                stale = generation != self._generation
            if stale:
                finished()
                return
            self._player.play(wav, on_finished=finished)
        except (SpeechSynthesisError, PlaybackError) as exc:
            with self._lock:
                if generation == self._generation:
                    self._idle.set()
            if on_error is not None:
                on_error(exc)
            elif on_finished is not None:
                on_finished()


def _as_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace").lstrip("\x05").strip()
    return str(value)


def _is_english(voice: VoiceInfo) -> bool:
    return any(lang.lower().startswith("en") for lang in voice.languages) or voice.id.endswith(
        "/en"
    )
