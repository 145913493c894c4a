"""The in-memory shape of a session and its ``session.json`` (schema version 1).

Sessions are built up turn by turn while the candidate talks, so these records are mutable
(unlike transcripts and grades, which are finished values). ``to_dict``/``from_dict`` are the
on-disk format; ``engine.store.migrations`` upgrades older versions before ``from_dict``.

session.json::

    {"schema_version": 1, "id": "20261123-064500-feed-engagement", "created_at": ISO,
     "status": "in_progress" | "complete" | "ended_early" | "interrupted",
     "kind": "interview" | "import" | "demo" | "retry",
     "settings": {...}, "notes": [str],
     "questions": [{"question": {"id", "text", "category", "time_limit_s"},
                    "turns": [Turn...]}]}

Turn::

    {"index": 1, "role": "answer" | "follow_up" | "clarification",
     "prompt": what the interviewer asked, "follow_up": {"text", "dimension", "constraint"} | null,
     "audio": "audio/turn-01.wav" | null, "started_at": ISO, "duration_s": float,
     "transcript": transcribe-JSON | null, "transcript_history": [transcribe-JSON...],
     "interviewer_reply": str | null, "gradings": [GradingRecord...], "current_grading": int | null}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from engine.grading.result import Grade
from engine.transcript import Transcript

SCHEMA_VERSION = 1

STATUS_IN_PROGRESS = "in_progress"
STATUS_COMPLETE = "complete"
STATUS_ENDED_EARLY = "ended_early"
STATUS_INTERRUPTED = "interrupted"

ROLE_ANSWER = "answer"
ROLE_FOLLOW_UP = "follow_up"
ROLE_CLARIFICATION = "clarification"


def now_iso() -> str:
    """UTC timestamp with seconds, the one time format stored on disk."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


@dataclass
class GradingRecord:
    """One grading of a turn; every grading is kept so two can be compared side by side."""

    grade: Grade
    graded_at: str = field(default_factory=now_iso)
    whisper_model: str = ""

    @property
    def engine(self) -> str:
        return self.grade.engine

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.grade.engine,
            "engine_version": self.grade.engine_version,
            "graded_at": self.graded_at,
            "whisper_model": self.whisper_model,
            "grade": self.grade.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GradingRecord:
        return cls(
            grade=Grade.from_dict(data["grade"]),
            graded_at=str(data.get("graded_at") or ""),
            whisper_model=str(data.get("whisper_model") or ""),
        )


@dataclass
class Turn:
    """One thing the candidate said: a main answer, a follow-up answer, or a clarifying question."""

    index: int
    role: str
    prompt: str
    audio: str | None = None
    started_at: str = field(default_factory=now_iso)
    duration_s: float = 0.0
    transcript: Transcript | None = None
    transcript_history: list[Transcript] = field(default_factory=list)
    follow_up: dict[str, Any] | None = None
    interviewer_reply: str | None = None
    gradings: list[GradingRecord] = field(default_factory=list)
    current_grading: int | None = None

    @property
    def grade(self) -> Grade | None:
        """The current grading's result, if the turn has been graded."""
        if self.current_grading is None or not self.gradings:
            return None
        return self.gradings[self.current_grading].grade

    def add_grading(self, record: GradingRecord) -> None:
        """Keep the new grading and make it current; older ones stay for comparison."""
        self.gradings.append(record)
        self.current_grading = len(self.gradings) - 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "role": self.role,
            "prompt": self.prompt,
            "follow_up": self.follow_up,
            "audio": self.audio,
            "started_at": self.started_at,
            "duration_s": round(self.duration_s, 3),
            "transcript": None if self.transcript is None else self.transcript.to_dict(),
            "transcript_history": [t.to_dict() for t in self.transcript_history],
            "interviewer_reply": self.interviewer_reply,
            "gradings": [g.to_dict() for g in self.gradings],
            "current_grading": self.current_grading,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Turn:
        transcript = data.get("transcript")
        return cls(
            index=int(data["index"]),
            role=str(data.get("role") or ROLE_ANSWER),
            prompt=str(data.get("prompt") or ""),
            audio=data.get("audio"),
            started_at=str(data.get("started_at") or ""),
            duration_s=float(data.get("duration_s") or 0.0),
            transcript=None if transcript is None else Transcript.from_dict(transcript),
            transcript_history=[
                Transcript.from_dict(t) for t in data.get("transcript_history") or ()
            ],
            follow_up=data.get("follow_up"),
            interviewer_reply=data.get("interviewer_reply"),
            gradings=[GradingRecord.from_dict(g) for g in data.get("gradings") or ()],
            current_grading=data.get("current_grading"),
        )


@dataclass
class QuestionRecord:
    """A question as it was asked in this session, and every turn spoken on it."""

    question: dict[str, Any]
    turns: list[Turn] = field(default_factory=list)

    @property
    def answer_turns(self) -> list[Turn]:
        """Main and follow-up answers (clarifying questions are not graded)."""
        return [t for t in self.turns if t.role != ROLE_CLARIFICATION]

    def to_dict(self) -> dict[str, Any]:
        return {"question": dict(self.question), "turns": [t.to_dict() for t in self.turns]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuestionRecord:
        return cls(
            question=dict(data["question"]),
            turns=[Turn.from_dict(t) for t in data.get("turns") or ()],
        )


@dataclass
class Session:
    """A whole practice session; ``folder`` is where it lives on disk (not serialised)."""

    id: str
    created_at: str = field(default_factory=now_iso)
    status: str = STATUS_IN_PROGRESS
    kind: str = "interview"
    settings: dict[str, Any] = field(default_factory=dict)
    questions: list[QuestionRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    folder: Any = None

    @property
    def turns(self) -> list[Turn]:
        return [t for q in self.questions for t in q.turns]

    def next_turn_index(self) -> int:
        return max((t.index for t in self.turns), default=0) + 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "created_at": self.created_at,
            "status": self.status,
            "kind": self.kind,
            "settings": dict(self.settings),
            "notes": list(self.notes),
            "questions": [q.to_dict() for q in self.questions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Session:
        return cls(
            id=str(data["id"]),
            created_at=str(data.get("created_at") or ""),
            status=str(data.get("status") or STATUS_COMPLETE),
            kind=str(data.get("kind") or "interview"),
            settings=dict(data.get("settings") or {}),
            notes=[str(n) for n in data.get("notes") or ()],
            questions=[QuestionRecord.from_dict(q) for q in data.get("questions") or ()],
        )
