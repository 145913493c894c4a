"""Meaning-level text comparison for the grader: offline sentence embeddings, cached on disk.

``embed(texts)`` embeds answers; ``embed(texts, cache=True)`` serves recurring texts (the
question bank) from the data dir's cache; ``load_encoder().encode(texts)`` embeds uncached. The
model loads lazily on first use. ``EmbeddingUnavailable`` says why the model cannot be used, so
callers can fall back to lexical grading and show the reason.
"""

from engine.semantic.embedding import cosine_matrix, embed
from engine.semantic.encoder import EMBEDDING_DIM, SentenceEncoder, load_encoder
from engine.semantic.errors import EmbeddingUnavailable

__all__ = [
    "EMBEDDING_DIM",
    "EmbeddingUnavailable",
    "SentenceEncoder",
    "cosine_matrix",
    "embed",
    "load_encoder",
]
