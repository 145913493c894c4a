"""Choosing a Whisper model: bundled default, user folders, names that need the network."""

from __future__ import annotations

import pytest

from engine import paths
from engine.errors import ModelError
from engine.speech.models import available_models, bundled_model, resolve_model
from engine.speech.transcriber import Transcriber, get_transcriber


@pytest.mark.parametrize("choice", [None, "", "default", "tiny.en"])
def test_default_choices_give_the_bundled_tiny_en(choice):
    spec = resolve_model(choice)
    assert spec.name == "tiny.en" and spec.source == "bundled"
    assert (spec.path / "model.bin").is_file()


def _link_model(folder):
    """A user model folder made of links to the bundled files (no 75 MB copy)."""
    folder.mkdir(parents=True)
    for item in bundled_model().path.iterdir():
        (folder / item.name).symlink_to(item)
    return folder


def test_a_model_folder_is_accepted_and_listed_when_under_the_data_dir():
    folder = _link_model(paths.models_dir() / "my-tiny")
    assert resolve_model(str(folder)).path == folder.resolve()
    assert resolve_model("my-tiny").path == folder
    assert "my-tiny" in [spec.name for spec in available_models()]


def test_a_folder_that_is_not_a_whisper_model_is_refused_with_what_is_missing(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match=r"not a Whisper model folder \(missing model.bin"):
        resolve_model(str(tmp_path))


def test_a_file_or_missing_folder_is_refused(tmp_path):
    file = tmp_path / "model.bin"
    file.write_bytes(b"x")
    with pytest.raises(ModelError, match="is a file"):
        resolve_model(str(file))
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "nope"))


def test_a_model_name_needing_download_fails_clearly_offline():
    with pytest.raises(ModelError, match="cannot be downloaded"):
        resolve_model("base.en")


def test_an_unknown_model_name_lists_the_known_ones():
    with pytest.raises(ModelError, match="unknown Whisper model 'giant'.*tiny.en"):
        resolve_model("giant")


def test_a_corrupt_model_bin_is_a_model_error_at_load(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"not a ctranslate2 model" * 10)
    (folder / "config.json").write_text("{}")
    transcriber = Transcriber(resolve_model(str(folder)))
    with pytest.raises(ModelError, match="cannot load Whisper model"):
        transcriber.load()


def test_transcribers_are_shared_per_model(whisper):
    assert get_transcriber() is whisper
    assert get_transcriber("tiny.en") is whisper
