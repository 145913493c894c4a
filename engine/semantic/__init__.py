"""Meaning-level text comparison for the grader: offline sentence embeddings, cached on disk.

``load_encoder().encode(texts)`` embeds without caching; the model loads lazily on first use.
``EmbeddingUnavailable`` says why the model cannot be used, so callers can fall back to lexical
grading and show the reason.
"""

from engine.semantic.encoder import EMBEDDING_DIM, SentenceEncoder, load_encoder
from engine.semantic.errors import EmbeddingUnavailable

__all__ = ["EMBEDDING_DIM", "EmbeddingUnavailable", "SentenceEncoder", "load_encoder"]
