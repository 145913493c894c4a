"""The forward pass of a small BERT encoder (all-MiniLM-L6-v2) in plain numpy, float32.

Why numpy: the model is 6 layers of width 384, so nearly all the time goes into a few matrix
products per layer that numpy hands to OpenBLAS, which already runs them near the CPU's peak;
a framework would add hundreds of megabytes and no speed (an int8 ONNX export run by
onnxruntime measured no faster here).

Why packed: texts have different lengths. Instead of padding every text of a batch to the
longest one, all real tokens are stacked into one ``(tokens, hidden)`` matrix for the dense
layers, which are ~90 % of the work, so no product is spent on padding. Only self-attention,
which must see each text on its own, regroups the rows into padded blocks of texts of similar
length (``AttentionGroup``), with padded keys masked out.

The maths is the published BERT architecture: token + position + segment embeddings, layer
norm, then per layer multi-head self-attention, a residual layer norm, a GELU feed-forward block
and another residual layer norm; the sentence vector is the mean of the last layer's token
vectors.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from engine.semantic.bert_weights import BertWeights, LayerWeights

_MASKED = np.float32(-1e30)  # added to attention scores of padded keys; exp() turns it into 0
_LOGIT_CAP = np.float32(80.0)
_GELU_C = np.float32(math.sqrt(2.0 / math.pi))
_GELU_C3 = np.float32(0.044715 * math.sqrt(2.0 / math.pi))
# A new attention group starts when a text is this much longer than the group's shortest text
# (padding waste above ~25 % costs more than the few extra numpy calls of another group) ...
_GROUP_LENGTH_RATIO = 1.25
_GROUP_LENGTH_SLACK = 3
# ... or when the group's attention scores would exceed this many floats (bounds memory).
_GROUP_MAX_SCORES = 12 * 2**19


PROJECTIONS = ("qkv", "attn_out", "ff_in", "ff_out")


class Products(Protocol):
    """Computes ``x @ W + b`` for one of the four weight matrices (``PROJECTIONS``) of a layer.

    For ``"ff_in"`` the result comes back already through GELU, in whatever scale the same
    object's ``"ff_out"`` expects (the float32 products return ``2 * gelu``, see
    ``_gelu_times_two``); ``"ff_out"`` may overwrite its input, which nothing reads afterwards.
    """

    def __call__(self, layer: int, name: str, x: np.ndarray) -> np.ndarray: ...


class Float32Products:
    """The plain float32 products, through numpy and OpenBLAS."""

    def __init__(self, weights: BertWeights) -> None:
        self._layers = weights.layers

    def __call__(self, layer: int, name: str, x: np.ndarray) -> np.ndarray:
        matrix, bias = matrix_and_bias(self._layers[layer], name)
        out = x @ matrix
        out += bias
        if name == "ff_in":
            _gelu_times_two(out)
        return out


def matrix_and_bias(lw: LayerWeights, name: str) -> tuple[np.ndarray, np.ndarray]:
    """The ``(in, out)`` matrix and bias of projection ``name`` of one layer."""
    if name == "qkv":
        return lw.qkv_w, lw.qkv_b
    if name == "attn_out":
        return lw.attn_out_w, lw.attn_out_b
    if name == "ff_in":
        return lw.ff_in_w, lw.ff_in_b
    if name == "ff_out":
        return lw.ff_out_w, lw.ff_out_b
    raise ValueError(f"unknown projection {name!r}")


@dataclass(frozen=True)
class AttentionGroup:
    """Texts of similar length attended together: a padded view onto the packed token rows.

    Attributes:
        rows: ``(texts, width)`` packed-row index of each position; padding repeats a real row.
        valid: ``(texts, width)`` True where the position is a real token.
        key_bias: ``(texts, 1, 1, width)`` 0 for real keys, a huge negative number for padding.
        start, stop: the contiguous range of packed rows the group covers.
    """

    rows: np.ndarray
    valid: np.ndarray
    key_bias: np.ndarray
    start: int
    stop: int

    @property
    def padded(self) -> bool:
        """Whether any text of the group is shorter than the group's width."""
        return not bool(self.valid.all())


