"""The session commands end to end with the real transcriber, grader and PDF writer:
import -> sessions list -> regrade -> report (html, md, pdf), plus the bad-input paths."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.cli.main import main

TTS_ANSWER = (
    "First I would clarify who the users are and what they need. Then I would measure success "
    "with watch time and retention, with a guardrail on reports. Clicks alone are noisy, so I "
    "would not treat them as ground truth."
)


@pytest.fixture(scope="module")
def tts_answer(tmp_path_factory) -> Path:
    """A short spoken answer made with espeak-ng (real TTS audio)."""
    path = tmp_path_factory.mktemp("tts") / "answer.wav"
    subprocess.run(["espeak-ng", "-w", str(path), TTS_ANSWER], check=True)
    return path


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_round_trip_import_list_regrade_export(capsys, jfk_path, tts_answer, tmp_path):
    code, out, _ = run_cli(
        capsys, "import", str(tts_answer), "--question", "design-short-video-feed", "--json"
    )
    assert code == 0
    imported = json.loads(out)
    tts_id = imported["session"]
    [grade] = imported["answers"]
    assert grade["question"]["id"] == "design-short-video-feed"
    assert 1.0 <= imported["overall"] <= 4.0

    code, out, _ = run_cli(
        capsys, "import", str(jfk_path), "--question-text", "Design a feed.", "--category", "design"
    )
    assert code == 0
    jfk_id = re.search(r"as session (\S+)", out).group(1)
    assert re.search(r"Overall \d\.\d\d / 4 \(offline\)", out)

    code, out, _ = run_cli(capsys, "sessions", "list")
    assert code == 0
    assert tts_id in out and jfk_id in out
    assert out.splitlines()[0].split() == ["ID", "DATE", "STATUS", "QUESTIONS", "OVERALL"]

    code, out, _ = run_cli(capsys, "sessions", "list", "--search", "ground truth", "--json")
    assert [s["id"] for s in json.loads(out)] == [tts_id]

    code, out, _ = run_cli(capsys, "regrade", tts_id, "--retranscribe", "tiny.en", "--json")
    assert code == 0
    regraded = json.loads(out)
    assert regraded["session"] == tts_id
    [answer] = regraded["answers"]
    assert answer["engine"] == "offline" and len(answer["dimensions"]) == 8
    assert answer["pacing"]["duration_s"] > 5

    scores = {d["id"]: d["score"] for d in answer["dimensions"] if d["score"] is not None}
    for fmt in ("html", "md", "pdf"):
        target = tmp_path / f"report.{fmt}"
        code, out, _ = run_cli(capsys, "report", tts_id, "--format", fmt, "-o", str(target))
        assert code == 0 and target.exists(), out
    html = (tmp_path / "report.html").read_text()
    assert "watch time" in html.lower() and "Gradings side by side (2 kept)" in html
    md = (tmp_path / "report.md").read_text()
    assert f"| Problem framing | {scores['problem_framing']}/4" in md
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "report.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for label, dim in (("Problem framing", "problem_framing"), ("Metrics", "metrics")):
        assert re.search(rf"{label}\s+{scores[dim]}/4", text), text[:2000]
    assert f"overall {answer['overall']:.2f}" in text
    assert "ground truth" in text.lower()


def test_not_audio_is_a_one_line_error(capsys, tmp_path, isolated_data_dir):
    fake = tmp_path / "answer.wav"
    fake.write_text("I am a text file pretending to be a recording")
    code, out, err = run_cli(capsys, "import", str(fake), "--question-text", "Design a feed.")
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("mockinterview import: ") and "audio" in err
    assert "Traceback" not in err
    assert not list((isolated_data_dir / "sessions").glob("*"))


def test_missing_audio_file_is_a_one_line_error(capsys, tmp_path):
    code, _, err = run_cli(capsys, "import", str(tmp_path / "nope.wav"), "--question-text", "Q?")
    assert code == 1 and len(err.strip().splitlines()) == 1


def test_session_folder_without_audio_regrades_but_cannot_retranscribe(
    capsys, tts_answer, isolated_data_dir
):
    code, out, _ = run_cli(capsys, "import", str(tts_answer), "--question-text", "Design a feed.")
    session_id = re.search(r"as session (\S+)", out).group(1)
    folder = isolated_data_dir / "sessions" / session_id
    shutil.rmtree(folder / "audio")

    code, out, err = run_cli(capsys, "regrade", str(folder))  # by folder path
    assert code == 0, err
    assert "answer 1 (answer):" in out

    code, _, err = run_cli(capsys, "regrade", session_id, "--retranscribe", "tiny.en")
    assert code == 1
    assert "has no audio to re-transcribe" in err and len(err.strip().splitlines()) == 1


def test_unknown_session_is_a_one_line_error(capsys, tmp_path):
    for argv in (
        ("regrade", "20990101-000000-nope"),
        ("report", "20990101-000000-nope", "--format", "md", "-o", str(tmp_path / "r.md")),
    ):
        code, _, err = run_cli(capsys, *argv)
        assert code == 1 and "sessions list" in err and len(err.strip().splitlines()) == 1


def test_list_flags_corrupt_and_interrupted_sessions(capsys):
    from engine.store.locks import lock_path
    from engine.store.sessions import create_session

    broken = create_session(title="broken")
    (Path(broken.folder) / "session.json").write_text("{ not json")
    crashed = create_session(title="crashed")
    lock_path(crashed.folder).write_text(json.dumps({"pid": 2**22 + 7, "host": ""}))

    code, out, _ = run_cli(capsys, "sessions", "list")
    assert code == 0
    broken_line = next(line for line in out.splitlines() if line.startswith(broken.id))
    assert "CORRUPT" in broken_line and "not valid JSON" in broken_line
    crashed_line = next(line for line in out.splitlines() if line.startswith(crashed.id))
    assert "INTERRUPTED" in crashed_line
    assert "1 interrupted session(s)" in out

    code, out, _ = run_cli(capsys, "sessions", "list", "--json")
    statuses = {s["id"]: s["status"] for s in json.loads(out)}
    assert statuses[broken.id] == "corrupt" and statuses[crashed.id] == "interrupted"


def test_empty_library(capsys):
    code, out, _ = run_cli(capsys, "sessions", "list")
    assert code == 0 and out.strip() == "No sessions yet."


def test_regrade_with_an_unreachable_llm_falls_back_and_the_report_says_so(
    capsys, monkeypatch, closed_port_url, tmp_path
):
    from tests.engine.store.factories import build_interview_session

    session = build_interview_session("llm down")
    monkeypatch.setenv("MOCKINTERVIEW_LLM_BASE_URL", closed_port_url)
    monkeypatch.setenv("MOCKINTERVIEW_LLM_MODEL", "smollm2")
    code, out, err = run_cli(capsys, "regrade", session.id, "--engine", "llm")
    assert code == 0, err
    assert "graded by the offline engine instead" in out

    code, _, _ = run_cli(
        capsys, "report", session.id, "--format", "md", "-o", str(tmp_path / "r.md")
    )
    md = (tmp_path / "r.md").read_text()
    assert "was graded by the offline engine" in md
    assert "**Gradings side by side** (2 kept)" in md
