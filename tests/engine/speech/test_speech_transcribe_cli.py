"""`mockinterview transcribe` as a user runs it: text or JSON, one-line errors for bad input."""

from __future__ import annotations

import json
import os
import subprocess

import numpy as np
import pytest
from speech_helpers import silence, wer

from engine.speech.audio_io import write_wav
from tests.conftest import JFK_REFERENCE, REPO_ROOT

CLI = REPO_ROOT / ".venv" / "bin" / "mockinterview"


def _run(*args: str, data_dir) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", MOCKINTERVIEW_DATA_DIR=str(data_dir))
    return subprocess.run(
        [str(CLI), "transcribe", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_json_output_follows_the_design_contract(jfk_path, isolated_data_dir):
    proc = _run(str(jfk_path), "--json", data_dir=isolated_data_dir)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"text", "language", "duration_s", "model", "segments"}
    assert data["model"] == "tiny.en" and data["duration_s"] == pytest.approx(11.0, abs=0.05)
    assert wer(JFK_REFERENCE, data["text"]) < 0.1
    word = data["segments"][0]["words"][0]
    assert set(word) == {"start", "end", "word"}


def test_plain_output_is_just_the_text(jfk_path, isolated_data_dir):
    proc = _run(str(jfk_path), data_dir=isolated_data_dir)
    assert proc.returncode == 0, proc.stderr
    assert wer(JFK_REFERENCE, proc.stdout) < 0.1 and len(proc.stdout.splitlines()) == 1


def _silent(path):
    return write_wav(path, silence(2.0))


def _empty(path):
    return write_wav(path, np.zeros(0, dtype=np.float32))


def _garbage(path):
    path.write_bytes(b"this is a text file pretending to be audio " * 20)
    return path


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (lambda d: d / "missing.wav", (), "no such file"),
        (_empty, (), "holds no audio"),
        (_garbage, (), "unsupported or corrupt audio"),
        (_silent, (), "no speech found in"),
        (None, ("--model", "{tmp}"), "is not a Whisper model folder"),
    ],
    ids=["missing", "empty", "garbage", "silence", "not-a-model"],
)
def test_bad_input_is_one_line_on_stderr_with_exit_1(
    make, args, message, tmp_path, jfk_path, isolated_data_dir
):
    audio = make(tmp_path / "input.wav") if make else jfk_path
    extra = [a.replace("{tmp}", str(tmp_path)) for a in args]
    proc = _run(str(audio), *extra, data_dir=isolated_data_dir)
    assert proc.returncode == 1
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert lines[0].startswith("mockinterview transcribe: ") and message in lines[0]
