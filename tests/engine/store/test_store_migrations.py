"""Older session.json layouts open in the current app; newer ones are refused clearly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.errors import SessionError
from engine.library.listing import list_sessions
from engine.store.migrations import migrate
from engine.store.model import SCHEMA_VERSION
from engine.store.sessions import load_session
from tests.engine.store.factories import MAIN_SCORES, make_grade

QUESTION_V0 = {"id": "feed-ranking", "text": "Design a feed.", "category": "design"}


def _v0_session() -> dict:
    """The pre-release layout: a flat turn list, one grade per turn, no schema_version."""
    return {
        "id": "20250101-090000-old",
        "created": "2025-01-01T09:00:00+00:00",
        "mode": "interview",
        "status": "complete",
        "turns": [
            {
                "question": QUESTION_V0,
                "kind": "main",
                "audio": "audio/turn-01.wav",
                "duration": 42.5,
                "transcript": "I would start from the users.",
                "grade": make_grade(MAIN_SCORES, overall=2.0).to_dict(),
                "graded_at": "2025-01-01T09:05:00+00:00",
            },
            {
                "question": QUESTION_V0,
                "kind": "follow_up",
                "prompt": "What are the limits of CTR?",
                "duration": 10.0,
                "transcript": "Clicks can be accidental.",
                "grade": None,
            },
            {"question": "Is a user bored or on a break?", "kind": "main", "duration": 5.0},
        ],
    }


def test_v0_layout_is_upgraded_to_the_current_schema():
    data = migrate(_v0_session())
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["created_at"] == "2025-01-01T09:00:00+00:00"
    assert [len(q["turns"]) for q in data["questions"]] == [2, 1]
    main, follow = data["questions"][0]["turns"]
    assert main["role"] == "answer" and main["duration_s"] == 42.5
    assert main["gradings"][0]["graded_at"] == "2025-01-01T09:05:00+00:00"
    assert main["current_grading"] == 0
    assert follow["role"] == "follow_up"
    assert follow["follow_up"]["text"] == "What are the limits of CTR?"
    assert follow["gradings"] == [] and follow["current_grading"] is None
    assert data["questions"][1]["question"]["text"] == "Is a user bored or on a break?"


def test_v0_session_folder_loads_lists_and_keeps_its_grade(isolated_data_dir):
    folder = isolated_data_dir / "sessions" / "20250101-090000-old"
    folder.mkdir(parents=True)
    (folder / "session.json").write_text(json.dumps(_v0_session()))
    session = load_session("20250101-090000-old")
    assert session.turns[0].grade.overall == 2.0
    assert session.turns[0].transcript.text == "I would start from the users."
    [summary] = list_sessions()
    assert summary.problem == "" and summary.overall == 2.0
    # the original is kept before any save rewrites it in the new format
    backup = folder / "session.json.v0.bak"
    assert json.loads(backup.read_text()) == _v0_session()


def test_newer_version_is_refused():
    with pytest.raises(SessionError, match="newer mockinterview"):
        migrate({"schema_version": SCHEMA_VERSION + 1, "id": "x"})


def test_garbage_version_is_a_session_error():
    with pytest.raises(SessionError, match="not a number"):
        migrate({"schema_version": "one"})


def test_current_version_passes_through_untouched():
    data = {"schema_version": SCHEMA_VERSION, "id": "x", "questions": []}
    assert migrate(data) is data


def test_broken_v0_turn_list_is_a_session_error_not_a_crash(tmp_path: Path):
    with pytest.raises(SessionError, match="cannot upgrade"):
        migrate({"id": "x", "turns": ["not a turn object"]})
