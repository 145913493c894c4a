"""Non-blocking playback of WAV files or sample arrays through sounddevice.

Used for the interviewer's voice, the replay screen and jumps to an evidence quote. Faster
replay (1.25x, 1.5x) keeps the pitch by time-stretching with FFmpeg's ``atempo`` filter (through
PyAV, already a faster-whisper dependency) instead of simply playing the samples faster, which
would turn the candidate into a chipmunk.

The audio callback only copies prepared samples; all decoding and stretching happens before the
stream starts. ``position_s`` is reported on the timeline of the original recording, whatever the
speed, so a replay cursor and word timestamps line up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import PlaybackError
from engine.speech.audio_io import SAMPLE_RATE, close_stream_quietly, load_audio, resample

SPEEDS = (1.0, 1.25, 1.5)


def output_device_error(device: int | str | None = None) -> str | None:
    """Why there is no usable output device, or None when there is one."""
    try:
        import sounddevice as sd

        info = sd.query_devices(device, kind="output")
    except Exception as exc:  # PortAudioError, ValueError for unknown names, OSError w/o libs
        detail = " ".join(str(exc).split())
        return f"no audio output device is available ({detail})"
    if int(info.get("max_output_channels", 0)) < 1:
        return f"audio device {info.get('name')!r} cannot play sound"
    return None


class Player:
    """Plays one sound at a time; a new ``play`` replaces the current one."""

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device
        self._lock = threading.Lock()  # samples, cursor, token; the audio callback takes it
        # Opening, starting and closing streams from two threads at once (a replay's stop from the
        # UI thread while a worker starts the next sound) can abort the process inside PortAudio,
        # so every stream state change holds this lock. The audio callback never takes it.
        self._device_lock = threading.Lock()
        self._stream: Any = None
        self._samples = np.zeros(0, dtype=np.float32)
        self._cursor = 0
        self._stream_rate = SAMPLE_RATE
        self._offset_s = 0.0
        self._speed = 1.0
        self._done = threading.Event()
        self._done.set()
        self._on_finished: Callable[[], None] | None = None
        self._token = 0  # which play() a stream's finished callback belongs to

    def check_output_device(self) -> None:
        """Raise ``PlaybackError`` now if nothing can be played (callers show text instead)."""
        problem = output_device_error(self.device)
        if problem:
            raise PlaybackError(problem)

    @property
    def is_playing(self) -> bool:
        return not self._done.is_set()

    @property
    def position_s(self) -> float:
        """Where playback is, in seconds of the original recording."""
        with self._lock:
            played = self._cursor / float(self._stream_rate)
            return self._offset_s + played * self._speed

    def play(
        self,
        source: str | Path | np.ndarray,
        *,
        offset_s: float = 0.0,
        speed: float = 1.0,
        on_finished: Callable[[], None] | None = None,
        rate: int = SAMPLE_RATE,
    ) -> None:
        """Start playing and return at once.

        Args:
            source: a WAV/FLAC/... path, or float32 mono samples at ``rate``.
            offset_s: where in the recording to start (evidence jumps).
            speed: one of ``SPEEDS``; pitch is kept.
            on_finished: called once, on a PortAudio thread, when the sound ends or is stopped.
            rate: sample rate of an array source.

        Raises:
            PlaybackError: no output device, or the stream cannot be opened.
            AudioDecodeError: the file cannot be decoded.
        """
        if speed <= 0 or speed > 3:
            raise PlaybackError(f"unsupported playback speed {speed}")
        if isinstance(source, (str, Path)):
            samples = load_audio(source)
        else:
            samples = resample(np.asarray(source, dtype=np.float32).reshape(-1), rate)
        start = min(max(0, int(offset_s * SAMPLE_RATE)), len(samples))
        prepared = time_stretch(samples[start:], speed)
        with self._device_lock:
            self._stop_stream()
            self._open(prepared, start / SAMPLE_RATE, speed, on_finished)

    def stop(self) -> None:
        """Stop now; the finished callback of the stopped sound still fires once."""
        with self._device_lock:
            self._stop_stream()

    def _stop_stream(self) -> None:
        """Close the current stream and report its end (the caller holds ``_device_lock``)."""
        with self._lock:
            stream = self._stream
            self._stream = None
        if stream is not None:
            close_stream_quietly(stream)
        self._finish_once()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback ends; True if it did within ``timeout``."""
        return self._done.wait(timeout)

    # ------------------------------------------------------------------ internals
    def _open(
        self,
        samples: np.ndarray,
        offset_s: float,
        speed: float,
        on_finished: Callable[[], None] | None,
    ) -> None:
        try:
            import sounddevice as sd
        except OSError as exc:  # libportaudio missing
            raise PlaybackError(f"no audio output: PortAudio is not installed ({exc})") from exc
        self.check_output_device()
        stream_rate = SAMPLE_RATE
        try:
            sd.check_output_settings(
                device=self.device, samplerate=SAMPLE_RATE, channels=1, dtype="float32"
            )
        except Exception:  # the device cannot do 16 kHz: play at its own rate
            info = sd.query_devices(self.device, kind="output")
            stream_rate = int(info["default_samplerate"])
            samples = resample(samples, SAMPLE_RATE, stream_rate)
        with self._lock:
            self._samples = samples
            self._cursor = 0
            self._stream_rate = stream_rate
            self._offset_s = offset_s
            self._speed = speed
            self._on_finished = on_finished
            self._token += 1
            token = self._token
            self._done.clear()
        try:
            stream = sd.OutputStream(
                samplerate=stream_rate,
                channels=1,
                dtype="float32",
                device=self.device,
                callback=self._callback,
                finished_callback=lambda: self._stream_finished(token),
            )
            with self._lock:
                self._stream = stream
            stream.start()
        except Exception as exc:  # PortAudioError and friends
            with self._lock:
                self._stream = None
            self._finish_once(token)
            raise PlaybackError(f"cannot play audio: {' '.join(str(exc).split())}") from exc

    def _callback(self, outdata: np.ndarray, frames: int, _time: Any, _status: Any) -> None:
        import sounddevice as sd

        with self._lock:
            chunk = self._samples[self._cursor : self._cursor + frames]
            self._cursor += len(chunk)
        outdata[: len(chunk), 0] = chunk
        if len(chunk) < frames:
            outdata[len(chunk) :, 0] = 0.0
            raise sd.CallbackStop

    def _stream_finished(self, token: int) -> None:
        """The sound played to its end: release the device, then report the end.

        A finished stream left open keeps the output device (and its PulseAudio connection)
        until the next play; a sound server that goes away meanwhile can take the process down
        with it. PortAudio forbids closing a stream from its own callback thread, so it is
        released on a short-lived thread of its own.
        """
        with self._lock:
            stream = self._stream if token == self._token else None
            if stream is not None:
                self._stream = None
        if stream is not None:
            threading.Thread(
                target=self._release, args=(stream,), name="playback-release", daemon=True
            ).start()
        self._finish_once(token)

    def _release(self, stream: Any) -> None:
        with self._device_lock:
            close_stream_quietly(stream)

    def _finish_once(self, token: int | None = None) -> None:
        """Mark the current sound over and call its callback once (stale streams are ignored)."""
        with self._lock:
            if token is not None and token != self._token:
                return
            callback = self._on_finished
            self._on_finished = None
            already = self._done.is_set()
            self._done.set()
        if callback is not None and not already:
            callback()


def time_stretch(samples: np.ndarray, speed: float) -> np.ndarray:
    """Play ``speed`` times faster without changing pitch (FFmpeg ``atempo``)."""
    if abs(speed - 1.0) < 1e-6 or samples.size == 0:
        return np.ascontiguousarray(samples, dtype=np.float32)
    import av
    import av.filter

    graph = av.filter.Graph()
    source = graph.add_abuffer(format="flt", sample_rate=SAMPLE_RATE, layout="mono")
    tempo = graph.add("atempo", f"{speed:g}")
    sink = graph.add("abuffersink")
    source.link_to(tempo)
    tempo.link_to(sink)
    graph.configure()
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1), format="flt", layout="mono"
    )
    frame.sample_rate = SAMPLE_RATE
    frame.pts = 0
    graph.push(frame)
    graph.push(None)
    parts: list[np.ndarray] = []
    while True:
        try:
            parts.append(graph.pull().to_ndarray().reshape(-1))
        except (av.error.EOFError, av.error.BlockingIOError):
            break
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)
