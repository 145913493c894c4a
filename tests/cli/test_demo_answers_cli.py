"""``mockinterview demo --answers FILE [--question ID]... [--json]``: a scripted candidate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
TELL_ME = REPO_ROOT / "bench" / "candidates" / "tell-me.yaml"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-m", "engine", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_a_scripted_candidate_is_replayed_and_its_turns_printed_as_json(tmp_path: Path) -> None:
    result = _run("demo", "--answers", str(TELL_ME), "--out", str(tmp_path), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    first, second = summary["turns"][:2]
    assert "tell me the answer" in first["heard"].lower()
    assert first["redirect"] is True and first["reply_purpose"] == "redirect"
    assert second["asked"] == first["reply"]  # the candidate answers the restated question
    assert summary["questions"][0]["id"] == "tradeoff-time-spent-vs-shares"
    assert summary["grades"] and summary["grades"][0]["grade"]["dimensions"]
    assert Path(summary["report"]).is_file()
    assert any("asked for the answer" in n for n in summary["notes"])


def test_a_broken_candidate_file_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("design-short-video-feed:\n  turns:\n    - shout: hello\n", encoding="utf-8")
    result = _run("demo", "--answers", str(bad), "--out", str(tmp_path))
    assert result.returncode == 1
    assert "bad.yaml" in result.stderr and "turn 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_asking_for_a_question_the_file_does_not_answer_is_refused(tmp_path: Path) -> None:
    result = _run("demo", "--answers", str(TELL_ME), "--question", "design-short-video-feed")
    assert result.returncode == 1
    assert "no answers for question 'design-short-video-feed'" in result.stderr
