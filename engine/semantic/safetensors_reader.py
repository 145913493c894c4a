"""Read a ``.safetensors`` file into numpy arrays without the ``safetensors`` package.

The format is tiny: an 8-byte little-endian header length, a JSON header naming each tensor's
dtype, shape and byte range, then the raw little-endian data. Parsing it ourselves saves a
dependency and lets us check every offset, so a truncated or damaged file becomes a clear error
instead of garbage vectors.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

import numpy as np

_DTYPES = {
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "F64": np.dtype("<f8"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
}
_MAX_HEADER_BYTES = 100 * 1024 * 1024


class SafetensorsError(ValueError):
    """The file is not a readable safetensors file (truncated, bad header, bad offsets)."""


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """All tensors of ``path`` as read-only numpy arrays (views on one in-memory buffer).

    Raises:
        OSError: the file cannot be read.
        SafetensorsError: the content is malformed.
    """
    data = Path(path).read_bytes()
    if len(data) < 8:
        raise SafetensorsError(f"{path} is only {len(data)} bytes long")
    (header_len,) = struct.unpack("<Q", data[:8])
    if header_len > _MAX_HEADER_BYTES or 8 + header_len > len(data):
        raise SafetensorsError(f"{path} has a header length ({header_len}) beyond the file")
    try:
        header = json.loads(data[8 : 8 + header_len])
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SafetensorsError(f"{path} has an unreadable header: {exc}") from exc
    if not isinstance(header, dict):
        raise SafetensorsError(f"{path} has a header that is not a JSON object")
    body = memoryview(data)[8 + header_len :]
    tensors: dict[str, np.ndarray] = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        tensors[name] = _tensor(path, name, info, body)
    return tensors


def _tensor(path: Path, name: str, info: object, body: memoryview) -> np.ndarray:
    """One tensor from its header entry, with every field checked against the data."""
    try:
        dtype = _DTYPES[info["dtype"]]  # type: ignore[index]
        shape = tuple(int(d) for d in info["shape"])  # type: ignore[index]
        start, end = (int(o) for o in info["data_offsets"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError) as exc:
        raise SafetensorsError(f"{path}: tensor {name!r} has a malformed header entry") from exc
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if not 0 <= start <= end <= len(body) or end - start != expected:
        raise SafetensorsError(
            f"{path}: tensor {name!r} ({shape}, {dtype}) does not fit its byte range "
            f"{start}..{end} of {len(body)} data bytes (the file may be truncated)"
        )
    return np.frombuffer(body[start:end], dtype=dtype).reshape(shape)
