"""Reading and writing audio as float32 mono 16 kHz, the only shape Whisper and the app use.

Everything that enters the speech pipeline goes through ``load_audio`` so the rest of the engine
never has to care about containers, channel counts or sample rates. libsndfile (``soundfile``)
reads the common lossless and Ogg/MP3 files exactly and fast; anything else (m4a, aac, webm,
video containers...) is decoded by PyAV, which faster-whisper already depends on, and as a last
resort by an ``ffmpeg`` binary when one is installed.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import AudioDecodeError

SAMPLE_RATE = 16000

# Suffixes libsndfile reads directly; others go to PyAV first.
_SOUNDFILE_SUFFIXES = {".wav", ".wave", ".flac", ".ogg", ".oga", ".mp3", ".aiff", ".aif", ".au"}


def load_audio(path: str | Path) -> np.ndarray:
    """Decode an audio file to float32 mono samples at 16 kHz.

    Args:
        path: any audio file libsndfile, PyAV or ffmpeg can decode.

    Returns:
        A 1-D float32 array in [-1, 1].

    Raises:
        AudioDecodeError: the file is missing, unreadable, of an unsupported format, or holds
            no samples at all.
    """
    path = Path(path)
    _check_readable(path)
    samples: np.ndarray | None = None
    errors: list[str] = []
    if path.suffix.lower() in _SOUNDFILE_SUFFIXES:
        try:
            samples = _load_with_soundfile(path)
        except Exception as exc:  # libsndfile raises its own error types and RuntimeError
            errors.append(str(exc))
    if samples is None:
        try:
            samples = _load_with_pyav(path)
        except Exception as exc:  # PyAV raises a zoo of FFmpeg error classes
            errors.append(str(exc))
    if samples is None and shutil.which("ffmpeg"):
        try:
            samples = _load_with_ffmpeg(path)
        except (OSError, subprocess.SubprocessError, ValueError) as exc:
            errors.append(str(exc))
    if samples is None:
        detail = errors[-1] if errors else "no decoder accepted it"
        raise AudioDecodeError(f"{path}: unsupported or corrupt audio ({_one_line(detail)})")
    if samples.size == 0:
        raise AudioDecodeError(f"{path}: the file holds no audio (0 samples)")
    return samples


def audio_duration_s(path: str | Path) -> float:
    """Length of an audio file in seconds, cheaply from the header when libsndfile can read it."""
    path = Path(path)
    _check_readable(path)
    if path.suffix.lower() in _SOUNDFILE_SUFFIXES:
        import soundfile

        try:
            info = soundfile.info(str(path))
            if info.samplerate > 0 and info.frames >= 0:
                return info.frames / float(info.samplerate)
        except Exception:  # fall through to a full decode, which raises a clear error
            pass
    return len(load_audio(path)) / float(SAMPLE_RATE)


def write_wav(path: str | Path, samples: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    """Write mono samples as a 16-bit PCM WAV (what every player and Whisper accept).

    Float input is clipped to [-1, 1] before conversion so loud TTS or mixed audio never wraps.
    The WAV is encoded in memory and then written through a temp file renamed over ``path``:
    libsndfile reports a full disk only as "System error", whereas our own write gets the OS
    error, so a full or read-only disk becomes ``StorageFullError`` and leaves neither a half
    file nor a damaged earlier one behind.

    Raises:
        StorageFullError: the disk is full or read-only.
        SessionError: another OS failure to write (the message names the file).
    """
    import soundfile

    from engine.storage import storage_error

    path = Path(path)
    data = np.asarray(samples)
    if data.ndim > 1:
        data = data.mean(axis=1)
    if data.dtype.kind == "f":
        data = np.clip(data, -1.0, 1.0)
    encoded = io.BytesIO()
    soundfile.write(encoded, data, int(rate), subtype="PCM_16", format="WAV")
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            handle.write(encoded.getbuffer())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise storage_error(exc, f"cannot write {path}") from exc
    return path


def to_mono_float32(data: np.ndarray) -> np.ndarray:
    """Mix channels down and convert integer PCM to float32 in [-1, 1]."""
    data = np.asarray(data)
    if data.dtype.kind in "iu":
        info = np.iinfo(data.dtype)
        scale = float(max(abs(info.min), info.max))
        data = data.astype(np.float32) / scale
    else:
        data = data.astype(np.float32, copy=False)
    if data.ndim == 2:
        data = data.mean(axis=1, dtype=np.float32)
    return np.ascontiguousarray(data.reshape(-1), dtype=np.float32)


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Resample mono float32 audio with FFmpeg's band-limited resampler (no aliasing)."""
    if int(rate) == int(target) or samples.size == 0:
        return np.asarray(samples, dtype=np.float32)
    import av

    resampler = av.AudioResampler(format="flt", layout="mono", rate=int(target))
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1), format="flt", layout="mono"
    )
    frame.sample_rate = int(rate)
    parts = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    parts += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    if not parts:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(parts).astype(np.float32, copy=False)


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise AudioDecodeError(f"{path}: no such file")
    if path.is_dir():
        raise AudioDecodeError(f"{path}: is a folder, not an audio file")
    try:
        with path.open("rb") as handle:
            head = handle.read(1)
    except OSError as exc:
        raise AudioDecodeError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    if not head:
        raise AudioDecodeError(f"{path}: the file is empty (0 bytes)")


def _load_with_soundfile(path: Path) -> np.ndarray:
    import soundfile

    data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    return resample(to_mono_float32(data), rate)


def _load_with_pyav(path: Path) -> np.ndarray:
    import av

    chunks: list[np.ndarray] = []
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    with av.open(str(path), mode="r", metadata_errors="ignore") as container:
        if not container.streams.audio:
            raise ValueError("no audio stream in the file")
        stream = container.streams.audio[0]
        for frame in container.decode(stream):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
        for out in resampler.resample(None):
            chunks.append(out.to_ndarray().reshape(-1))
    if not chunks:
        return np.zeros(0, dtype=np.float32)
    return np.concatenate(chunks).astype(np.float32, copy=False)


def _load_with_ffmpeg(path: Path) -> np.ndarray:
    command = [
        "ffmpeg", "-nostdin", "-v", "error", "-i", str(path),
        "-f", "s16le", "-ac", "1", "-ar", str(SAMPLE_RATE), "-",
    ]  # fmt: skip
    proc = subprocess.run(command, capture_output=True, timeout=600, check=False)
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip() or "ffmpeg failed"
        raise ValueError(message)
    return to_mono_float32(np.frombuffer(proc.stdout, dtype="<i2"))


def _one_line(text: str) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= 160 else line[:157] + "..."


def close_stream_quietly(stream: Any) -> None:
    """Abort and close a sounddevice stream; a device already gone is no error when stopping."""
    try:
        stream.abort(ignore_errors=True)
        stream.close(ignore_errors=True)
    except Exception:  # noqa: BLE001 - the device may already be gone; we are stopping anyway
        pass
