"""``mockinterview demo``: a whole headless interview with real TTS, Whisper and grading."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jiwer
import pytest

from engine.demo import SampleAnswers, load_sample_answers
from engine.questions.model import FollowUp

REPO_ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str, timeout: float = 240.0) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _words(text: str) -> str:
    """Lower-case words only, hyphens as spaces: the fair ground for comparing transcripts."""
    return " ".join(re.findall(r"[a-z']+", text.lower().replace("-", " ")))


def _spoken_line(samples: SampleAnswers, turn: dict[str, Any]) -> str:
    """What the synthetic candidate said on this turn, from the sample answers."""
    if turn["role"] == "clarification":
        return samples.clarifying_question
    if turn["role"] == "answer":
        return samples.answer
    probe = turn["follow_up"]
    return samples.answer_to(
        FollowUp(probe["text"], probe["dimension"], constraint=probe.get("constraint"))
    )


@pytest.mark.slow
def test_demo_runs_a_whole_spoken_interview(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _run("demo", "--out", str(out))
    assert result.returncode == 0, result.stderr

    report = Path(result.stdout.strip().splitlines()[-1])
    assert report.name == "report.html" and report.is_file()
    folder = report.parent
    assert folder.parent == out / "sessions"
    assert "<html" in report.read_text(encoding="utf-8").lower()
    assert (folder / "report.md").is_file()
    assert "Question 1 of 2" in result.stderr

    session = json.loads((folder / "session.json").read_text(encoding="utf-8"))
    assert session["status"] == "complete" and session["kind"] == "demo"
    samples = load_sample_answers()
    roles = []
    for record in session["questions"]:
        question_samples = samples[record["question"]["id"]]
        for turn in record["turns"]:
            roles.append(turn["role"])
            assert (folder / turn["audio"]).is_file()
            heard = turn["transcript"]["text"]
            said = _spoken_line(question_samples, turn)
            error = jiwer.wer(_words(said), _words(heard))
            assert error < 0.35, f"{turn['role']} WER {error:.2f}: {heard!r}"
            if turn["role"] == "clarification":
                assert turn["interviewer_reply"]
                assert turn["gradings"] == []
            else:
                assert turn["gradings"], turn["index"]
                assert turn["gradings"][0]["grade"]["dimensions"]
    assert roles.count("clarification") == 1
    assert "follow_up" in roles
    assert len(session["questions"]) == 2
    assert sorted(p.name for p in (folder / "audio").glob("interviewer-*.wav"))


def test_demo_refuses_a_question_count_it_cannot_answer(tmp_path: Path) -> None:
    result = _run("demo", "--out", str(tmp_path), "--questions", "0")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "at least one question" in result.stderr
    result = _run("demo", "--out", str(tmp_path), "--questions", "9")
    assert result.returncode == 1 and "at most" in result.stderr


def test_demo_refuses_an_out_path_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")
    result = _run("demo", "--out", str(blocker))
    assert result.returncode == 1
    assert "not a folder" in result.stderr and "Traceback" not in result.stderr
