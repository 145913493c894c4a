"""What the grader calls: ``embed(texts)``, with the bank's texts cached on disk.

Answers change every time, so they are embedded fresh (``cache=False``, the default); question
texts (prompts, expected points, red flags) repeat across runs, so callers pass ``cache=True``
and their vectors come from the data dir after the first run.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from engine import paths
from engine.semantic.cache import EmbeddingCache
from engine.semantic.encoder import SentenceEncoder, load_encoder

_lock = threading.Lock()
_caches: dict[Path, EmbeddingCache] = {}


def embed(texts: Sequence[str], *, cache: bool = False) -> np.ndarray:
    """Unit-length float32 rows, one per text, in order; ``(0, 384)`` for no texts.

    Args:
        texts: the texts to embed.
        cache: read and store the vectors in the on-disk cache of the data dir; for texts that
            recur across runs (the question bank), not for answers.

    Raises:
        EmbeddingUnavailable: the model cannot be loaded (the reason says why).
        TypeError: an item is not a string.
    """
    encoder = load_encoder()
    texts = list(texts)
    if not cache or not texts:
        return encoder.encode(texts)
    for index, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"text {index} is a {type(text).__name__}, not a str")
    return embedding_cache(encoder).embed(texts, encoder.encode)


def embedding_cache(encoder: SentenceEncoder) -> EmbeddingCache:
    """The cache of ``encoder``'s model in the current data dir (one object per file)."""
    slug = re.sub(r"[^A-Za-z0-9.-]+", "-", encoder.cache_id.rsplit("/", 1)[-1])
    path = paths.data_dir() / "cache" / f"embeddings-{slug}.npz"
    with _lock:
        found = _caches.get(path)
        if found is None:
            found = _caches[path] = EmbeddingCache(path, encoder.cache_id, encoder.dim)
        return found


def cosine_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``(len(a), len(b))`` cosines of two sets of unit-length rows (as ``embed`` returns)."""
    return np.asarray(a, dtype=np.float32) @ np.asarray(b, dtype=np.float32).T
