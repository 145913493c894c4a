"""The on-disk embedding cache: reuse across runs, self-repair, and two processes at once.

All vectors come from the real model; "a new run" is a fresh EmbeddingCache on the same file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.semantic import cosine_matrix, embed, load_encoder
from engine.semantic.cache import EmbeddingCache
from engine.semantic.embedding import embedding_cache
from tests.conftest import REPO_ROOT

BANK_TEXTS = [
    "defines success of a win-back as returning and staying, not one session",
    "early skips are stronger negatives than skips near the end",
    "ships after three days without waiting for novelty effects to fade",
]


class CountingEncoder:
    """The real encoder, counting which texts it was asked to embed."""

    def __init__(self) -> None:
        self.encoder = load_encoder()
        self.calls: list[list[str]] = []

    def __call__(self, texts):
        self.calls.append(list(texts))
        return self.encoder.encode(texts)


def new_run(path: Path) -> EmbeddingCache:
    encoder = load_encoder()
    return EmbeddingCache(path, encoder.cache_id, encoder.dim)


def test_second_run_reads_identical_vectors_without_encoding(tmp_path: Path):
    path = tmp_path / "cache" / "embeddings.npz"
    counting = CountingEncoder()
    first = new_run(path).embed(BANK_TEXTS, counting)
    assert path.is_file()
    second = new_run(path).embed(BANK_TEXTS, counting)
    assert len(counting.calls) == 1
    assert np.array_equal(first, second)
    np.testing.assert_allclose(first, load_encoder().encode(BANK_TEXTS), atol=1e-6)


def test_changed_text_gets_a_new_entry_and_only_it_is_encoded(tmp_path: Path):
    path = tmp_path / "embeddings.npz"
    counting = CountingEncoder()
    new_run(path).embed(BANK_TEXTS, counting)
    edited = [*BANK_TEXTS[:2], "ships after three days and dismisses novelty effects"]
    vectors = new_run(path).embed(edited, counting)
    assert counting.calls[-1] == [edited[2]]
    np.testing.assert_allclose(vectors, load_encoder().encode(edited), atol=1e-6)


def test_repeated_text_is_encoded_once(tmp_path: Path):
    counting = CountingEncoder()
    vectors = new_run(tmp_path / "e.npz").embed([BANK_TEXTS[0]] * 3 + [BANK_TEXTS[1]], counting)
    assert counting.calls == [[BANK_TEXTS[0], BANK_TEXTS[1]]]
    assert np.array_equal(vectors[0], vectors[2])


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "empty", "wrong_shape"],
)
def test_damaged_cache_file_is_rebuilt_silently(tmp_path: Path, damage: str):
    path = tmp_path / "embeddings.npz"
    counting = CountingEncoder()
    good = new_run(path).embed(BANK_TEXTS, counting)
    if damage == "garbage":
        path.write_bytes(b"this is not a numpy file at all" * 10)
    elif damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        model_id = load_encoder().cache_id
        with path.open("wb") as handle:
            np.savez(
                handle,
                model=np.array(model_id),
                keys=np.zeros((2, 32), np.uint8),
                vectors=np.ones((3, 7), np.float32),
            )
    again = new_run(path).embed(BANK_TEXTS, counting)
    assert len(counting.calls) == 2  # rebuilt, not trusted
    np.testing.assert_allclose(again, good, atol=1e-6)
    assert len(new_run(path)) == len(BANK_TEXTS)  # and the file is whole again


def test_embed_with_cache_writes_into_the_data_dir(isolated_data_dir: Path):
    vectors = embed(BANK_TEXTS, cache=True)
    files = list((isolated_data_dir / "cache").glob("embeddings-*.npz"))
    assert len(files) == 1
    assert np.array_equal(embed(BANK_TEXTS, cache=True), vectors)
    assert len(embedding_cache(load_encoder())) == len(BANK_TEXTS)
    np.testing.assert_allclose(embed(BANK_TEXTS), vectors, atol=1e-6)  # uncached, same vectors


def test_cosine_matrix_ranks_the_matching_bank_text_first():
    bank = embed(BANK_TEXTS, cache=True)
    answer = embed(["people who skip a song in its first seconds really dislike it"])
    sims = cosine_matrix(answer, bank)
    assert sims.shape == (1, len(BANK_TEXTS))
    assert int(sims.argmax()) == 1


def test_embed_without_cache_writes_nothing(isolated_data_dir: Path):
    embed(["an answer sentence that should not be stored"])
    assert not (isolated_data_dir / "cache").exists()


def test_lone_surrogate_can_be_cached(isolated_data_dir: Path):
    vectors = embed(["a point \ud800 from a badly decoded file"], cache=True)
    assert np.array_equal(embed(["a point \ud800 from a badly decoded file"], cache=True), vectors)


def test_empty_input_with_cache(isolated_data_dir: Path):
    assert embed([], cache=True).shape == (0, 384)


WORKER = """
import json, sys
from engine.semantic import embed
texts = json.loads(sys.argv[1])
embed(texts, cache=True)
"""


def test_two_processes_filling_one_cache_leave_a_readable_file(isolated_data_dir: Path):
    """Two real processes write the same cache file at about the same time."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    groups = [[f"{text} (variant {n})" for text in BANK_TEXTS] for n in range(2)]
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(group)], env=env)
        for group in groups
    ]
    assert [proc.wait(timeout=120) for proc in procs] == [0, 0]
    (path,) = (isolated_data_dir / "cache").glob("embeddings-*.npz")
    cache = new_run(path)
    assert len(cache) >= len(BANK_TEXTS)  # a race may lose one side's entries, never the file
    everything = [text for group in groups for text in group]
    np.testing.assert_allclose(
        cache.embed(everything, load_encoder().encode),
        load_encoder().encode(everything),
        atol=1e-6,
    )
