"""``mockinterview questions list|validate`` as a user runs them.

Most tests call the CLI entry point in-process (fast); the ones about exit status and the absence
of tracebacks run the real installed console script in a subprocess.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.cli.main import main
from engine.paths import user_questions_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
CONSOLE_SCRIPT = Path(sys.executable).parent / "mockinterview"

BROKEN = """\
- id: design-grocery-substitutes
  category: desgn
  time_limit_s: 240
  prompt: Design grocery substitutions.
  expected:
    metrics: [acceptance rate with refunds as a guardrail]
  follow_up:
    - text: Why?
      dimension: metrics
  clarifications:
    users: Weekly shoppers.
"""


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = (
        [str(CONSOLE_SCRIPT)]
        if CONSOLE_SCRIPT.exists()
        else [sys.executable, "-m", "engine.cli.main"]
    )
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=os.environ.copy(),
        timeout=60,
    )


def test_validate_a_broken_file_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "BAD.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    result = run_cli("questions", "validate", str(bad))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines == [
        f"{bad}:1: follow_ups: required field is missing",
        f"{bad}:2: category: unknown category 'desgn' (did you mean 'design'?); use one of: "
        "design, diagnose, metrics, experimentation, tradeoff, behavior",
        lines[2],
    ]
    assert lines[2].startswith(f"{bad}:7: follow_up: unknown field (did you mean 'follow_ups'?)")
    assert result.stderr.strip() == "3 problems in 1 of 1 file"


def test_validate_without_a_path_checks_bundled_and_user_questions() -> None:
    result = run_cli("questions", "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.fullmatch(r"\d+ questions in 6 files: OK\n", result.stdout)
    count = int(result.stdout.split()[0])
    assert count >= 66


def test_validate_without_a_path_reports_a_broken_user_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    broken = user_questions_dir() / "mine.yaml"
    broken.write_text("- id: design-x\n  category: design\n  prompt: [oops\n", encoding="utf-8")
    assert main(["questions", "validate"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{broken}:3: YAML syntax error")
    assert "flow sequence that starts on line 3" in out
    assert "1 problem in 1 of 7 files" in err


def test_validate_a_folder_and_a_missing_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "a.yaml").write_text(BROKEN.replace("desgn", "design"), encoding="utf-8")
    (folder / "readme.md").write_text("not yaml", encoding="utf-8")
    assert main(["questions", "validate", str(folder)]) == 1
    out, _ = capsys.readouterr()
    assert [line.split(": ")[1] for line in out.splitlines()] == ["follow_ups", "follow_up"]
    assert main(["questions", "validate", str(tmp_path / "nope.yaml")]) == 1
    out, _ = capsys.readouterr()
    assert out.strip() == f"{tmp_path / 'nope.yaml'}: no such file or folder"


def test_validate_json_gives_structured_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(BROKEN, encoding="utf-8")
    assert main(["questions", "validate", str(bad), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["files"] == 1 and report["questions"] == 0
    assert report["errors"][1] == {
        "path": str(bad),
        "line": 2,
        "field": "category",
        "message": "unknown category 'desgn' (did you mean 'design'?); use one of: "
        "design, diagnose, metrics, experimentation, tradeoff, behavior",
    }
    assert main(["questions", "validate", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_list_prints_a_readable_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["questions", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["ID", "CATEGORY", "LEVEL", "TIME", "PROMPT"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert len(rows) >= 66
    feed = rows["design-short-video-feed"]
    assert feed.split()[1:4] == ["design", "medium", "6:00"]
    assert "Design the recommendation system for a short-video feed" in feed
    categories = [line.split()[1] for line in lines[1:]]
    assert categories.index("design") < categories.index("diagnose") < categories.index("behavior")


def test_list_filters_by_category_and_includes_user_questions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    (user_questions_dir() / "mine.yaml").write_text(
        textwrap.dedent(
            """\
            - id: metrics-my-own
              category: metrics
              time_limit_s: 200
              prompt: How would you measure my own feature?
              expected: {metrics: [a north star tied to value, a guardrail]}
              follow_ups:
                - {text: Why that one?, dimension: metrics}
                - {text: What could mislead you?, dimension: metrics}
                - {text: How would you test it?, dimension: experimentation}
              clarifications: {goal: Happy users.}
            """
        ),
        encoding="utf-8",
    )
    assert main(["questions", "list", "--category", "metrics"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert {row.split()[1] for row in rows} == {"metrics"}
    assert any(row.startswith("metrics-my-own ") for row in rows)


def test_list_json_has_the_full_question_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["questions", "list", "--json", "--category", "diagnose"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {q["category"] for q in data} == {"diagnose"}
    drop = next(q for q in data if q["id"] == "diagnose-feed-engagement-drop")
    assert set(drop) == {
        "id",
        "category",
        "difficulty",
        "time_limit_s",
        "prompt",
        "context",
        "expected",
        "follow_ups",
        "clarifications",
        "tags",
        "source",
        "red_flags",
    }
    assert "diagnosis" in drop["expected"]
    assert len(drop["red_flags"]) >= 2
    assert set(drop["red_flags"][0]) == {"text", "dimension", "claims"}
    assert len(drop["follow_ups"]) >= 3
    assert set(drop["follow_ups"][0]) == {"text", "dimension", "triggers", "constraint"}
    assert drop["clarifications"]["metric"]


def test_list_still_works_with_a_broken_user_file_and_warns() -> None:
    (user_questions_dir() / "broken.yaml").write_text("- id: [\n", encoding="utf-8")
    result = run_cli("questions", "list")
    assert result.returncode == 0
    assert "design-short-video-feed" in result.stdout
    assert "Traceback" not in result.stderr
    assert "1 problem(s) in question files were skipped" in result.stderr


def test_validate_reports_an_unusable_data_dir_without_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data dir should be", encoding="utf-8")
    result = run_cli("--data-dir", str(blocker / "data"), "questions", "validate")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "cannot open your question folder" in result.stdout
