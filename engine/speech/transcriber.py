"""Local Whisper transcription (faster-whisper, CTranslate2 int8 on the CPU) with word timings.

One ``Transcriber`` per model, loaded once and shared (``get_transcriber`` caches them), because
loading costs time and memory and the machine has two cores: all decoding goes through one lock
so two callers never fight over the same threads. Word timestamps are always on: evidence
quotes, pacing and replay all hang on them. Results are converted at this boundary into the
engine's own frozen ``Transcript``; no faster-whisper type leaks out.

For answers spoken live, ``Transcriber.stream()`` returns a ``StreamingSession`` (see
``engine.speech.streaming``) that settles words while the user is still talking.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.errors import ModelError, TranscriptionError
from engine.speech.audio_io import SAMPLE_RATE, load_audio
from engine.speech.filled_pauses import detect_filled_pauses
from engine.speech.models import ModelSpec, resolve_model
from engine.transcript import Segment, Transcript, Word

if TYPE_CHECKING:
    from engine.speech.streaming import StreamingSession

CPU_THREADS = 2
# Frames quieter than this never hold speech a person could hear (used to skip pure silence,
# on which Whisper tends to invent a word such as "you").
SPEECH_FLOOR_DBFS = -55.0
FRAME = 480  # 30 ms at 16 kHz


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings shared by batch and streaming so both give the same words.

    Attributes:
        beam_size: 1 (greedy) keeps a few-second stretch at ~0.3 s on two cores; tiny.en gains
            little from a wider beam.
        vad_filter: run Silero VAD first (batch files only: it drops long silences on which
            Whisper would otherwise hallucinate).
        temperatures: Whisper's fallback ladder; a pass that looks unsure is decoded again at
            each next temperature, which can cost ten passes on one unclear stretch.
        tokens_per_second: cap on the tokens decoded per second of audio (None: no cap), so
            a repetition loop cannot run for seconds; fast speech needs about four.
    """

    beam_size: int = 1
    vad_filter: bool = False
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    tokens_per_second: float | None = None


class Transcriber:
    """A loaded (or lazily loading) Whisper model that turns audio into a ``Transcript``."""

    def __init__(self, spec: ModelSpec, cpu_threads: int = CPU_THREADS) -> None:
        self.spec = spec
        self.cpu_threads = cpu_threads
        self._model: Any = None
        self._load_lock = threading.Lock()
        self._decode_lock = threading.Lock()
        self.load_seconds: float | None = None

    @property
    def model_name(self) -> str:
        """The name recorded in transcripts (``tiny.en`` for the bundled model)."""
        return self.spec.name

    @property
    def is_loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        """Load the model now (idempotent, thread-safe); callers do this early to hide the cost.

        Raises:
            ModelError: the folder holds something CTranslate2 cannot load.
        """
        if self._model is not None:
            return
        with self._load_lock:
            if self._model is not None:
                return
            started = time.perf_counter()
            try:
                from faster_whisper import WhisperModel

                self._model = WhisperModel(
                    str(self.spec.path),
                    device="cpu",
                    compute_type="int8",
                    cpu_threads=self.cpu_threads,
                    local_files_only=True,
                )
            except Exception as exc:  # CTranslate2/tokenizers raise RuntimeError, ValueError...
                raise ModelError(
                    f"cannot load Whisper model {self.spec.name} from {self.spec.path}: "
                    f"{' '.join(str(exc).split())[:200]}"
                ) from exc
            self.load_seconds = time.perf_counter() - started

    def transcribe_file(self, path: str | Path, *, allow_silence: bool = False) -> Transcript:
        """Transcribe a whole audio file in one pass.

        Args:
            path: any audio ``load_audio`` decodes.
            allow_silence: return an empty transcript for a silent file instead of raising
                (re-transcribing stored turns, where a silent turn is a fact, not an error).

        Raises:
            AudioDecodeError: missing, unreadable, unsupported or empty audio.
            TranscriptionError: the audio holds no speech (unless ``allow_silence``).
            ModelError: the model cannot be loaded.
        """
        samples = load_audio(path)
        transcript = self.transcribe_samples(samples, options=DecodeOptions(vad_filter=True))
        if not transcript.words and not allow_silence:
            raise TranscriptionError(
                f"no speech found in {path} ({len(samples) / SAMPLE_RATE:.1f} s of audio)"
            )
        return transcript

    def transcribe_samples(
        self,
        samples: np.ndarray,
        offset_s: float = 0.0,
        *,
        initial_prompt: str | None = None,
        language: str | None = None,
        options: DecodeOptions | None = None,
    ) -> Transcript:
        """Transcribe float32 16 kHz mono samples; times are shifted by ``offset_s``.

        Silence (nothing above ``SPEECH_FLOOR_DBFS``) returns an empty transcript without
        running the model at all. Fillers Whisper left out are looked for in the audio
        (``Transcript.filled_pauses``).
        """
        samples = np.ascontiguousarray(samples, dtype=np.float32).reshape(-1)
        duration = len(samples) / SAMPLE_RATE
        if not has_audible_sound(samples):
            return Transcript(duration_s=duration, model=self.model_name, language=language or "en")
        segments, detected = self.decode(
            samples, offset_s, initial_prompt=initial_prompt, language=language, options=options
        )
        words = [w for segment in segments for w in segment.words]
        return Transcript(
            segments=tuple(segments),
            language=detected,
            duration_s=duration,
            model=self.model_name,
            filled_pauses=detect_filled_pauses(samples, words, offset_s),
        )

    def decode(
        self,
        samples: np.ndarray,
        offset_s: float = 0.0,
        *,
        initial_prompt: str | None = None,
        language: str | None = None,
        options: DecodeOptions | None = None,
    ) -> tuple[list[Segment], str]:
        """Run Whisper on samples and return (segments with absolute times, language).

        Holds the decode lock for the whole generator: faster-whisper decodes lazily, so the
        work happens while iterating, not in the ``transcribe`` call.
        """
        self.load()
        options = options or DecodeOptions()
        if language is None and self.spec.english_only:
            language = "en"
        with self._decode_lock:
            try:
                raw_segments, info = self._model.transcribe(
                    samples,
                    language=language,
                    beam_size=options.beam_size,
                    word_timestamps=True,
                    initial_prompt=initial_prompt or None,
                    condition_on_previous_text=True,
                    vad_filter=options.vad_filter,
                    temperature=list(options.temperatures),
                    max_new_tokens=_token_cap(options, len(samples)),
                )
                segments = list(_convert(raw_segments, offset_s, len(samples) / SAMPLE_RATE))
            except Exception as exc:  # CTranslate2 runtime errors, out of memory...
                raise TranscriptionError(f"Whisper failed: {' '.join(str(exc).split())}") from exc
        return segments, info.language or "en"

    def stream(self, **settings: Any) -> StreamingSession:
        """Start a live session that transcribes while audio is still arriving.

        Keyword arguments are ``StreamingOptions`` fields (and ``context_prompt``).
        """
        from engine.speech.streaming import StreamingSession

        return StreamingSession(self, **settings)


