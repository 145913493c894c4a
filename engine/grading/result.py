"""Grade results as frozen dataclasses whose ``to_dict`` is the ``grade --json`` contract.

Times are seconds from the start of the answer's recording. Evidence quotes are always verbatim
substrings of the transcript text; ``start_s`` is None when the transcript has no word timings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    quote: str
    start_s: float | None = None

    def to_dict(self) -> dict[str, Any]:
        start = None if self.start_s is None else round(self.start_s, 2)
        return {"quote": self.quote, "start_s": start}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        start = data.get("start_s")
        return cls(str(data["quote"]), None if start is None else float(start))


@dataclass(frozen=True)
class DimensionScore:
    """Score 1-4 for one rubric dimension (None when not applicable), with evidence and gaps."""

    id: str
    score: int | None
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[str, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "score": self.score,
            "evidence": [e.to_dict() for e in self.evidence],
            "missing": list(self.missing),
        }
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DimensionScore:
        score = data.get("score")
        return cls(
            id=str(data["id"]),
            score=None if score is None else int(score),
            evidence=tuple(Evidence.from_dict(e) for e in data.get("evidence") or ()),
            missing=tuple(str(m) for m in data.get("missing") or ()),
            note=str(data.get("note") or ""),
        )


@dataclass(frozen=True)
class Stage:
    """A stretch of the answer spent on one rubric dimension."""

    dimension: str
    start_s: float
    end_s: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "dimension": self.dimension,
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stage:
        return cls(str(data["dimension"]), float(data["start_s"]), float(data["end_s"]))


@dataclass(frozen=True)
class FillerEvent:
    """One filler with its time.

    ``source`` is "words" (Whisper wrote it) or "audio" (found in the sound between the words,
    where Whisper left it out).
    """

    start_s: float
    end_s: float
    kind: str
    source: str = "words"

    def to_dict(self) -> dict[str, Any]:
        return {
            "start_s": round(self.start_s, 2),
            "end_s": round(self.end_s, 2),
            "kind": self.kind,
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FillerEvent:
        return cls(
            float(data.get("start_s") or 0.0),
            float(data.get("end_s") or 0.0),
            str(data.get("kind") or "uh"),
            str(data.get("source") or "words"),
        )


@dataclass(frozen=True)
class Pacing:
    """Delivery, kept apart from content: how long, how fast, how fluent, where the time went.

    ``wpm_series`` holds (time_s, words per minute) points for a pacing-over-time chart;
    ``pause_spans`` holds (start_s, end_s) of each long pause; ``allocation_verdict`` is a sentence
    about time allocation ("More than half the time went to framing; metrics were rushed.").
    ``filler_events`` are the timed fillers ("um", "uh", ...), those heard in the audio included;
    ``filler_count`` and ``fillers`` count them too.
    """

    duration_s: float
    words: int
    wpm: float
    filler_count: int
    long_pauses: int
    time_to_first_word_s: float | None
    stages: tuple[Stage, ...] = ()
    time_limit_s: float | None = None
    fillers: dict[str, int] = field(default_factory=dict)
    pause_spans: tuple[tuple[float, float], ...] = ()
    wpm_series: tuple[tuple[float, float], ...] = ()
    allocation_verdict: str = ""
    filler_events: tuple[FillerEvent, ...] = ()

    @property
    def over_limit_s(self) -> float:
        if self.time_limit_s is None:
            return 0.0
        return max(0.0, self.duration_s - self.time_limit_s)

    def to_dict(self) -> dict[str, Any]:
        return {
            "duration_s": round(self.duration_s, 2),
            "words": self.words,
            "wpm": round(self.wpm, 1),
            "filler_count": self.filler_count,
            "long_pauses": self.long_pauses,
            "time_to_first_word_s": (
                None if self.time_to_first_word_s is None else round(self.time_to_first_word_s, 2)
            ),
            "stages": [s.to_dict() for s in self.stages],
            "time_limit_s": self.time_limit_s,
            "fillers": dict(self.fillers),
            "pause_spans": [[round(a, 2), round(b, 2)] for a, b in self.pause_spans],
            "wpm_series": [[round(t, 1), round(w, 1)] for t, w in self.wpm_series],
            "allocation_verdict": self.allocation_verdict,
            "filler_events": [e.to_dict() for e in self.filler_events],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Pacing:
        ttfw = data.get("time_to_first_word_s")
        limit = data.get("time_limit_s")
        return cls(
            duration_s=float(data.get("duration_s") or 0.0),
            words=int(data.get("words") or 0),
            wpm=float(data.get("wpm") or 0.0),
            filler_count=int(data.get("filler_count") or 0),
            long_pauses=int(data.get("long_pauses") or 0),
            time_to_first_word_s=None if ttfw is None else float(ttfw),
            stages=tuple(Stage.from_dict(s) for s in data.get("stages") or ()),
            time_limit_s=None if limit is None else float(limit),
            fillers={str(k): int(v) for k, v in (data.get("fillers") or {}).items()},
            pause_spans=tuple((float(a), float(b)) for a, b in data.get("pause_spans") or ()),
            wpm_series=tuple((float(t), float(w)) for t, w in data.get("wpm_series") or ()),
            allocation_verdict=str(data.get("allocation_verdict") or ""),
            filler_events=tuple(
                FillerEvent.from_dict(e) for e in data.get("filler_events") or () if e
            ),
        )


@dataclass(frozen=True)
class FollowUpSuggestion:
    """The probe the engine would ask next, and the dimension it targets."""

    text: str
    dimension: str
    constraint: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "dimension": self.dimension}
        if self.constraint:
            data["constraint"] = self.constraint
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FollowUpSuggestion:
        return cls(str(data["text"]), str(data["dimension"]), data.get("constraint"))


# Below this relevance the answer is treated as not addressing the asked question: the grade is
# capped and every report says so in plain words (see ``engine.grading.relevance``).
OFF_TOPIC_BELOW = 0.5


@dataclass(frozen=True)
class RedFlagHit:
    """A mistake an interviewer would mark down, found in the answer, with the words that show it.

    ``text`` is the red flag as the question bank states it ("ships after three days"),
    ``quote`` a verbatim substring of the transcript, ``dimension`` the rubric id it lowers.
    """

    text: str
    quote: str
    start_s: float | None
    dimension: str

    def to_dict(self) -> dict[str, Any]:
        start = None if self.start_s is None else round(self.start_s, 2)
        return {
            "text": self.text,
            "quote": self.quote,
            "start_s": start,
            "dimension": self.dimension,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RedFlagHit:
        start = data.get("start_s")
        return cls(
            text=str(data["text"]),
            quote=str(data.get("quote") or ""),
            start_s=None if start is None else float(start),
            dimension=str(data.get("dimension") or ""),
        )


@dataclass(frozen=True)
class Grade:
    """A graded answer: the whole ``grade --json`` object.

    ``engine`` is "offline" or "llm:<model>". ``fallback`` is set when the LLM engine was asked
    for but the offline engine answered (``{"reason": ...}``). ``feedback`` is optional narrative
    feedback (the LLM engine writes it; the offline engine writes a short summary).
    ``relevance`` (0-1) says how squarely the answer addresses the asked question; None only for
    grades stored before it existed. ``red_flags`` are the mistakes found, each with its quote.
    ``closer_question``: when the answer is off topic, the id of another bank question it
    clearly addresses instead (None when it fits none in particular: a generic, thin or chatty
    answer), so the interviewer can tell "about another question" from "generic on this one".
    """

    engine: str
    question: dict[str, Any]
    overall: float
    dimensions: tuple[DimensionScore, ...]
    pacing: Pacing
    follow_up: FollowUpSuggestion | None = None
    fallback: dict[str, Any] | None = None
    feedback: str = ""
    engine_version: str = ""
    warnings: tuple[str, ...] = ()
    relevance: float | None = None
    red_flags: tuple[RedFlagHit, ...] = ()
    closer_question: str | None = None

    @property
    def off_topic(self) -> bool:
        """Whether the answer did not address the asked question (unknown counts as on topic)."""
        return self.relevance is not None and self.relevance < OFF_TOPIC_BELOW

    def dimension(self, dimension_id: str) -> DimensionScore | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "engine": self.engine,
            "question": dict(self.question),
            "overall": round(self.overall, 2),
            "dimensions": [d.to_dict() for d in self.dimensions],
            "pacing": self.pacing.to_dict(),
            "follow_up": None if self.follow_up is None else self.follow_up.to_dict(),
            "relevance": None if self.relevance is None else round(self.relevance, 2),
            "red_flags": [r.to_dict() for r in self.red_flags],
        }
        if self.fallback:
            data["fallback"] = dict(self.fallback)
        if self.feedback:
            data["feedback"] = self.feedback
        if self.engine_version:
            data["engine_version"] = self.engine_version
        if self.warnings:
            data["warnings"] = list(self.warnings)
        if self.closer_question:
            data["closer_question"] = self.closer_question
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Grade:
        follow = data.get("follow_up")
        relevance = data.get("relevance")
        return cls(
            engine=str(data["engine"]),
            question=dict(data["question"]),
            overall=float(data["overall"]),
            dimensions=tuple(DimensionScore.from_dict(d) for d in data["dimensions"]),
            pacing=Pacing.from_dict(data.get("pacing") or {}),
            follow_up=FollowUpSuggestion.from_dict(follow) if follow else None,
            fallback=data.get("fallback"),
            feedback=str(data.get("feedback") or ""),
            engine_version=str(data.get("engine_version") or ""),
            warnings=tuple(data.get("warnings") or ()),
            relevance=None if relevance is None else float(relevance),
            red_flags=tuple(RedFlagHit.from_dict(r) for r in data.get("red_flags") or ()),
            closer_question=data.get("closer_question") or None,
        )
