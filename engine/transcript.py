"""Transcripts as frozen dataclasses, with times in seconds from the start of the recording.

Evidence quotes, pacing and replay all hang on word timings, so a transcript always carries
words when it came from Whisper. ``to_dict``/``from_dict`` match the ``transcribe --json``
contract in DESIGN.md; plain-text transcripts (typed or imported) have segments without words.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import AudioDecodeError, MockInterviewError


@dataclass(frozen=True)
class Word:
    """One recognised word; ``word`` keeps Whisper's leading space so joins are lossless."""

    start: float
    end: float
    word: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "word": self.word}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Word:
        return cls(float(data["start"]), float(data["end"]), str(data["word"]))


@dataclass(frozen=True)
class Segment:
    """A stretch of speech, usually a sentence or a phrase between pauses."""

    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "text": self.text,
            "words": [w.to_dict() for w in self.words],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Segment:
        words = tuple(Word.from_dict(w) for w in data.get("words") or ())
        return cls(float(data["start"]), float(data["end"]), str(data["text"]), words)


@dataclass(frozen=True)
class FilledPause:
    """An "um" or "uh" heard in the audio that Whisper left out of the words (it drops them).

    Kept beside the words, not among them, so the text stays exactly what Whisper heard.
    """

    start: float
    end: float
    kind: str  # "um" or "uh"

    def to_dict(self) -> dict[str, Any]:
        return {"start": round(self.start, 3), "end": round(self.end, 3), "kind": self.kind}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FilledPause:
        return cls(float(data["start"]), float(data["end"]), str(data.get("kind") or "uh"))


@dataclass(frozen=True)
class Transcript:
    """A whole answer: its segments, language, duration and the model that produced it.

    ``filled_pauses`` are fillers found in the audio between the words (``to_dict`` writes
    them only when there are some, so older readers of the JSON see nothing new).
    """

    segments: tuple[Segment, ...] = ()
    language: str = "en"
    duration_s: float = 0.0
    model: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    filled_pauses: tuple[FilledPause, ...] = ()

    @property
    def text(self) -> str:
        """The answer as one string; segment texts joined by single spaces."""
        return " ".join(s.text.strip() for s in self.segments if s.text.strip())

    @property
    def words(self) -> tuple[Word, ...]:
        """All timed words in order (empty for plain-text transcripts)."""
        return tuple(w for s in self.segments for w in s.words)

    @property
    def has_word_timings(self) -> bool:
        return any(s.words for s in self.segments)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "language": self.language,
            "duration_s": round(self.duration_s, 3),
            "model": self.model,
            "segments": [s.to_dict() for s in self.segments],
        }
        if self.filled_pauses:
            data["filled_pauses"] = [f.to_dict() for f in self.filled_pauses]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Transcript:
        segments = tuple(Segment.from_dict(s) for s in data.get("segments") or ())
        if not segments and data.get("text"):
            segments = (Segment(0.0, float(data.get("duration_s") or 0.0), str(data["text"])),)
        return cls(
            segments=segments,
            language=str(data.get("language") or "en"),
            duration_s=float(data.get("duration_s") or 0.0),
            model=str(data.get("model") or ""),
            filled_pauses=tuple(
                FilledPause.from_dict(f) for f in data.get("filled_pauses") or () if f
            ),
        )

    @classmethod
    def from_text(cls, text: str, duration_s: float = 0.0) -> Transcript:
        """A transcript without timings, for typed or pasted answers."""
        text = " ".join(text.split())
        if not text:
            return cls(duration_s=duration_s, model="text")
        return cls(segments=(Segment(0.0, duration_s, text),), duration_s=duration_s, model="text")


def load_text_or_json_transcript(path: str | Path) -> Transcript:
    """Read a ``.txt`` answer or a ``transcribe --json`` file.

    Audio files are not handled here (the caller transcribes them first), so this stays free of
    the Whisper dependency.

    Raises:
        AudioDecodeError: the file does not exist or cannot be read.
        MockInterviewError: the JSON is not a transcript.
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise AudioDecodeError(f"{path}: no such file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise AudioDecodeError(f"{path}: cannot read it as text ({exc})") from exc
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or ("segments" not in data and "text" not in data):
                raise ValueError("expected an object with 'segments' or 'text'")
            return Transcript.from_dict(data)
        except (ValueError, KeyError, TypeError) as exc:
            raise MockInterviewError(f"{path}: not a transcript JSON ({exc})") from exc
    return Transcript.from_text(raw)
