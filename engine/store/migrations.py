"""Upgrade older ``session.json`` layouts to the current schema before they are parsed.

Each migration takes the dict of version N and returns version N+1, so a file of any older
version walks up one step at a time. A file from a *newer* app is refused with a message that
says so, rather than half-read (and later overwritten without the fields we do not know).

Version 0 (the pre-release layout, no ``schema_version`` key) kept one flat ``turns`` list in
which every turn carried its own ``question`` object, a ``kind`` ("main" | "follow_up" |
"clarify"), a ``duration`` and a single ``grade`` (with ``graded_at`` beside it); the session
used ``created`` and ``mode`` where version 1 says ``created_at`` and ``kind``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from engine.errors import SessionError
from engine.store.model import (
    ROLE_ANSWER,
    ROLE_CLARIFICATION,
    ROLE_FOLLOW_UP,
    SCHEMA_VERSION,
)

_V0_ROLES = {
    "main": ROLE_ANSWER,
    "answer": ROLE_ANSWER,
    "follow_up": ROLE_FOLLOW_UP,
    "followup": ROLE_FOLLOW_UP,
    "clarify": ROLE_CLARIFICATION,
    "clarification": ROLE_CLARIFICATION,
}


def _v0_question(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        return {"id": None, "text": raw, "category": "design", "time_limit_s": None}
    raw = dict(raw or {})
    return {
        "id": raw.get("id") or None,
        "text": str(raw.get("text") or raw.get("prompt") or ""),
        "category": str(raw.get("category") or "design"),
        "time_limit_s": raw.get("time_limit_s"),
    }


def _v0_transcript(raw: Any, duration_s: float) -> dict[str, Any] | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        text = " ".join(raw.split())
        segments = [{"start": 0.0, "end": duration_s, "text": text, "words": []}] if text else []
        return {
            "text": text,
            "language": "en",
            "duration_s": duration_s,
            "model": "text",
            "segments": segments,
        }
    return dict(raw)


def _migrate_v0_to_v1(data: dict[str, Any]) -> dict[str, Any]:
    """Group the flat turn list by question and turn each single grade into a grading record."""
    questions: list[dict[str, Any]] = []
    for position, raw in enumerate(data.get("turns") or (), start=1):
        question = _v0_question(raw.get("question"))
        key = (question["id"], question["text"])
        if (
            not questions
            or (questions[-1]["question"]["id"], questions[-1]["question"]["text"]) != key
        ):
            questions.append({"question": question, "turns": []})
        duration = float(raw.get("duration") or raw.get("duration_s") or 0.0)
        grade = raw.get("grade")
        gradings = []
        if grade:
            gradings.append(
                {
                    "engine": grade.get("engine", "offline"),
                    "engine_version": grade.get("engine_version", ""),
                    "graded_at": str(raw.get("graded_at") or data.get("created") or ""),
                    "whisper_model": str(raw.get("whisper_model") or ""),
                    "grade": grade,
                }
            )
        role = _V0_ROLES.get(str(raw.get("kind") or "main"), ROLE_ANSWER)
        follow_up = raw.get("follow_up")
        if role == ROLE_FOLLOW_UP and not isinstance(follow_up, dict):
            follow_up = {
                "text": str(raw.get("prompt") or ""),
                "dimension": "communication",
                "constraint": None,
            }
        questions[-1]["turns"].append(
            {
                "index": int(raw.get("index") or position),
                "role": role,
                "prompt": str(raw.get("prompt") or question["text"]),
                "follow_up": follow_up if role == ROLE_FOLLOW_UP else None,
                "audio": raw.get("audio"),
                "started_at": str(raw.get("started_at") or ""),
                "duration_s": duration,
                "transcript": _v0_transcript(raw.get("transcript"), duration),
                "transcript_history": [],
                "interviewer_reply": raw.get("reply"),
                "gradings": gradings,
                "current_grading": 0 if gradings else None,
            }
        )
    return {
        "schema_version": 1,
        "id": data.get("id"),
        "created_at": data.get("created_at") or data.get("created") or "",
        "status": data.get("status") or "complete",
        "kind": data.get("kind") or data.get("mode") or "interview",
        "settings": dict(data.get("settings") or {}),
        "notes": list(data.get("notes") or ()),
        "questions": questions,
    }


# version N -> function producing version N+1
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _migrate_v0_to_v1}


def schema_version_of(data: dict[str, Any]) -> int:
    """The schema version a session dict declares; files without the key are version 0."""
    raw = data.get("schema_version", 0)
    try:
        return int(raw)
    except (TypeError, ValueError) as exc:
        raise SessionError(f"schema_version {raw!r} is not a number") from exc


def migrate(data: dict[str, Any], source: str = "session.json") -> dict[str, Any]:
    """Bring a parsed ``session.json`` up to ``SCHEMA_VERSION``.

    Args:
        data: the parsed JSON object (not modified).
        source: file name used in error messages.

    Raises:
        SessionError: the file was written by a newer mockinterview, or a migration step failed.
    """
    version = schema_version_of(data)
    if version > SCHEMA_VERSION:
        raise SessionError(
            f"{source} was made by a newer mockinterview (session format {version}; this version "
            f"reads up to {SCHEMA_VERSION}); update mockinterview to open it"
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get(version)
        if step is None:
            raise SessionError(f"{source}: no upgrade from session format {version}")
        try:
            data = step(data)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise SessionError(
                f"{source}: cannot upgrade from session format {version} ({exc})"
            ) from exc
        version += 1
    return data
