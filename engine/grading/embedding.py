"""Sentence vectors for the grader, from ``engine.semantic``, remembered within the process.

The encoder (all-MiniLM-L6-v2 in numpy) is loaded the first time an answer is graded, never at
import, so the window opens before the model is read. ``engine.semantic.embed`` keeps a disk
cache keyed by text hash (question points and red-flag claims are embedded once per content);
on top of it a small in-process table avoids even the cache lookup for the few hundred texts
every grading of the same question reuses.

Raises ``EmbeddingUnavailable`` (from ``engine.semantic``) when the model cannot load; the
grader then falls back to its lexical matching and says so.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

MEMO_SIZE = 4096
_memo: OrderedDict[str, np.ndarray] = OrderedDict()
_lock = threading.Lock()


def _encode(texts: list[str], cache: bool) -> np.ndarray:
    from engine.semantic import embed

    return np.asarray(embed(texts, cache=cache), dtype=np.float32)


def vectors(texts: Sequence[str], *, cache: bool = False) -> np.ndarray:
    """L2-normalised rows, one per text (duplicates embedded once).

    ``cache=True`` is for the question's own texts, which recur across runs: they are kept in
    the data dir's embedding cache. Answers are embedded fresh.

    Raises:
        EmbeddingUnavailable: the sentence-embedding model cannot be loaded.
    """
    with _lock:
        missing = list(dict.fromkeys(t for t in texts if t not in _memo))
    if missing:
        fresh = _encode(missing, cache)
        with _lock:
            for text, row in zip(missing, fresh, strict=True):
                _memo[text] = row
                if len(_memo) > MEMO_SIZE:
                    _memo.popitem(last=False)
    with _lock:
        rows = [_memo.get(t) for t in texts]
    if any(r is None for r in rows):  # evicted by a concurrent grading: embed again
        return _encode(list(texts), cache)
    if not rows:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack(rows)


def forget(texts: set[str]) -> None:
    """Drop ``texts`` from the in-process table (benchmarks measure a first grading with it)."""
    with _lock:
        for text in texts:
            _memo.pop(text, None)


def warm_up() -> str | None:
    """Load the model and embed the bank's profiles now; the reason when it cannot load.

    The desktop calls this on a worker thread once its window is shown, so the first grading
    does not pay for reading the model and embedding the question bank.
    """
    from engine.semantic import EmbeddingUnavailable

    try:
        vectors(["warm up"])
        from engine.grading.relevance import bank_profiles

        bank_profiles()
    except EmbeddingUnavailable as exc:
        return str(exc)
    return None
