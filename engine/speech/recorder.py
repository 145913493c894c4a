"""Microphone recording (sounddevice) straight to a crash-safe WAV, with a level meter feed.

The PortAudio callback runs on a real-time thread: anything slow there (disk, Whisper, a UI
callback) makes the device drop audio. So the callback only copies the block into a queue; a
writer thread drains it, resamples when the device cannot do 16 kHz, appends to a
``GrowingWavWriter`` (a kill loses at most about half a second), and hands each chunk to
``on_chunk`` (the streaming transcriber) and a 0..1 level to ``on_level`` (the meter).

A device that vanishes mid-answer (USB headset unplugged, audio server gone) stops delivering
blocks; the writer notices the silence of the callback, keeps everything recorded so far and
``stop()`` reports ``device_lost=True`` instead of raising, so the answer can still be graded.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import AudioDecodeError, MicrophoneError
from engine.speech.audio_io import SAMPLE_RATE, to_mono_float32
from engine.speech.wav_writer import GrowingWavWriter, repair_wav
from engine.storage import storage_error, storage_fix, storage_problem

__all__ = [
    "InputDevice",
    "Recorder",
    "RecordingResult",
    "level_from_samples",
    "list_input_devices",
    "repair_wav",
]

BLOCK_S = 0.1  # 100 ms blocks: a live meter and streaming without per-block overhead
STALL_S = 2.5  # no block for this long from a started stream means the device is gone
FIRST_BLOCK_S = 5.0  # some servers (PulseAudio) deliver the first block ~1 s late


@dataclass(frozen=True)
class InputDevice:
    """A microphone as the settings screen lists it."""

    index: int
    name: str
    default_samplerate: float
    is_default: bool = False


@dataclass(frozen=True)
class RecordingResult:
    """What ``Recorder.stop`` leaves behind: a playable WAV, even after a device failure."""

    path: Path
    duration_s: float
    device_lost: bool = False
    problem: str = ""  # why the recording ended early or is incomplete ("" when all is well)
    write_failed: bool = False  # the disk refused the audio: the file holds only the start


def _sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # libportaudio2 missing
        raise MicrophoneError(f"cannot use the microphone: PortAudio is missing ({exc})") from exc
    return sounddevice


def list_input_devices() -> list[InputDevice]:
    """Every device that can record, the system default flagged; empty when there is none."""
    try:
        sd = _sounddevice()
        devices = sd.query_devices()
    except Exception:  # no PortAudio, no server: simply nothing to choose from
        return []
    try:
        default_index = int(sd.query_devices(kind="input")["index"])
    except Exception:
        default_index = -1
    return [
        InputDevice(
            index=int(info["index"]),
            name=str(info["name"]),
            default_samplerate=float(info["default_samplerate"]),
            is_default=int(info["index"]) == default_index,
        )
        for info in devices
        if int(info.get("max_input_channels", 0)) > 0
    ]


def level_from_samples(samples: np.ndarray) -> float:
    """RMS mapped from -60..0 dBFS to 0..1: a meter that moves for speech, rests for silence."""
    if samples.size == 0:
        return 0.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    if rms <= 1e-6:
        return 0.0
    return min(1.0, max(0.0, (20.0 * math.log10(rms) + 60.0) / 60.0))


class Recorder:
    """Records one answer from a microphone into a WAV file while it is spoken.

    Args:
        path: the WAV to create (parents are created).
        device: a device index or name from ``list_input_devices``; None is the default.
        on_chunk: receives each float32 16 kHz mono chunk (on the writer thread).
        on_level: receives a 0..1 level per chunk (on the writer thread).
        on_device_lost: called once with a message if the device vanishes mid-recording
            (the audio so far is kept; call ``stop`` to close the file).
    """

    def __init__(
        self,
        path: str | Path,
        device: int | str | None = None,
        on_chunk: Callable[[np.ndarray], None] | None = None,
        on_level: Callable[[float], None] | None = None,
        on_device_lost: Callable[[str], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.device = device
        self.on_chunk = on_chunk
        self.on_level = on_level
        self.on_device_lost = on_device_lost
        self._queue: queue.SimpleQueue[np.ndarray | None] = queue.SimpleQueue()
        self._stream: Any = None
        self._writer: GrowingWavWriter | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._device_lost = False
        self._problem = ""
        self._rate = SAMPLE_RATE
        self._resampler: Any = None
        self._write_failed = False
        self.level = 0.0
        self.callback_error: Exception | None = None

    @property
    def elapsed_s(self) -> float:
        """Seconds of audio written to disk so far."""
        return self._writer.duration_s if self._writer else 0.0

    @property
    def device_lost(self) -> bool:
        return self._device_lost

    def start(self) -> None:
        """Open the microphone and start writing.

        Raises:
            MicrophoneError: there is no input device, or it cannot be opened.
        """
        if self._stream is not None:
            raise MicrophoneError("this recorder is already recording")
        sd = _sounddevice()
        try:
            info = sd.query_devices(self.device, kind="input")
        except Exception as exc:  # PortAudioError('Error querying device -1'), ValueError
            raise MicrophoneError(
                "no microphone found: connect one or pick another input device "
                f"({' '.join(str(exc).split())})"
            ) from exc
        if int(info.get("max_input_channels", 0)) < 1:
            raise MicrophoneError(f"device {info.get('name')!r} cannot record")
        self._rate = self._pick_rate(sd, info)
        try:
            self._writer = GrowingWavWriter(self.path)
        except OSError as exc:  # a full or read-only data dir, before any audio is at stake
            raise storage_error(exc, f"cannot start the recording {self.path}") from exc
        try:
            self._stream = sd.InputStream(
                samplerate=self._rate,
                channels=1,
                dtype="float32",
                device=self.device,
                blocksize=int(self._rate * BLOCK_S),
                callback=self._callback,
            )
            self._stream.start()
        except Exception as exc:  # PortAudioError while opening/starting
            self._stream = None
            self._writer.close()
            raise MicrophoneError(
                f"cannot open the microphone {info.get('name')!r}: {' '.join(str(exc).split())}"
            ) from exc
        self._thread = threading.Thread(target=self._write_loop, name="recorder", daemon=True)
        self._thread.start()

    def stop(self) -> RecordingResult:
        """Stop recording and close the file; always returns what was captured."""
        self._stopping.set()
        stream, self._stream = self._stream, None
        if stream is not None:
            _close_stream(stream)
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        duration = 0.0
        if self._writer is not None:
            try:
                duration = self._writer.close()
            except OSError as exc:
                self._fail_write(exc)
            if self._write_failed:
                duration = self._salvage()
        return RecordingResult(
            self.path, duration, self._device_lost, self._problem, self._write_failed
        )

    # ------------------------------------------------------------------ internals
    def _pick_rate(self, sd: Any, info: dict) -> int:
        try:
            sd.check_input_settings(
                device=self.device, samplerate=SAMPLE_RATE, channels=1, dtype="float32"
            )
            return SAMPLE_RATE
        except Exception:  # the device cannot do 16 kHz: record natively, resample here
            import av

            self._resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
            return int(info["default_samplerate"])

    def _callback(self, indata: np.ndarray, _frames: int, _time: Any, _status: Any) -> None:
        # Real-time thread: copy and hand over, nothing else.
        self._queue.put(indata.copy())

    def _write_loop(self) -> None:
        started = time.monotonic()
        last_block = None
        while True:
            try:
                block = self._queue.get(timeout=0.2)
            except queue.Empty:
                waited = time.monotonic() - (last_block or started)
                limit = STALL_S if last_block else FIRST_BLOCK_S
                if not self._stopping.is_set() and waited > limit:
                    self._lose_device("the microphone stopped delivering audio")
                    break
                continue
            if block is None:
                break
            last_block = time.monotonic()
            self._handle(to_mono_float32(block))
        self._drain()

    def _drain(self) -> None:
        """Write blocks that arrived before the stop marker (never drop recorded audio)."""
        while True:
            try:
                block = self._queue.get_nowait()
            except queue.Empty:
                return
            if block is not None:
                self._handle(to_mono_float32(block))

    def _handle(self, samples: np.ndarray) -> None:
        if self._resampler is not None:
            samples = self._resample(samples)
        if samples.size == 0 or self._writer is None:
            return
        if not self._write_failed:
            try:
                self._writer.write(samples)
            except OSError as exc:  # disk full, folder removed: stop writing, say why
                self._fail_write(exc)
        # Even when the disk refused the audio, the transcript and the meter go on: the words
        # of the answer still reach the grader.
        self.level = level_from_samples(samples)
        # A failing consumer must not stop the recording: the audio on disk is what matters.
        for callback, value in ((self.on_chunk, samples), (self.on_level, self.level)):
            if callback is None:
                continue
            try:
                callback(value)  # type: ignore[operator]
            except Exception as exc:  # kept for the caller, recording goes on
                if self.callback_error is None:
                    self.callback_error = exc

    def _fail_write(self, exc: OSError) -> None:
        """Remember the first write failure as a message a user can act on."""
        if self._write_failed:
            return
        self._write_failed = True
        reason = storage_problem(exc) or (exc.strerror or str(exc))
        self._problem = (
            f"cannot write the recording to {self.path}: {reason}; the audio up to that point "
            f"is kept and the answer is still transcribed. {storage_fix(exc)}"
        )

    def _salvage(self) -> float:
        """After a failed write, make the header match the audio that did reach the disk."""
        try:
            return repair_wav(self.path)
        except AudioDecodeError:  # not even the header made it: nothing playable is left
            return 0.0

    def _resample(self, samples: np.ndarray) -> np.ndarray:
        import av

        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self._rate
        out = [f.to_ndarray().reshape(-1) for f in self._resampler.resample(frame)]
        return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)

    def _lose_device(self, problem: str) -> None:
        self._device_lost = True
        self._problem = problem
        stream, self._stream = self._stream, None
        if stream is not None:
            threading.Thread(target=_close_stream, args=(stream,), daemon=True).start()
        if self.on_device_lost is not None:
            self.on_device_lost(problem)


def _close_stream(stream: Any) -> None:
    """Abort and close, tolerating a device that is already gone."""
    try:
        stream.abort(ignore_errors=True)
        stream.close(ignore_errors=True)
    except Exception:  # closing a vanished device may fail; the file is what matters
        pass