def encode_tokens(
    weights: BertWeights, sequences: Sequence[Sequence[int]], products: Products | None = None
) -> np.ndarray:
    """Mean-pooled last-layer vectors of each token sequence (not normalised), in input order.

    Args:
        weights: the model.
        sequences: token ids per text, special tokens included, each non-empty and no longer
            than the model's position table.
        products: how the weight matrices are applied; float32 numpy by default.

    Returns:
        ``(len(sequences), hidden)`` float32.
    """
    cfg = weights.config
    lengths = np.array([len(seq) for seq in sequences], dtype=np.int64)
    order = np.argsort(lengths, kind="stable")
    sorted_lengths = lengths[order]
    starts = np.concatenate([[0], np.cumsum(sorted_lengths)[:-1]])
    ids = np.concatenate([np.asarray(sequences[i], dtype=np.int64) for i in order])
    positions = np.concatenate([np.arange(n) for n in sorted_lengths])
    groups = _attention_groups(sorted_lengths, starts, cfg.heads)
    product = products or Float32Products(weights)

    x = weights.word[ids]
    x += weights.position[positions]
    x += weights.segment0
    x = _layer_norm(x, weights.embed_norm_g, weights.embed_norm_b, cfg.eps)
    for index, lw in enumerate(weights.layers):
        qkv = product(index, "qkv", x)
        context = np.empty_like(x)
        for group in groups:
            _attend(qkv, group, cfg.heads, context)
        attn = product(index, "attn_out", context)
        attn += x
        x = _layer_norm(attn, lw.attn_norm_g, lw.attn_norm_b, cfg.eps)
        inner = product(index, "ff_in", x)
        out = product(index, "ff_out", inner)
        out += x
        x = _layer_norm(out, lw.ff_norm_g, lw.ff_norm_b, cfg.eps)

    pooled = np.add.reduceat(x, starts, axis=0)
    pooled /= sorted_lengths[:, None].astype(np.float32)
    result = np.empty_like(pooled)
    result[order] = pooled
    return result


def _attention_groups(lengths: np.ndarray, starts: np.ndarray, heads: int) -> list[AttentionGroup]:
    """Split texts (sorted by length, packed in that order) into groups of similar length."""
    groups = []
    first = 0
    while first < len(lengths):
        last = first + 1
        limit = lengths[first] * _GROUP_LENGTH_RATIO + _GROUP_LENGTH_SLACK
        while (
            last < len(lengths)
            and lengths[last] <= limit
            and (last - first + 1) * heads * int(lengths[last]) ** 2 <= _GROUP_MAX_SCORES
        ):
            last += 1
        groups.append(_group(lengths[first:last], starts[first:last]))
        first = last
    return groups


def _group(lengths: np.ndarray, starts: np.ndarray) -> AttentionGroup:
    width = int(lengths.max())
    offsets = np.arange(width)
    valid = offsets[None, :] < lengths[:, None]
    # Padding positions read the text's first token; their results are masked or discarded.
    rows = starts[:, None] + np.where(valid, offsets[None, :], 0)
    key_bias = np.where(valid, np.float32(0.0), _MASKED).astype(np.float32)[:, None, None, :]
    stop = int(starts[-1] + lengths[-1])
    return AttentionGroup(rows, valid, key_bias, int(starts[0]), stop)


def _attend(qkv: np.ndarray, group: AttentionGroup, heads: int, context: np.ndarray) -> None:
    """Multi-head self-attention of one group; writes the group's rows of ``context``."""
    texts, width = group.rows.shape
    hidden = context.shape[1]
    if group.padded:
        block = qkv[group.rows]
    else:  # all texts the same length: the packed rows already form the padded block
        block = qkv[group.start : group.stop].reshape(texts, width, 3 * hidden)
    block = block.reshape(texts, width, 3, heads, hidden // heads).transpose(2, 0, 3, 1, 4)
    query, key, value = block[0], block[1], block[2]
    scores = query @ key.transpose(0, 1, 3, 2)
    if group.padded:
        scores += group.key_bias
    _softmax_last_axis(scores)
    mixed = (scores @ value).transpose(0, 2, 1, 3).reshape(texts, width, hidden)
    if group.padded:
        context[group.start : group.stop] = mixed[group.valid]
    else:
        context[group.start : group.stop] = mixed.reshape(texts * width, hidden)


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """Normalise each row to zero mean and unit variance, then scale and shift (in place on x)."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var *= np.float32(1.0 / x.shape[-1])
    var += np.float32(eps)
    np.sqrt(var, out=var)
    x /= var
    x *= gain
    x += bias
    return x


def _softmax_last_axis(scores: np.ndarray) -> None:
    """Softmax over the last axis, in place.

    Instead of subtracting each row's maximum (a second reduction over many short rows, the
    slowest step of attention here), logits are capped at 80, below float32 exp's overflow at
    88. This model's attention logits stay far below the cap, so results are unchanged; a row
    whose every entry underflows gives zeros rather than NaN.
    """
    np.minimum(scores, _LOGIT_CAP, out=scores)
    np.exp(scores, out=scores)
    totals = np.add.reduce(scores, axis=-1, keepdims=True)
    np.maximum(totals, np.float32(1e-30), out=totals)
    np.reciprocal(totals, out=totals)
    scores *= totals


def _gelu_times_two(x: np.ndarray) -> None:
    """``2 * gelu(x)`` in place, with the tanh form of GELU.

    The model was trained with the erf form (numpy has no erf); the tanh form differs by < 1e-3
    per activation, which leaves the sentence vectors at cosine > 0.99999 to the reference, and
    it costs few passes over the largest activation matrix. The missing factor 1/2 is folded
    into the following weight matrix at load time.
    """
    inner = x * x
    inner *= _GELU_C3
    inner += _GELU_C
    inner *= x
    np.tanh(inner, out=inner)
    inner += np.float32(1.0)
    x *= inner
