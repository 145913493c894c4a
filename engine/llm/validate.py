"""Parse and check what the LLM returned, so nothing invented or malformed reaches a report.

Rules for a grade reply (anything structurally wrong raises ``LLMError("invalid_output")``, which
the grader answers with one retry and then the offline engine):

- a JSON object (a Markdown code fence around it is tolerated, prose is not);
- ``dimensions`` holds every rubric id that applies to the question's category, each with an
  integer score 1-4; ``diagnosis`` may be left out or ``null`` unless the question is a
  ``diagnose`` question, and must not be scored otherwise (the schema no longer asks for it);
- every evidence quote must occur verbatim in the transcript. Only whitespace and letter case
  are normalised for the comparison, and the quote kept is the transcript's own substring (so
  the report shows what was really said and can seek the audio to it). Quotes that do not occur
  are dropped and counted (``invented_quotes``); quotes of fewer than two words are dropped as
  too thin to be evidence (``thin_quotes``). Neither makes the reply invalid.
- ``missing`` and ``feedback`` are plain strings, trimmed to a readable length; feedback of
  fewer than four words is dropped (the offline summary stands);
- the follow-up is kept only when it passes ``clean_probe`` (one short question, no Markdown).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from typing import Any

from engine.errors import LLMError
from engine.grading.result import Evidence, FollowUpSuggestion
from engine.rubric import DIMENSION_IDS, SCORE_MAX, SCORE_MIN, applicable_dimensions
from engine.transcript import Transcript

INVALID_OUTPUT = "invalid_output"
MAX_QUOTES_PER_DIMENSION = 3
MAX_MISSING_PER_DIMENSION = 6
MAX_MISSING_CHARS = 160
MAX_FEEDBACK_CHARS = 1500
MIN_FEEDBACK_WORDS = 4
MIN_QUOTE_WORDS = 2
MAX_PROBE_WORDS = 40
MIN_PROBE_WORDS = 4
MAX_PROBE_CHARS = 300

# Characters a model wraps quotes in, which are not part of what the candidate said.
_WRAPPING = " \t\r\n\"'“”‘’`«»…"
_MARKDOWN = re.compile(r"(\*\*|__|`|^\s*#|^\s*[-*•]\s|^\s*\d+[.)]\s|\[[^\]]*\]\()", re.MULTILINE)
# Characters no spoken question contains (markers, JSON, markup leaking into the text).
NOT_SPOKEN_CHARS = frozenset("<>{}[]|\\")
_FENCE = re.compile(r"^\s*```[a-zA-Z]*\s*\n?(.*?)\n?\s*```\s*$", re.DOTALL)


@dataclass(frozen=True)
class LLMDimension:
    """One dimension as the LLM graded it, after validation (quotes verified)."""

    id: str
    score: int | None
    evidence: tuple[Evidence, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class LLMGradeOutput:
    """A validated grade reply, before the grader's score policy is applied.

    Attributes:
        invented_quotes: quotes dropped because they do not occur in the transcript.
        thin_quotes: quotes dropped because they were a single word.
    """

    dimensions: dict[str, LLMDimension]
    feedback: str
    follow_up: FollowUpSuggestion | None
    invented_quotes: int
    thin_quotes: int


def parse_json_reply(text: str) -> dict[str, Any]:
    """The JSON object in a reply, tolerating only a Markdown code fence around it.

    Raises:
        LLMError: kind ``invalid_output`` for prose, truncated JSON or a non-object.
    """
    body = text.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1).strip()
    try:
        data = json.loads(body)
    except json.JSONDecodeError:
        excerpt = " ".join(body.split())[:60]
        if body.startswith("{"):
            raise LLMError(INVALID_OUTPUT, "the reply was cut-off or malformed JSON") from None
        raise LLMError(INVALID_OUTPUT, f"the reply was prose, not JSON ({excerpt!r})") from None
    if not isinstance(data, dict):
        raise LLMError(INVALID_OUTPUT, "the reply was JSON but not an object")
    return data


def validate_grade(text: str, transcript: Transcript, category: str) -> LLMGradeOutput:
    """Parse and validate a grade reply against the transcript it claims to quote.

    Raises:
        LLMError: kind ``invalid_output`` naming the first structural problem found.
    """
    data = parse_json_reply(text)
    raw_dims = _dimension_mapping(data.get("dimensions"))
    applicable = applicable_dimensions(category)
    absent = [d for d in applicable if d not in raw_dims]
    if absent:
        raise LLMError(INVALID_OUTPUT, "dimensions missing: " + ", ".join(absent))
    locator = QuoteLocator(transcript)
    dimensions: dict[str, LLMDimension] = {}
    invented = thin = 0
    for dim_id in DIMENSION_IDS:
        raw = raw_dims.get(dim_id, {"score": None})
        if not isinstance(raw, dict):
            raise LLMError(INVALID_OUTPUT, f"dimension {dim_id} is not an object")
        score = _score(raw.get("score"), dim_id, scored=dim_id in applicable)
        if score is None:
            dimensions[dim_id] = LLMDimension(dim_id, None)
            continue
        evidence: list[Evidence] = []
        for quote in _strings(raw.get("evidence"), f"{dim_id}.evidence", key="quote"):
            verdict = locator.verify(quote)
            if verdict == "invented":
                invented += 1
            elif verdict == "thin":
                thin += 1
            elif (
                isinstance(verdict, Evidence)
                and len(evidence) < MAX_QUOTES_PER_DIMENSION
                and all(e.quote != verdict.quote for e in evidence)
            ):
                evidence.append(verdict)
        missing = tuple(
            _trim(m, MAX_MISSING_CHARS)
            for m in _strings(raw.get("missing"), f"{dim_id}.missing", key="point")
            if m.strip()
        )[:MAX_MISSING_PER_DIMENSION]
        dimensions[dim_id] = LLMDimension(dim_id, score, tuple(evidence), missing)
    feedback = data.get("feedback") or ""
    if not isinstance(feedback, str):
        raise LLMError(INVALID_OUTPUT, "feedback is not a string")
    # Feedback of a word or two ("false", "ok") says nothing; the offline summary is kept then.
    if len(feedback.split()) < MIN_FEEDBACK_WORDS:
        feedback = ""
    return LLMGradeOutput(
        dimensions=dimensions,
        feedback=_trim(feedback, MAX_FEEDBACK_CHARS),
        follow_up=_follow_up(data.get("follow_up"), applicable),
        invented_quotes=invented,
        thin_quotes=thin,
    )


def clean_probe(text: str) -> str | None:
    """The probe as it will be spoken, or None when it is not one short plain question.

    Accepts one or two sentences ending in a question mark (a short lead-in is fine), at most
    ``MAX_PROBE_WORDS`` words, with no Markdown, lists or code.
    """
    probe = " ".join(str(text).split()).strip(_WRAPPING.replace("…", ""))
    if not probe or not probe.endswith("?"):
        return None
    if len(probe) > MAX_PROBE_CHARS or len(probe.split()) > MAX_PROBE_WORDS:
        return None
    if _MARKDOWN.search(str(text)) or "\n\n" in str(text):
        return None
    if any(c in NOT_SPOKEN_CHARS for c in probe):
        return None
    words = [w for w in probe.split() if any(c.isalpha() for c in w)]
    if len(words) < MIN_PROBE_WORDS or len({w.lower() for w in words}) < MIN_PROBE_WORDS:
        return None
    return probe


class QuoteLocator:
    """Finds quotes in one transcript and turns them into ``Evidence`` with start times.

    Built once per grading: the normalised text and the word-offset table are computed once and
    shared by every quote of every dimension.
    """

    def __init__(self, transcript: Transcript) -> None:
        self.transcript = transcript
        self.text = transcript.text
        self._norm, self._index = _normalise_with_index(self.text)
        self._word_offsets, self._word_starts = _word_offsets(transcript)

    def verify(self, quote: str) -> Evidence | str:
        """``Evidence`` for a quote that occurs, else "invented" or "thin"."""
        cleaned = quote.strip(_WRAPPING)
        needle, _ = _normalise_with_index(cleaned)
        if not needle:
            return "thin"
        span = self.find(needle)
        if span is None:
            return "invented"
        start, end = span
        original = self.text[start:end]
        if len(original.split()) < MIN_QUOTE_WORDS:
            return "thin"
        return Evidence(original, self.start_s(start))

    def find(self, needle: str) -> tuple[int, int] | None:
        """Span in the original text of the first whole-word occurrence of a normalised needle."""
        at = self._norm.find(needle)
        while at >= 0:
            end = at + len(needle)
            before_ok = at == 0 or not self._norm[at - 1].isalnum() or not needle[0].isalnum()
            after_ok = (
                end == len(self._norm) or not self._norm[end].isalnum() or not needle[-1].isalnum()
            )
            if before_ok and after_ok:
                return self._index[at], self._index[end - 1] + 1
            at = self._norm.find(needle, at + 1)
        return None

    def start_s(self, char_offset: int) -> float | None:
        """When the word at ``char_offset`` of the transcript text was spoken (None: no timings)."""
        if not self._word_offsets:
            return None
        i = bisect.bisect_right(self._word_offsets, char_offset) - 1
        return self._word_starts[max(i, 0)]


def _normalise_with_index(text: str) -> tuple[str, list[int]]:
    """Lower-cased text with whitespace runs collapsed, and each char's index in ``text``."""
    out: list[str] = []
    index: list[int] = []
    pending_space = False
    for i, char in enumerate(text):
        if char.isspace():
            pending_space = bool(out)
            continue
        if pending_space:
            out.append(" ")
            index.append(i - 1)
            pending_space = False
        for folded in char.casefold():
            out.append(folded)
            index.append(i)
    return "".join(out), index


