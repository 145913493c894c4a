"""``mockinterview voices`` and ``mockinterview say``: the real voices, real WAV files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import soundfile

REPO_ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=REPO_ROOT,
        env=dict(os.environ, HF_HUB_OFFLINE="1"),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_voices_json_lists_the_neural_default_then_the_system_voices():
    result = _run("voices", "--json")
    assert result.returncode == 0, result.stderr
    voices = json.loads(result.stdout)
    assert voices[0]["engine"] == "piper" and voices[0]["default"] is True
    assert voices[0]["id"] == "piper:en_US-joe-medium"
    system = [v for v in voices if v["engine"] == "pyttsx3"]
    assert len(system) > 10 and not any(v["default"] for v in system)
    assert {"engine", "id", "name", "default"} <= set(voices[1])
    assert sum(v["default"] for v in voices) == 1


def test_voices_table_marks_the_default():
    result = _run("voices")
    assert result.returncode == 0, result.stderr
    starred = [line for line in result.stdout.splitlines() if line.startswith("*")]
    assert len(starred) == 1 and "piper:en_US-joe-medium" in starred[0]


def test_say_writes_speech_at_the_voice_rate(tmp_path):
    out = tmp_path / "said.wav"
    result = _run("say", "Tell me about a model you shipped and what you learned.", "-o", str(out))
    assert result.returncode == 0, result.stderr
    info = soundfile.info(str(out))
    assert info.samplerate == 22050 and info.channels == 1 and info.subtype == "PCM_16"
    assert 2.0 < info.duration < 8.0  # eleven words at 175 words per minute: about 4 s
    assert f"{info.duration:.1f} s" in result.stdout


def test_say_with_a_system_voice_and_a_slower_rate_takes_longer(tmp_path):
    text = "Tell me about a model you shipped and what you learned."
    normal, slow = tmp_path / "normal.wav", tmp_path / "slow.wav"
    assert _run("say", text, "-o", str(normal), "--voice", "gmw/en-us").returncode == 0
    result = _run("say", text, "-o", str(slow), "--voice", "gmw/en-us", "--rate", "100")
    assert result.returncode == 0, result.stderr
    assert "pyttsx3" in result.stdout
    assert soundfile.info(str(slow)).duration > 1.4 * soundfile.info(str(normal)).duration


def test_say_refuses_bad_input_with_one_line(tmp_path):
    cases = [
        (("Hello.", "-o", str(tmp_path / "x.mp3")), "must be a .wav file"),
        (("Hello.", "-o", str(tmp_path / "x.wav"), "--voice", "no/such"), "unknown voice"),
        (("...", "-o", str(tmp_path / "x.wav")), "no words"),
        (("Hello.", "-o", str(tmp_path / "x.wav"), "--rate", "5"), "words per minute"),
    ]
    for args, reason in cases:
        result = _run("say", *args)
        assert result.returncode == 1 and reason in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.wav").exists()
