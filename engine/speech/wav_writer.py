"""A WAV file that is playable at every moment while it grows, and repair for killed writers.

A recording must survive the app being killed mid-answer. A WAV header states the data size up
front, so a plain writer that fills it in at close leaves an "empty" file behind on a crash.
``GrowingWavWriter`` instead flushes the samples and rewrites the two size fields every half
second: after a SIGKILL the file on disk is a valid WAV missing at most the last refresh interval
(the page cache keeps flushed data even when the process dies). ``repair_wav`` then recovers
the samples written after the last refresh by recomputing the sizes from the file length.
"""

from __future__ import annotations

import os
import struct
import time
from pathlib import Path

import numpy as np

from engine.errors import AudioDecodeError
from engine.speech.audio_io import SAMPLE_RATE

_HEADER_BYTES = 44
_BYTES_PER_SAMPLE = 2


def _header(rate: int, data_bytes: int) -> bytes:
    block_align = _BYTES_PER_SAMPLE  # mono
    return b"".join(
        [
            b"RIFF",
            struct.pack("<I", min(0xFFFFFFFF, 36 + data_bytes)),
            b"WAVE",
            b"fmt ",
            struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * block_align, block_align, 16),
            b"data",
            struct.pack("<I", min(0xFFFFFFFF, data_bytes)),
        ]
    )


class GrowingWavWriter:
    """16-bit PCM mono WAV written incrementally with periodic, durable header refreshes."""

    def __init__(
        self,
        path: str | Path,
        rate: int = SAMPLE_RATE,
        refresh_s: float = 0.5,
        fsync: bool = True,
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.rate = int(rate)
        self.refresh_s = refresh_s
        self._fsync = fsync
        self._file = self.path.open("wb")
        self._file.write(_header(self.rate, 0))
        self._data_bytes = 0
        self._last_refresh = time.monotonic()
        self._refresh()

    @property
    def frames(self) -> int:
        """Samples written so far."""
        return self._data_bytes // _BYTES_PER_SAMPLE

    @property
    def duration_s(self) -> float:
        return self.frames / float(self.rate)

    def write(self, samples: np.ndarray) -> None:
        """Append float32 samples in [-1, 1] (clipped); refresh the header when it is due."""
        pcm = np.clip(np.asarray(samples, dtype=np.float32).reshape(-1), -1.0, 1.0)
        data = (pcm * 32767.0).astype("<i2").tobytes()
        self._file.write(data)
        self._data_bytes += len(data)
        if time.monotonic() - self._last_refresh >= self.refresh_s:
            self._refresh()

    def close(self) -> float:
        """Final header, flush, close; returns the duration in seconds. Idempotent."""
        if not self._file.closed:
            self._refresh()
            self._file.close()
        return self.duration_s

    def _refresh(self) -> None:
        """Flush the samples, then state their size in the header (in that order)."""
        self._file.flush()
        self._file.seek(4)
        self._file.write(struct.pack("<I", min(0xFFFFFFFF, 36 + self._data_bytes)))
        self._file.seek(40)
        self._file.write(struct.pack("<I", min(0xFFFFFFFF, self._data_bytes)))
        self._file.seek(0, os.SEEK_END)
        self._file.flush()
        if self._fsync:
            os.fsync(self._file.fileno())
        self._last_refresh = time.monotonic()


def repair_wav(path: str | Path) -> float:
    """Make the header of a WAV left by a killed recorder match the samples really on disk.

    Returns:
        The duration in seconds after repair.

    Raises:
        AudioDecodeError: the file is missing or is not a PCM WAV.
    """
    path = Path(path)
    try:
        with path.open("r+b") as handle:
            head = handle.read(12)
            if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
                raise AudioDecodeError(f"{path}: not a WAV file, cannot repair it")
            size = path.stat().st_size
            block_align, rate, data_at = _find_chunks(handle, path)
            available = size - data_at
            available -= available % block_align
            handle.seek(4)
            handle.write(struct.pack("<I", min(0xFFFFFFFF, data_at - 8 + available)))
            handle.seek(data_at - 4)
            handle.write(struct.pack("<I", min(0xFFFFFFFF, available)))
            handle.flush()
            os.fsync(handle.fileno())
    except FileNotFoundError as exc:
        raise AudioDecodeError(f"{path}: no such file") from exc
    except OSError as exc:
        raise AudioDecodeError(f"{path}: cannot repair it ({exc.strerror or exc})") from exc
    return available / float(block_align * rate)


def _find_chunks(handle: object, path: Path) -> tuple[int, int, int]:
    """(block_align, sample_rate, offset of the data bytes) from the RIFF chunk list."""
    block_align = rate = 0
    position = 12
    while True:
        handle.seek(position)  # type: ignore[attr-defined]
        chunk = handle.read(8)  # type: ignore[attr-defined]
        if len(chunk) < 8:
            raise AudioDecodeError(f"{path}: WAV without a data chunk, cannot repair it")
        name, length = chunk[:4], struct.unpack("<I", chunk[4:])[0]
        if name == b"fmt ":
            fmt = handle.read(16)  # type: ignore[attr-defined]
            _tag, _channels, rate, _byte_rate, block_align, _bits = struct.unpack("<HHIIHH", fmt)
        elif name == b"data":
            if not block_align or not rate:
                raise AudioDecodeError(f"{path}: WAV data before its format, cannot repair it")
            return block_align, rate, position + 8
        position += 8 + length + (length % 2)
