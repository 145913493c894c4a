"""Speaks text aloud without blocking the caller, starting as soon as the first piece is ready.

``speak`` opens the output stream and asks for the line's pieces at once; the synthesis thread
renders them (or finds them already prepared), and a small feeder thread pushes each piece into
the stream as it arrives, so the first clause plays while the rest is still being rendered.
``prepare`` renders a line ahead of time for a host that knows what comes next.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from engine.errors import MockInterviewError
from engine.speech.playback import Player
from engine.speech.prepared import PreparedSpeech, prepare
from engine.speech.speech_stream import SpeechStream
from engine.speech.voice import resolve_voice, take_fallback_notice


class Speaker:
    """The interviewer's voice on one output device.

    Creating it loads the voice (about a second for the neural one, so do it off the UI
    thread). ``notice`` holds the one-time explanation when the neural voice could not load and
    the system voice speaks instead (None otherwise, or when it was already told).

    A new ``speak`` or ``stop`` supersedes the current speech; every ``speak`` gets exactly one
    ``on_finished`` (or ``on_error``) call.
    """

    def __init__(
        self,
        voice: str | None = None,
        rate: int | None = None,
        device: int | str | None = None,
        volume: float = 1.0,
        model_path: str | None = None,
    ) -> None:
        self.voice = voice
        self.rate = rate
        self.volume = volume
        self.device = device
        self._engine = resolve_voice(voice, model_path)
        self.notice: str | None = take_fallback_notice()
        self._lock = threading.Lock()
        self._generation = 0
        self._stream: SpeechStream | None = None
        self._speech: PreparedSpeech | None = None
        self._idle = threading.Event()
        self._idle.set()
        self.last_started_at: float | None = None

    @property
    def engine(self) -> str:
        """Which engine speaks: "piper" (neural) or "pyttsx3" (system)."""
        return str(self._engine.engine)

    @property
    def voice_id(self) -> str:
        return str(self._engine.voice_id)

    @property
    def is_speaking(self) -> bool:
        """True from ``speak`` until the speech ends, is stopped, or fails."""
        return not self._idle.is_set()

    @property
    def first_audio_delay_s(self) -> float | None:
        """Seconds from the last ``speak`` call to its first sample reaching the device."""
        stream, started = self._stream, self.last_started_at
        if stream is None or stream.first_audio_at is None or started is None:
            return None
        return stream.first_audio_at - started

    def prepare(self, text: str) -> PreparedSpeech | None:
        """Render ``text`` in the background so saying it later starts at once.

        Returns None (and does nothing) for text with nothing to say: preparing is a hint, and a
        host should not have to guard it.
        """
        try:
            return prepare(
                text, rate=self.rate, volume=self.volume, urgent=False, engine=self._engine
            )
        except MockInterviewError:
            return None

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
        started = time.perf_counter()
        Player(device=self.device).check_output_device()
        self.stop()
        with self._lock:
            self._generation += 1
            generation = self._generation
            self._idle.clear()
            self.last_started_at = started
            self._stream = None  # first_audio_delay_s must not read the previous line's stream
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
            stream, speech = self._stream, self._speech
            self._speech = None
        if speech is not None:
            speech.cancel()  # pieces of the stopped line must not hold up the next one
        if stream is not None:
            stream.stop()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the current speech is over; True if it ended within ``timeout``."""
        return self._idle.wait(timeout)

    def _current(self, generation: int) -> bool:
        with self._lock:
            return generation == self._generation

    def _speak_worker(
        self,
        text: str,
        generation: int,
        on_finished: Callable[[], None] | None,
        on_error: Callable[[Exception], None] | None,
    ) -> None:
        told = threading.Lock()  # held once taken: exactly one report per speak

        def report(error: Exception | None) -> None:
            with self._lock:
                if generation == self._generation:
                    self._idle.set()
            if not told.acquire(blocking=False):
                return
            if error is not None and on_error is not None:
                on_error(error)
            elif on_finished is not None:
                on_finished()

        stream: SpeechStream | None = None
        try:
            speech = prepare(
                text, rate=self.rate, volume=self.volume, urgent=True, engine=self._engine
            )
            speech.hurry()
            with self._lock:
                if generation == self._generation:
                    self._speech = speech
            stream = SpeechStream(
                speech.sample_rate, device=self.device, on_finished=lambda: report(None)
            )
            with self._lock:
                stale = generation != self._generation
                if not stale:
                    self._stream = stream
            if stale:  # stopped or replaced while rendering: report outside the lock
                report(None)
                return
            stream.start()
            for chunk in speech.chunks():
                if not self._current(generation):
                    break
                stream.push(chunk)
            stream.end()
        except MockInterviewError as exc:
            # A line stopped while rendering ends as stopped, not as a failure.
            report(exc if self._current(generation) else None)
            if stream is not None:
                stream.stop()
            return
        stream.wait()
        stream.close()
