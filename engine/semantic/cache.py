"""An on-disk cache of sentence vectors, keyed by what was embedded, so the bank is embedded once.

The question bank's prompts, expected points and red flags are the same texts run after run;
embedding them costs about a second per thousand, so their vectors are kept in the data dir
(``cache/embeddings-<model>.npz``). The key of a vector is the sha256 of the model id and the
exact text, so an edited question simply gets new keys, and another model never reuses them.

Robustness rather than cleverness: a missing, truncated or otherwise unreadable file is treated
as empty (logged at debug level) and rewritten; writes go to a temporary file that replaces the
old one atomically, so a reader never sees half a file. Before writing, entries another process
added since we read are merged in, so two processes sharing a data dir lose at most a few
entries in a race (which are then recomputed), never the file. The file keeps the newest
``MAX_ENTRIES`` vectors, so edits over years cannot grow it without bound.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MAX_ENTRIES = 50_000  # ~75 MB of vectors; the bundled bank needs about 2,000
_KEY_BYTES = 32


def cache_key(model_id: str, text: str) -> bytes:
    """The 32-byte key of ``text`` embedded by ``model_id``."""
    # surrogatepass: a lone surrogate (from a badly decoded file) still gets its own key.
    return hashlib.sha256(f"{model_id}\0{text}".encode("utf-8", "surrogatepass")).digest()


class EmbeddingCache:
    """Vectors of one model, in memory and mirrored in one file; safe to share between threads."""

    def __init__(self, path: Path, model_id: str, dim: int) -> None:
        self.path = Path(path)
        self.model_id = model_id
        self.dim = dim
        self._lock = threading.Lock()
        self._rows: dict[bytes, np.ndarray] | None = None  # None until first read

    def embed(
        self, texts: Sequence[str], encode: Callable[[Sequence[str]], np.ndarray]
    ) -> np.ndarray:
        """Vectors for ``texts``: cached ones read back, the others made by ``encode`` and stored.

        ``encode`` is called at most once, with each missing text once, and errors from it
        propagate (nothing is stored then).
        """
        keys = [cache_key(self.model_id, text) for text in texts]
        with self._lock:
            rows = self._loaded()
            missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in rows}
        if missing:
            fresh = encode(list(missing.values()))
            with self._lock:
                rows = self._loaded()
                rows.update(zip(missing, np.asarray(fresh, dtype=np.float32), strict=True))
                self._save(new_keys=list(missing))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for index, key in enumerate(keys):
            out[index] = rows[key]
        return out

    def __len__(self) -> int:
        with self._lock:
            return len(self._loaded())

    def _loaded(self) -> dict[bytes, np.ndarray]:
        if self._rows is None:
            self._rows = self._read()
        return self._rows

    def _read(self) -> dict[bytes, np.ndarray]:
        """The file's entries, or none if it is missing or unusable (never raises)."""
        try:
            # Open the file ourselves: np.load leaks its handle when the zip is damaged.
            with self.path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
                model = str(data["model"])
                keys = data["keys"]
                vectors = data["vectors"]
        except FileNotFoundError:
            return {}
        # Any damage (truncated zip, garbage bytes, missing member, bad header) means "rebuild":
        # numpy raises a different exception type for each, and a cache must never crash the app.
        except Exception as exc:
            log.debug("embedding cache %s is unreadable (%s); starting afresh", self.path, exc)
            return {}
        problem = self._check(model, keys, vectors)
        if problem:
            log.debug("embedding cache %s ignored: %s; starting afresh", self.path, problem)
            return {}
        return {bytes(key): vector for key, vector in zip(keys, vectors, strict=True)}

    def _check(self, model: str, keys: np.ndarray, vectors: np.ndarray) -> str:
        """Why the arrays read from the file cannot be trusted, or "" if they can."""
        if model != self.model_id:
            return f"made by model {model!r}"
        if keys.dtype != np.uint8 or keys.ndim != 2 or keys.shape[1] != _KEY_BYTES:
            return f"keys of shape {keys.shape} and type {keys.dtype}"
        if vectors.dtype != np.float32 or vectors.shape != (len(keys), self.dim):
            return f"vectors of shape {vectors.shape} and type {vectors.dtype}"
        if not np.isfinite(vectors).all():
            return "vectors that are not finite"
        norms = np.linalg.norm(vectors, axis=1)
        if len(norms) and not np.allclose(norms, 1.0, atol=1e-3):
            return "vectors that are not unit length"
        return ""

    def _save(self, new_keys: list[bytes]) -> None:
        """Merge with what is on disk now, keep the newest entries, replace the file atomically."""
        assert self._rows is not None
        on_disk = self._read()
        merged = {key: vec for key, vec in on_disk.items() if key not in self._rows}
        merged.update(self._rows)
        for key in new_keys:  # newest last, so trimming drops the oldest
            merged[key] = merged.pop(key)
        if len(merged) > MAX_ENTRIES:
            merged = dict(list(merged.items())[-MAX_ENTRIES:])
        self._rows = merged
        try:
            self._write(merged)
        except OSError as exc:  # a read-only or full disk costs speed next run, nothing else
            log.warning("could not save the embedding cache %s: %s", self.path, exc)

    def _write(self, rows: dict[bytes, np.ndarray]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(len(rows), _KEY_BYTES)
        vectors = np.stack(list(rows.values())) if rows else np.zeros((0, self.dim), np.float32)
        handle, tmp_name = tempfile.mkstemp(
            prefix=self.path.name + ".", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(handle, "wb") as tmp:
                np.savez(tmp, model=np.array(self.model_id), keys=keys, vectors=vectors)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, self.path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