def _word_offsets(transcript: Transcript) -> tuple[list[int], list[float]]:
    """Character offset of each timed word in ``transcript.text`` and its start time.

    ``Transcript.text`` joins stripped segment texts with single spaces; words are matched
    inside their own segment in order, so repeated words map to the right occurrence.
    """
    offsets: list[int] = []
    starts: list[float] = []
    if not transcript.has_word_timings:
        return offsets, starts
    base = 0
    for segment in transcript.segments:
        seg_text = segment.text.strip()
        if not seg_text:
            continue
        folded = seg_text.casefold()
        cursor = 0
        if not segment.words:
            offsets.append(base)
            starts.append(segment.start)
        for word in segment.words:
            token = word.word.strip().casefold()
            found = folded.find(token, cursor) if token else -1
            position = found if found >= 0 else cursor
            offsets.append(base + position)
            starts.append(word.start)
            if found >= 0:
                cursor = found + len(token)
        base += len(seg_text) + 1
    return offsets, starts


def _dimension_mapping(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, list) and all(isinstance(d, dict) and "id" in d for d in raw):
        return {str(d["id"]): d for d in raw}
    raise LLMError(INVALID_OUTPUT, "'dimensions' is missing or not an object")


def _score(value: Any, dim_id: str, *, scored: bool) -> int | None:
    if not scored:
        if value is not None:
            raise LLMError(INVALID_OUTPUT, f"{dim_id} must be null for this question")
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise LLMError(INVALID_OUTPUT, f"{dim_id} score {value!r} is not a whole number")
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise LLMError(INVALID_OUTPUT, f"{dim_id} score {value} is outside {SCORE_MIN}-{SCORE_MAX}")
    return value


def _strings(raw: Any, where: str, *, key: str) -> list[str]:
    """A list of strings; ``{"quote": ...}``-style objects are accepted for the same content."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise LLMError(INVALID_OUTPUT, f"{where} is not a list")
    items = []
    for item in raw:
        if isinstance(item, dict) and isinstance(item.get(key), str):
            item = item[key]
        if not isinstance(item, str):
            raise LLMError(INVALID_OUTPUT, f"{where} holds a non-string item")
        items.append(item)
    return items


def _follow_up(raw: Any, applicable: tuple[str, ...]) -> FollowUpSuggestion | None:
    if not isinstance(raw, dict):
        return None
    text = clean_probe(str(raw.get("text") or ""))
    dimension = raw.get("dimension")
    if text is None or dimension not in applicable:
        return None
    return FollowUpSuggestion(text, str(dimension))


def _trim(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