def _token_cap(options: DecodeOptions, length: int) -> int | None:
    if options.tokens_per_second is None:
        return None
    return min(200, int(16 + options.tokens_per_second * length / SAMPLE_RATE))


def has_audible_sound(samples: np.ndarray, floor_dbfs: float = SPEECH_FLOOR_DBFS) -> bool:
    """True when at least ~90 ms of the audio rises above the floor (cheap pre-check)."""
    frames = len(samples) // FRAME
    if frames == 0:
        return bool(samples.size) and float(np.sqrt(np.mean(samples**2))) > 10 ** (floor_dbfs / 20)
    power = np.mean(samples[: frames * FRAME].reshape(frames, FRAME) ** 2, axis=1)
    loud = power > 10 ** (floor_dbfs / 10)
    return int(np.count_nonzero(loud)) >= min(3, frames)


def _convert(raw_segments: Iterable[Any], offset_s: float, length_s: float) -> Iterable[Segment]:
    """faster-whisper segments -> engine Segments with times on the whole recording's clock.

    Tokens with no letter or digit (a lone "." or "-", which tiny models emit in long runs on
    noise) are dropped, and a segment's text is rebuilt from its kept words, so the text always
    matches the timed words that evidence quotes and pacing rely on.
    """
    limit = offset_s + length_s
    for raw in raw_segments:
        words = tuple(
            Word(
                start=min(max(offset_s + float(w.start), offset_s), limit),
                end=min(max(offset_s + float(w.end), offset_s), limit),
                word=w.word,
            )
            for w in (raw.words or ())
            if any(ch.isalnum() for ch in w.word)
        )
        if not words:
            continue
        text = "".join(w.word for w in words).strip()
        yield Segment(
            start=words[0].start, end=max(words[-1].end, words[0].start), text=text, words=words
        )


_CACHE: dict[str, Transcriber] = {}
_CACHE_LOCK = threading.Lock()


def get_transcriber(model: str | None = None) -> Transcriber:
    """The shared transcriber for a model (resolved once, loaded lazily on first use).

    Raises:
        ModelError: the model name or folder cannot be resolved.
    """
    spec = resolve_model(model)
    key = str(spec.path)
    with _CACHE_LOCK:
        transcriber = _CACHE.get(key)
        if transcriber is None:
            transcriber = Transcriber(spec)
            _CACHE[key] = transcriber
        return transcriber
