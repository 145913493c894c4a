"""Shared speech fixtures: one loaded tiny.en for the whole run, JFK as samples."""

from __future__ import annotations

import numpy as np
import pytest

from engine.speech.audio_io import load_audio
from engine.speech.transcriber import Transcriber, get_transcriber


@pytest.fixture(scope="session")
def whisper() -> Transcriber:
    """The bundled tiny.en, loaded once for every speech test (the app shares it the same way)."""
    transcriber = get_transcriber()
    transcriber.load()
    return transcriber


@pytest.fixture(scope="session")
def jfk_samples(jfk_path) -> np.ndarray:
    return load_audio(jfk_path)
