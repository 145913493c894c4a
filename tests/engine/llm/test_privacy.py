"""The API key never lands on disk or in output, even when a server echoes it back.

The key is a unique marker set through ``OPENAI_API_KEY``. The scripted endpoint records the
``Authorization`` header, which proves the key really was used, and in the failure cases it
puts the key into its error message, as OpenAI does for a wrong key, so the test would catch an
error text copied into a fallback reason, a session file or the CLI's output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine.engines import make_grader
from engine.llm.settings import LLMSettings, save_llm_settings
from engine.paths import data_dir
from engine.store.model import GradingRecord, QuestionRecord, Turn
from engine.store.sessions import create_session, load_session, save_session
from tests.conftest import REPO_ROOT
from tests.engine.llm.conftest import ANSWER_SENTENCES, grade_reply
from tests.fixtures.llm_server import StubReply

KEY = "sk-mockinterview-marker-9f8e7d6c5b4a"


def _files_containing(root: Path, needle: str) -> list[Path]:
    hits = []
    for path in root.rglob("*"):
        if path.is_file() and needle.encode() in path.read_bytes():
            hits.append(path)
    return hits


def _remote_settings(base_url: str) -> LLMSettings:
    # "custom" on loopback would get the dummy key too; the env key must win to be tested.
    return LLMSettings(provider="custom", base_url=base_url, model="stub-model", timeout_s=5)


@pytest.mark.parametrize(
    "reply",
    [
        StubReply(content=grade_reply({"metrics": 3}, {"metrics": ["seven day retention"]})),
        StubReply(status=401, error=f"Incorrect API key provided: {KEY}"),
        StubReply(status=429, error=f"Rate limit reached for key {KEY}"),
        StubReply(status=500, error=f"internal error while handling {KEY}"),
    ],
    ids=["graded", "401-echoes-key", "429-echoes-key", "500-echoes-key"],
)
def test_key_is_in_no_file_of_the_data_dir_after_a_graded_session_is_saved(
    stub_llm, feed_request, monkeypatch, reply
):
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    save_llm_settings(_remote_settings(stub_llm.base_url))
    stub_llm.reply_with(reply)

    grade = make_grader("llm").grade(feed_request)
    session = create_session(kind="interview", settings={"engine": "llm"}, title="privacy")
    turn = Turn(index=1, role="answer", prompt=feed_request.question.prompt)
    turn.transcript = feed_request.transcript
    turn.add_grading(GradingRecord(grade=grade))
    session.questions.append(QuestionRecord(question=feed_request.question.to_ref(), turns=[turn]))
    save_session(session)

    assert stub_llm.headers[0]["authorization"] == f"Bearer {KEY}"
    assert load_session(session.id).turns[0].grade.engine == grade.engine
    assert _files_containing(data_dir(), KEY) == []
    assert KEY not in json.dumps(grade.to_dict())


@pytest.mark.parametrize(
    "reply",
    [
        StubReply(content=grade_reply({"metrics": 3}, {"metrics": ["seven day retention"]})),
        StubReply(status=401, error=f"Incorrect API key provided: {KEY}"),
    ],
    ids=["graded", "401-echoes-key"],
)
def test_key_is_not_in_the_output_of_the_grade_command(stub_llm, tmp_path, reply):
    answer = tmp_path / "answer.txt"
    answer.write_text(" ".join(ANSWER_SENTENCES))
    env = {
        **os.environ,
        "OPENAI_API_KEY": KEY,
        "MOCKINTERVIEW_LLM_BASE_URL": stub_llm.base_url,
        "MOCKINTERVIEW_LLM_MODEL": "stub-model",
        "MOCKINTERVIEW_LLM_TIMEOUT": "5",
        "PYTHONWARNINGS": "always",
    }
    stub_llm.reply_with(reply)

    result = subprocess.run(
        [
            sys.executable, "-m", "engine", "grade",
            "--transcript", str(answer),
            "--question-text", "Design the recommendation system for a short-video feed.",
            "--category", "design",
            "--engine", "llm",
            "--json",
        ],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert stub_llm.headers[0]["authorization"] == f"Bearer {KEY}"
    assert KEY not in result.stdout
    assert KEY not in result.stderr
    grade = json.loads(result.stdout)
    if reply.status == 200:
        assert grade["engine"] == "llm:stub-model"
    else:
        assert grade["engine"] == "offline"
        assert grade["fallback"]["reason"].endswith("the API key was rejected; graded offline")
    assert _files_containing(data_dir(), KEY) == []
