"""One spoken answer: the recorder writing to the session folder plus the live transcription.

Pure Python (no Qt), so it can be driven from worker threads: the audio callback thread feeds
chunks in, the UI thread reads ``level`` and ``partial()`` from a timer, and a worker calls
``finish``. The audio goes straight to ``audio/turn-NN.wav`` while the candidate speaks, so a
crash never loses an answer. Pausing closes the current file and resumes into a part file; the
parts are joined when the answer is finished, and the transcription simply never sees the pause.

When the speech model is still loading, chunks are kept in memory and handed to the streaming
session once the model is ready (or transcribed in one pass at the end), so nothing is lost.

``start``, ``pause``, ``resume``, ``finish`` and ``cancel`` are serialised by an operation lock
(and the controller queues them in order on one thread), so two quick presses of P can never
leave the microphone closed while the screen says "Listening". ``problem`` reports a microphone
that stopped working mid-answer (the recorder's ``callback_error`` or a lost device); the
controller then finishes the answer with what was recorded.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("mockinterview.capture")

# A level above this counts as the candidate speaking (for auto-finish on silence).
SPEECH_LEVEL = 0.06


@dataclass(frozen=True)
class CapturedAnswer:
    """What a finished answer produced: transcript, the audio file, and its length."""

    transcript: Any  # engine.transcript.Transcript
    audio_path: Path
    duration_s: float
    device_lost: bool = False
    problem: str = ""


MIC_STOPPED = "The microphone stopped working — your answer so far is saved"


class AnswerCapture:
    """Records one answer to ``audio_path`` and transcribes it while it is spoken.

    Args:
        audio_path: where the answer's WAV goes (``turn_audio_path`` of the session).
        device: input device name or index (None: the system default).
        model: Whisper model choice ("" or None: the bundled tiny.en).
        context_prompt: the question text, to help Whisper with the vocabulary.
    """

    def __init__(
        self,
        audio_path: Path,
        device: str | int | None = None,
        model: str | None = None,
        context_prompt: str = "",
    ) -> None:
        self.audio_path = Path(audio_path)
        self.device = device if device not in ("", None) else None
        self.model = model or None
        self.context_prompt = context_prompt
        self._lock = threading.Lock()  # guards the fields the audio thread touches
        self._op_lock = threading.Lock()  # one start/pause/resume/finish/cancel at a time
        self._recorder: Any = None
        self._stream: Any = None
        self._pending: list[Any] = []  # chunks held until the model is ready
        self._segments: list[Path] = []
        self._durations: list[float] = []
        self._device_lost = False
        self._problem = ""
        self._level = 0.0
        self._heard_speech = False
        self._last_loud = time.monotonic()
        self._started = time.monotonic()
        self._paused = False
        self._closed = False

    # -- read by the UI timer -----------------------------------------------------------------
    @property
    def level(self) -> float:
        """The newest input level (0..1)."""
        return self._level

    @property
    def is_streaming(self) -> bool:
        """True once the live transcription is attached (the model was ready)."""
        return self._stream is not None

    @property
    def is_paused(self) -> bool:
        with self._lock:
            return self._paused

    @property
    def is_recording(self) -> bool:
        """True while a recorder is open (not paused, finished or cancelled)."""
        with self._lock:
            return self._recorder is not None

    def problem(self) -> str:
        """Why the microphone stopped mid-answer ("" while it works).

        Reads the open recorder's ``callback_error`` (a block could not be handled) and its
        ``device_lost`` flag (the device stopped delivering audio).
        """
        with self._lock:
            recorder = self._recorder
            if self._problem:
                return self._problem
        if recorder is None:
            return ""
        error = recorder.callback_error
        if error is not None:
            detail = f"{type(error).__name__}: {error}"
        elif recorder.device_lost:
            detail = "the device stopped delivering audio"
        else:
            return ""
        with self._lock:
            self._problem = f"{MIC_STOPPED} ({detail})."
            return self._problem

    def silence_s(self) -> float:
        """Seconds since the candidate last spoke; 0 until they said anything at all."""
        if not self._heard_speech or self._paused:
            return 0.0
        return time.monotonic() - self._last_loud

    def partial(self) -> tuple[str, str]:
        """The live transcript so far as (committed, tentative); empty before streaming."""
        stream = self._stream
        if stream is None:
            return "", ""
        result = stream.partial()
        return str(result.committed), str(result.tentative)

    # -- driven from workers ----------------------------------------------------------------------
    def start(self) -> None:
        """Open the microphone and start writing (blocking for a moment: call from a worker).

        Raises:
            MicrophoneError: there is no usable input device.
        """
        with self._op_lock:
            self.audio_path.parent.mkdir(parents=True, exist_ok=True)
            self._open_recorder(self.audio_path)
            self._started = time.monotonic()

    def attach_stream(self) -> None:
        """Start live transcription (the model is loaded) and feed what was held back."""
        from desktop.controllers.speech_model import load_model
        from engine.speech.transcriber import get_transcriber

        load_model(self.model).result()  # loaded already; never load on the stream's thread
        transcriber = get_transcriber(self.model)
        stream = _new_stream(transcriber, self.context_prompt)
        with self._lock:
            if self._closed or self._stream is not None:
                stream.cancel()
                return
            for chunk in self._pending:
                stream.feed(chunk)
            self._pending.clear()
            self._stream = stream

    def pause(self) -> None:
        """Close the current audio part; nothing is recorded until ``resume``."""
        with self._op_lock:
            with self._lock:
                if self._paused or self._recorder is None:
                    return
                self._paused = True
                recorder, self._recorder = self._recorder, None
            self._close_recorder(recorder)

    def resume(self) -> None:
        """Continue recording into the next part file."""
        with self._op_lock:
            with self._lock:
                if not self._paused or self._closed:
                    return
                part = self.audio_path.with_name(
                    f"{self.audio_path.stem}.part{len(self._segments) + 1}{self.audio_path.suffix}"
                )
            self._open_recorder(part)
            with self._lock:
                self._paused = False
                self._last_loud = time.monotonic()

    def finish(self) -> CapturedAnswer:
        """Stop recording and return the whole transcript (call from a worker).

        The streaming session has transcribed everything but the last stretch, so this is quick;
        without a stream (model was still loading) the held audio is transcribed in one pass.
        """
        problem = self.problem()
        with self._op_lock:
            with self._lock:
                recorder, self._recorder = self._recorder, None
                self._closed = True
            if recorder is not None:
                self._close_recorder(recorder)
            self._join_parts()
            duration = sum(self._durations)
            stream = self._stream
            transcript = stream.finish() if stream is not None else self._transcribe_held()
        return CapturedAnswer(transcript, self.audio_path, duration, self._device_lost, problem)

    def cancel(self) -> None:
        """Stop recording and drop the live transcription (skip, repeat)."""
        with self._op_lock:
            with self._lock:
                recorder, self._recorder = self._recorder, None
                self._closed = True
                stream, self._stream = self._stream, None
                self._pending.clear()
            if recorder is not None:
                self._close_recorder(recorder)
            if stream is not None:
                stream.cancel()

    # -- internals ----------------------------------------------------------------------------
    def _open_recorder(self, path: Path) -> None:
        from engine.speech.recorder import Recorder

        recorder = Recorder(
            path, device=self.device, on_chunk=self._on_chunk, on_level=self._on_level
        )
        recorder.start()
        with self._lock:
            closed = self._closed
            if not closed:
                self._recorder = recorder
                self._segments.append(path)
        if closed:
            # Finished or cancelled while the device was opening: never leave a stream running.
            recorder.stop()

    def _close_recorder(self, recorder: Any) -> None:
        result = recorder.stop()
        self._durations.append(float(getattr(result, "duration_s", 0.0) or 0.0))
        if getattr(result, "device_lost", False):
            self._device_lost = True

    def _on_chunk(self, chunk: Any) -> None:
        with self._lock:
            if self._closed or self._paused:
                return
            if self._stream is not None:
                self._stream.feed(chunk)
            else:
                self._pending.append(chunk.copy())

    def _on_level(self, level: float) -> None:
        self._level = float(level)
        if level >= SPEECH_LEVEL:
            self._heard_speech = True
            self._last_loud = time.monotonic()

    def _join_parts(self) -> None:
        """Join the parts of a paused answer into ``audio_path`` (the turn's one WAV)."""
        if len(self._segments) <= 1:
            return
        import numpy as np

        from engine.errors import AudioDecodeError
        from engine.speech.audio_io import load_audio, write_wav

        pieces = []
        for part in self._segments:
            try:
                pieces.append(load_audio(part))
            except AudioDecodeError as exc:  # an empty part (paused at once) adds nothing
                log.info("skipping an empty part of %s: %s", self.audio_path.name, exc)
        joined = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
        tmp = self.audio_path.with_name(self.audio_path.stem + ".joined.wav")
        write_wav(tmp, joined)
        tmp.replace(self.audio_path)
        for part in self._segments[1:]:
            part.unlink(missing_ok=True)
        self._segments = [self.audio_path]

    def _transcribe_held(self) -> Any:
        import numpy as np

        from desktop.controllers.speech_model import load_model
        from engine.speech.transcriber import get_transcriber

        load_model(self.model).result()  # waits for the keeper thread's load (never loads here)
        transcriber = get_transcriber(self.model)
        with self._lock:
            held = list(self._pending)
            self._pending.clear()
        samples = np.concatenate(held) if held else np.zeros(0, dtype=np.float32)
        return transcriber.transcribe_samples(samples)


def _new_stream(transcriber: Any, context_prompt: str) -> Any:
    """A streaming session, primed with the question's text when there is one."""
    if context_prompt:
        return transcriber.stream(context_prompt=context_prompt)
    return transcriber.stream()
