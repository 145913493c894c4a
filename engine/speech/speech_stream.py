"""An output stream that plays speech while later pieces are still being rendered.

``engine.speech.playback.Player`` plays a finished sound; speech arrives piece by piece, so this
stream is opened first (device start-up overlaps the first render), starts with the first
piece, plays pieces in order as they come (silence if the next one is late), and finishes when
the producer says there is no more and the queue is empty. The callback only copies samples;
resampling for a device that cannot play the voice's 22,050 Hz happens in ``push``, on the
producer's thread.

``first_audio_at`` is the ``time.perf_counter()`` at which the callback first handed speech (not
the lead-in silence) to PortAudio: what the latency benchmark measures.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.errors import PlaybackError
from engine.speech.audio_io import close_stream_quietly, resample
from engine.speech.playback import output_device_error


def pick_output_rate(device: int | str | None, wanted: int) -> int:
    """``wanted`` if the device plays it, else the device's own default rate.

    Raises:
        PlaybackError: no output device, or it plays neither rate.
    """
    try:
        import sounddevice as sd
    except OSError as exc:  # libportaudio missing
        raise PlaybackError(f"no audio output: PortAudio is not installed ({exc})") from exc
    problem = output_device_error(device)
    if problem:
        raise PlaybackError(problem)
    try:
        sd.check_output_settings(device=device, samplerate=wanted, channels=1, dtype="float32")
        return int(wanted)
    except Exception:  # PortAudioError "Invalid sample rate": fall back to the device's rate
        info = sd.query_devices(device, kind="output")
        native = int(info["default_samplerate"])
    try:
        sd.check_output_settings(device=device, samplerate=native, channels=1, dtype="float32")
    except Exception as exc:
        detail = " ".join(str(exc).split())
        raise PlaybackError(
            f"the audio device plays neither {wanted} nor {native} Hz ({detail})"
        ) from exc
    return native


class SpeechStream:
    """One utterance on the output device, fed piece by piece.

    Args:
        source_rate: sample rate of the pieces pushed.
        device: sounddevice output device (None: the default).
        on_finished: called once, on a PortAudio thread, when playback ends or is stopped.
        stream_rate: play at this rate instead of asking the device (tests and benchmarks use
            it to force the resampling path).
    """

    def __init__(
        self,
        source_rate: int,
        device: int | str | None = None,
        on_finished: Callable[[], None] | None = None,
        stream_rate: int | None = None,
    ) -> None:
        self.source_rate = int(source_rate)
        self.device = device
        self.stream_rate = int(stream_rate or pick_output_rate(device, self.source_rate))
        self.first_audio_at: float | None = None
        self._on_finished = on_finished
        self._lock = threading.Lock()  # queue and flags; the audio callback takes it
        # Starting, stopping and closing one PortAudio stream from two threads at once aborts the
        # process (seen: the speaker's worker starting a line while the UI thread stopped it), so
        # every call that changes the device stream's state holds this lock. It is never taken
        # by the audio callback, which PortAudio may wait for while stopping.
        self._device_lock = threading.Lock()
        self._queue: deque[np.ndarray] = deque()
        self._current = np.zeros(0, dtype=np.float32)
        self._ended = False
        self._done = threading.Event()
        self._stream: Any = None
        self._started = False
        self.pushed_frames = 0  # at ``stream_rate``, after any resampling

    def start(self) -> None:
        """Open the device stream now; it starts playing at the first ``push``.

        Opening costs a few milliseconds and overlaps the first render. Starting is left to the
        first piece: a started stream asks for enough audio to fill the device buffer at once
        (over a second through PulseAudio), and filling it with silence would put the speech
        behind that silence.

        Raises:
            PlaybackError: the stream cannot be opened.
        """
        import sounddevice as sd

        try:
            stream = sd.OutputStream(
                samplerate=self.stream_rate,
                channels=1,
                dtype="float32",
                device=self.device,
                latency="low",
                callback=self._callback,
                finished_callback=self._finish_once,
            )
            self._stream = stream
        except Exception as exc:  # PortAudioError and friends
            self._stream = None
            self._finish_once()
            raise PlaybackError(f"cannot play audio: {' '.join(str(exc).split())}") from exc

    def push(self, samples: np.ndarray) -> None:
        """Queue one piece (float32 mono at ``source_rate``); the first one starts playback.

        Raises:
            PlaybackError: the stream cannot be started.
        """
        piece = np.ascontiguousarray(samples, dtype=np.float32).reshape(-1)
        if self.stream_rate != self.source_rate:
            piece = resample(piece, self.source_rate, self.stream_rate)
        with self._lock:
            self._queue.append(piece)
            self.pushed_frames += len(piece)
        self._start_playing()

    def end(self) -> None:
        """No more pieces: finish once what is queued has played.

        Raises:
            PlaybackError: the stream cannot be started.
        """
        with self._lock:
            self._ended = True
        self._start_playing()  # nothing was pushed: start so that the stream ends and reports

    def _start_playing(self) -> None:
        with self._device_lock:
            stream = self._stream  # None once ``stop`` or ``close`` took it: never restart
            if stream is None or self._started:
                return
            self._started = True
            try:
                stream.start()
                return
            except Exception as exc:  # PortAudioError: the device vanished since it was opened
                failure = exc
        self.stop()
        raise PlaybackError(f"cannot play audio: {' '.join(str(failure).split())}") from failure

    def stop(self) -> None:
        """Stop now; ``on_finished`` still fires once."""
        with self._device_lock:
            stream, self._stream = self._stream, None
            if stream is not None:
                close_stream_quietly(stream)
        self._finish_once()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback is over; True if it ended within ``timeout``."""
        return self._done.wait(timeout)

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    def close(self) -> None:
        """Release the device after playback ended (``stop`` does this too)."""
        with self._device_lock:
            stream, self._stream = self._stream, None
            if stream is not None:
                # Closing a finished stream on a vanished device may fail; it is released anyway.
                with contextlib.suppress(Exception):
                    stream.close(ignore_errors=True)

    def _callback(self, outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        import sounddevice as sd

        written = 0
        last = False
        with self._lock:
            while written < frames:
                if self._current.size == 0:
                    if not self._queue:
                        last = self._ended
                        break
                    self._current = self._queue.popleft()
                    continue
                take = min(frames - written, self._current.size)
                outdata[written : written + take, 0] = self._current[:take]
                self._current = self._current[take:]
                written += take
        if written and self.first_audio_at is None:
            self.first_audio_at = time.perf_counter()
        outdata[written:, 0] = 0.0
        if last:
            raise sd.CallbackStop

    def _finish_once(self) -> None:
        with self._lock:
            if self._done.is_set():
                return
            self._done.set()
            callback, self._on_finished = self._on_finished, None
        if callback is not None:
            callback()
