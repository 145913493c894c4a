"""Fix the header of a WAV file whose writer was killed before it could finish it.

A recorder streams PCM to disk and only now and then rewrites the RIFF/data sizes, so after a
kill the header can claim 0 bytes (or too few) while the file holds seconds of audio. The sizes
are recomputed from the file length, trimmed to whole sample frames. The speech part's
``engine.speech.wav_writer.repair_wav`` (the one the recorder uses) is preferred; this copy
keeps recovery working should that module be unavailable, and is what the store's own tests
pin down.
"""

from __future__ import annotations

import struct
from pathlib import Path

from engine.errors import AudioDecodeError

_MAX_U32 = 0xFFFFFFFF


def repair_wav_header(path: str | Path) -> float:
    """Rewrite the RIFF and data chunk sizes of ``path`` to match its real length.

    Returns:
        The audio duration in seconds after the repair.

    Raises:
        AudioDecodeError: the file is not a PCM WAV (no RIFF/WAVE, no fmt or data chunk).
    """
    path = Path(path)
    try:
        with open(path, "r+b") as handle:
            data = handle.read(4096)
            size = handle.seek(0, 2)
            if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
                raise AudioDecodeError(f"{path}: not a WAV file, cannot repair it")
            pos = 12
            byte_rate = block_align = 0
            data_offset: int | None = None
            while pos + 8 <= len(data):
                chunk_id = data[pos : pos + 4]
                chunk_size = struct.unpack("<I", data[pos + 4 : pos + 8])[0]
                if chunk_id == b"fmt ":
                    fmt = data[pos + 8 : pos + 24]
                    if len(fmt) < 16:
                        break
                    byte_rate = struct.unpack("<I", fmt[8:12])[0]
                    block_align = struct.unpack("<H", fmt[12:14])[0]
                elif chunk_id == b"data":
                    data_offset = pos + 8
                    break
                pos += 8 + chunk_size + (chunk_size & 1)
            if data_offset is None or not byte_rate or not block_align:
                raise AudioDecodeError(f"{path}: WAV without a readable fmt/data chunk")
            payload = size - data_offset
            payload -= payload % block_align
            payload = min(payload, _MAX_U32 - data_offset)
            handle.truncate(data_offset + payload)
            handle.seek(4)
            handle.write(struct.pack("<I", data_offset + payload - 8))
            handle.seek(data_offset - 4)
            handle.write(struct.pack("<I", payload))
            handle.flush()
    except OSError as exc:
        raise AudioDecodeError(f"{path}: cannot repair the recording ({exc})") from exc
    return payload / byte_rate


def repair_wav(path: str | Path) -> float:
    """Repair with the speech part's implementation when it exists, else with ours."""
    try:
        from engine.speech.wav_writer import repair_wav as speech_repair
    except ImportError:
        return repair_wav_header(path)
    return float(speech_repair(path))
