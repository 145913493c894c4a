"""The weights of a small BERT encoder (all-MiniLM-L6-v2), rearranged once for fast inference.

The checkpoint stores each linear layer as ``(out, in)`` with separate query, key and value
matrices. At load time we fuse query, key and value into one matrix, fold the attention scale
1/sqrt(head size) into the query weights and GELU's factor 1/2 into the next matrix, and store
every matrix as ``(in, out)``, so that each step of :mod:`engine.semantic.bert` is one product
of the activations from the left.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class BertConfig:
    """The few architecture numbers the forward pass needs (from the model's ``config.json``)."""

    hidden: int
    heads: int
    layers: int
    intermediate: int
    max_positions: int
    vocab: int
    eps: float

    @classmethod
    def from_json(cls, cfg: Mapping[str, object]) -> BertConfig:
        """Build from a BERT ``config.json`` mapping (KeyError if a field is missing)."""
        hidden = int(cfg["hidden_size"])  # type: ignore[call-overload]
        heads = int(cfg["num_attention_heads"])  # type: ignore[call-overload]
        if hidden % heads:
            raise ValueError(f"hidden size {hidden} is not a multiple of {heads} heads")
        act = cfg.get("hidden_act", "gelu")
        if act != "gelu":
            raise ValueError(f"activation {act!r} is not supported (only 'gelu')")
        return cls(
            hidden=hidden,
            heads=heads,
            layers=int(cfg["num_hidden_layers"]),  # type: ignore[call-overload]
            intermediate=int(cfg["intermediate_size"]),  # type: ignore[call-overload]
            max_positions=int(cfg["max_position_embeddings"]),  # type: ignore[call-overload]
            vocab=int(cfg["vocab_size"]),  # type: ignore[call-overload]
            eps=float(cfg.get("layer_norm_eps", 1e-12)),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class LayerWeights:
    """One transformer layer, matrices stored ``(in, out)``."""

    qkv_w: np.ndarray
    qkv_b: np.ndarray
    attn_out_w: np.ndarray
    attn_out_b: np.ndarray
    attn_norm_g: np.ndarray
    attn_norm_b: np.ndarray
    ff_in_w: np.ndarray
    ff_in_b: np.ndarray
    ff_out_w: np.ndarray
    ff_out_b: np.ndarray
    ff_norm_g: np.ndarray
    ff_norm_b: np.ndarray


@dataclass(frozen=True)
class BertWeights:
    """Every parameter of the encoder, already rearranged for :func:`encode_tokens`."""

    config: BertConfig
    word: np.ndarray
    position: np.ndarray
    segment0: np.ndarray
    embed_norm_g: np.ndarray
    embed_norm_b: np.ndarray
    layers: tuple[LayerWeights, ...]

    @classmethod
    def from_tensors(cls, tensors: Mapping[str, np.ndarray], config: BertConfig) -> BertWeights:
        """Rearrange the tensors of a Hugging Face ``BertModel`` checkpoint.

        Raises:
            KeyError: a tensor is missing (its name is the message).
            ValueError: a tensor has the wrong shape.
        """
        get = _TensorGetter(tensors)
        h, i = config.hidden, config.intermediate
        scale = np.float32(1.0 / math.sqrt(h // config.heads))
        layers = []
        for n in range(config.layers):
            p = f"encoder.layer.{n}."
            a = p + "attention."
            q_w = get(a + "self.query.weight", (h, h)) * scale
            q_b = get(a + "self.query.bias", (h,)) * scale
            qkv_w = np.concatenate(
                [q_w, get(a + "self.key.weight", (h, h)), get(a + "self.value.weight", (h, h))]
            )
            qkv_b = np.concatenate(
                [q_b, get(a + "self.key.bias", (h,)), get(a + "self.value.bias", (h,))]
            )
            layers.append(
                LayerWeights(
                    qkv_w=np.ascontiguousarray(qkv_w.T),
                    qkv_b=qkv_b,
                    attn_out_w=np.ascontiguousarray(get(a + "output.dense.weight", (h, h)).T),
                    attn_out_b=get(a + "output.dense.bias", (h,)),
                    attn_norm_g=get(a + "output.LayerNorm.weight", (h,)),
                    attn_norm_b=get(a + "output.LayerNorm.bias", (h,)),
                    ff_in_w=np.ascontiguousarray(get(p + "intermediate.dense.weight", (i, h)).T),
                    ff_in_b=get(p + "intermediate.dense.bias", (i,)),
                    # GELU's factor 1/2 is folded into the next matrix (see _gelu_times_two).
                    ff_out_w=np.ascontiguousarray(get(p + "output.dense.weight", (h, i)).T) * 0.5,
                    ff_out_b=get(p + "output.dense.bias", (h,)),
                    ff_norm_g=get(p + "output.LayerNorm.weight", (h,)),
                    ff_norm_b=get(p + "output.LayerNorm.bias", (h,)),
                )
            )
        return cls(
            config=config,
            word=get("embeddings.word_embeddings.weight", (config.vocab, h)),
            position=get("embeddings.position_embeddings.weight", (config.max_positions, h)),
            segment0=get("embeddings.token_type_embeddings.weight", (None, h))[0],
            embed_norm_g=get("embeddings.LayerNorm.weight", (h,)),
            embed_norm_b=get("embeddings.LayerNorm.bias", (h,)),
            layers=tuple(layers),
        )


class _TensorGetter:
    """Fetch a float32 tensor by name, accepting an optional ``bert.`` prefix, checking shape."""

    def __init__(self, tensors: Mapping[str, np.ndarray]) -> None:
        self._tensors = tensors

    def __call__(self, name: str, shape: tuple[int | None, ...]) -> np.ndarray:
        array = self._tensors.get(name)
        if array is None:
            array = self._tensors.get("bert." + name)
        if array is None:
            raise KeyError(name)
        if len(array.shape) != len(shape) or any(
            want is not None and got != want for got, want in zip(array.shape, shape, strict=True)
        ):
            raise ValueError(f"tensor {name} has shape {array.shape}, expected {shape}")
        return np.asarray(array, dtype=np.float32)
