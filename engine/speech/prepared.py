"""Speech rendered ahead of time, piece by piece, on one background thread, and cached.

``prepare(text)`` returns at once with a ``PreparedSpeech`` whose pieces (see
``engine.speech.clauses``) render on the synthesis thread; iterating ``chunks()`` yields each
piece's samples as soon as it is ready. The host calls it for text it knows before it is said
(the next question, the interviewer's fixed phrases), so when the line is spoken its audio is
already there; for text known only at the last moment (a follow-up chosen after the answer) the
same call is made with ``urgent=True`` and playback starts after the first, short, piece.

Pieces are cached by (voice, rate, volume, text), so a sentence prepared on its own is found
again inside a longer line. One thread renders everything because two renders at once would
only share the same two cores; urgent pieces jump the queue between pieces.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from engine.errors import MockInterviewError, SpeechSynthesisError

CACHE_PIECES = 96
"""Rendered pieces kept (a piece is a clause of 1-4 s, 30-180 kB at 22,050 Hz)."""

URGENT, AHEAD = 0, 1


class SpeechCancelled(SpeechSynthesisError):
    """A piece was dropped because the line it belonged to was stopped."""


class _Piece:
    """One piece of speech: rendered once, waited for by any number of readers."""

    def __init__(self, engine: object, text: str, rate: float, volume: float) -> None:
        self.engine = engine
        self.text = text
        self.rate = rate
        self.volume = volume
        self.samples: np.ndarray | None = None
        self.error: BaseException | None = None
        self.started = False
        self.key: tuple[object, ...] = ()
        self.rendered_at: float | None = None  # perf_counter when done (tests, benchmarks)
        self.ready = threading.Event()

    def render(self) -> None:
        try:
            self.samples = self.engine.render(self.text, self.rate, self.volume)  # type: ignore[attr-defined]
        except BaseException as exc:  # handed to the reader, who raises it in its own thread
            self.error = exc
        finally:
            self.rendered_at = time.perf_counter()
            self.ready.set()


class _Renderer:
    """The synthesis thread and its priority queue of pieces."""

    def __init__(self) -> None:
        self._lock = threading.Condition()
        self._queue: list[tuple[int, int, _Piece]] = []
        self._order = itertools.count()
        self._cache: OrderedDict[tuple[object, ...], _Piece] = OrderedDict()
        self._thread: threading.Thread | None = None

    def piece(self, engine: object, text: str, rate: float, volume: float, priority: int) -> _Piece:
        """The cached or newly queued piece; an urgent request moves a queued piece forward."""
        key = (getattr(engine, "cache_key", id(engine)), rate, volume, text)
        with self._lock:
            piece = self._cache.get(key)
            if piece is not None and piece.error is not None:
                piece = None  # a failed render is tried again
            if piece is None:
                piece = _Piece(engine, text, rate, volume)
                piece.key = key
                self._cache[key] = piece
                while len(self._cache) > CACHE_PIECES:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(key)
            if not piece.started:
                heapq.heappush(self._queue, (priority, next(self._order), piece))
                self._lock.notify()
            self._ensure_thread()
        return piece

    def cancel(self, piece: _Piece) -> None:
        """Drop a piece not yet rendering (its line was stopped): it must not delay the next."""
        with self._lock:
            if piece.started:
                return
            piece.started = True  # the queued entry is skipped
            piece.error = SpeechCancelled("the line was stopped before this piece was rendered")
            if self._cache.get(piece.key) is piece:
                del self._cache[piece.key]
        piece.ready.set()

    def _ensure_thread(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="speech-synthesis", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            with self._lock:
                while not self._queue:
                    self._lock.wait()
                _priority, _order, piece = heapq.heappop(self._queue)
                if piece.started:
                    continue  # queued twice (ahead, then urgent): already rendered
                piece.started = True
            piece.render()


_RENDERER = _Renderer()


class PreparedSpeech:
    """A line of speech whose pieces render in the background.

    Attributes:
        text: what will be said (after ``speakable``).
        voice_id: the voice that renders it; ``engine`` its engine ("piper" or "pyttsx3").
        sample_rate: rate of every chunk.
    """

    def __init__(self, engine: object, text: str, pieces: list[_Piece]) -> None:
        self.text = text
        self.voice_id = str(getattr(engine, "voice_id", ""))
        self.engine = str(getattr(engine, "engine", ""))
        self.sample_rate = int(getattr(engine, "sample_rate", 22050))
        self._engine = engine
        self._pieces = pieces

    @property
    def ready(self) -> bool:
        """True when every piece is rendered (speaking it starts without waiting)."""
        return all(piece.ready.is_set() for piece in self._pieces)

    def hurry(self) -> None:
        """Move pieces still queued ahead of time to the front (the line is being said now)."""
        for piece in self._pieces:
            if not piece.started:
                _RENDERER.piece(self._engine, piece.text, piece.rate, piece.volume, URGENT)

    def cancel(self) -> None:
        """Drop the pieces not rendered yet (the line is stopped; a new one should not wait)."""
        for piece in self._pieces:
            _RENDERER.cancel(piece)

    def chunks(self, timeout: float | None = 120.0) -> Iterator[np.ndarray]:
        """Each piece's samples in order, as soon as it is rendered.

        Raises:
            SpeechSynthesisError: a piece failed or took longer than ``timeout`` seconds.
        """
        for piece in self._pieces:
            if not piece.ready.wait(timeout):
                raise SpeechSynthesisError(f"text-to-speech took over {timeout:.0f} s")
            if piece.error is not None:
                if isinstance(piece.error, MockInterviewError):
                    raise piece.error
                raise SpeechSynthesisError(f"text-to-speech failed: {piece.error}") from piece.error
            assert piece.samples is not None
            yield piece.samples

    def samples(self) -> np.ndarray:
        """All of it, joined (waits for the last piece)."""
        parts = list(self.chunks())
        if not parts:
            return np.zeros(0, dtype=np.float32)
        return np.concatenate(parts).astype(np.float32, copy=False)


def prepare(
    text: str,
    voice: str | None = None,
    rate: int | None = None,
    volume: float = 1.0,
    *,
    urgent: bool = True,
    model_path: str | Path | None = None,
    engine: object | None = None,
) -> PreparedSpeech:
    """Start rendering ``text`` and return at once (pieces already rendered are reused).

    Args:
        text: what to say.
        voice: an id from ``list_voices``; None is the default voice.
        rate: words per minute (None: ``DEFAULT_RATE_WPM``).
        volume: 0-1 gain.
        urgent: render before anything only prepared ahead of time.
        model_path: a Piper model to load instead of the bundled one.
        engine: an engine from ``resolve_voice`` (skips resolving ``voice`` again).

    Raises:
        SpeechSynthesisError: nothing to say, or an unknown voice.
    """
    from engine.speech.voice import DEFAULT_RATE_WPM, resolve_voice, speakable_text

    said = speakable_text(text)
    chosen = engine if engine is not None else resolve_voice(voice, model_path)
    pace = float(rate or DEFAULT_RATE_WPM)
    gain = float(min(1.0, max(0.0, volume)))
    priority = URGENT if urgent else AHEAD
    pieces = [
        _RENDERER.piece(chosen, part, pace, gain, priority)
        for part in chosen.pieces(said)  # type: ignore[attr-defined]
    ]
    return PreparedSpeech(chosen, said, pieces)
