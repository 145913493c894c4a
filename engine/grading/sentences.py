"""Split a transcript into sentences that know where they are in the text and in time.

Everything the grader reports hangs on sentences: evidence quotes are sentence slices of
``Transcript.text`` (so they are verbatim by construction), and their ``start_s`` comes from the
word timings Whisper produced. Plain-text transcripts have no timings; their sentences get an
*estimated* time from word position (``ESTIMATED_SECONDS_PER_WORD``, i.e. 150 wpm) that is used
only for the stage timeline and never shown as an evidence timestamp.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from engine.transcript import Transcript

ESTIMATED_SECONDS_PER_WORD = 60.0 / 150.0
# Spoken answers run on; a 70-word "sentence" makes a useless quote, so long ones are cut at
# clause boundaries (commas, semicolons, dashes) once they pass this many words.
MAX_SENTENCE_WORDS = 45

_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=\S)")
_CLAUSE_BREAK_RE = re.compile(r"[,;:\u2014]\s+|\s+-+\s+")
_WORD_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the answer.

    Attributes:
        index: position among the answer's sentences.
        text: exactly ``transcript.text[start_char:end_char]``.
        start_s: when it was spoken (from word timings), else None.
        end_s: when it ended (from word timings), else None.
        est_start_s: start time for the stage timeline: real when timed, else estimated.
        est_end_s: end time for the stage timeline, same rule.
        word_count: whitespace-separated words.
    """

    index: int
    text: str
    start_char: int
    end_char: int
    start_s: float | None
    end_s: float | None
    est_start_s: float
    est_end_s: float
    word_count: int


def _split_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    result: list[tuple[int, int]] = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            result.extend(_cut_long(text, a, b))
    return result


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a run-on sentence at clause breaks into pieces of at most ~MAX_SENTENCE_WORDS."""
    words = list(_WORD_RE.finditer(text, start, end))
    if len(words) <= MAX_SENTENCE_WORDS:
        return [(start, end)]
    word_starts = [w.start() for w in words]
    pieces: list[tuple[int, int]] = []
    piece_start, piece_first_word = start, 0
    for match in _CLAUSE_BREAK_RE.finditer(text, start, end):
        index = bisect.bisect_left(word_starts, match.end())
        if index - piece_first_word >= MAX_SENTENCE_WORDS // 2 and index < len(words):
            piece_end = match.end()
            while piece_end > piece_start and text[piece_end - 1].isspace():
                piece_end -= 1
            pieces.append((piece_start, piece_end))
            piece_start, piece_first_word = match.end(), index
    pieces.append((piece_start, end))
    # A piece with no clause break inside can still be long; hard-cut it by word count.
    final: list[tuple[int, int]] = []
    for a, b in pieces:
        inner = [w for w in words if a <= w.start() < b]
        while len(inner) > MAX_SENTENCE_WORDS:
            final.append((inner[0].start(), inner[MAX_SENTENCE_WORDS - 1].end()))
            inner = inner[MAX_SENTENCE_WORDS:]
        if inner:
            final.append((inner[0].start(), b))
    return final


def _word_char_offsets(transcript: Transcript) -> tuple[list[int], list[float], list[float]]:
    """Char offset in ``transcript.text`` of each timed word, with its start and end time.

    ``Transcript.text`` joins stripped segment texts with one space, so each segment's offset is
    known; inside a segment, words are found left to right. A word Whisper spelled differently
    in its word list than in the segment text is skipped rather than guessed.
    """
    offsets: list[int] = []
    starts: list[float] = []
    ends: list[float] = []
    cursor = 0
    for segment in transcript.segments:
        seg_text = segment.text.strip()
        if not seg_text:
            continue
        seg_start = cursor
        local = 0
        for word in segment.words:
            token = word.word.strip()
            if not token:
                continue
            found = seg_text.find(token, local)
            if found < 0 or found - local > 40:
                continue
            offsets.append(seg_start + found)
            starts.append(word.start)
            ends.append(word.end)
            local = found + len(token)
        cursor += len(seg_text) + 1
    return offsets, starts, ends


def split_sentences(transcript: Transcript) -> list[Sentence]:
    """The answer's sentences in order, each with char offsets and times."""
    text = transcript.text
    spans = _split_spans(text)
    if not spans:
        return []
    offsets: list[int] = []
    starts: list[float] = []
    ends: list[float] = []
    if transcript.has_word_timings:
        offsets, starts, ends = _word_char_offsets(transcript)
    sentences: list[Sentence] = []
    words_before = 0
    total_words = sum(len(text[a:b].split()) for a, b in spans)
    duration = transcript.duration_s
    per_word = (
        duration / total_words
        if duration > 0 and total_words and not offsets
        else ESTIMATED_SECONDS_PER_WORD
    )
    for index, (a, b) in enumerate(spans):
        count = len(text[a:b].split())
        start_s = end_s = None
        if offsets:
            first = bisect.bisect_left(offsets, a)
            last = bisect.bisect_left(offsets, b) - 1
            if first < len(offsets) and first <= last:
                start_s, end_s = starts[first], ends[last]
            elif first < len(offsets):
                start_s = end_s = starts[first]
            elif starts:
                start_s = end_s = ends[-1]
        if start_s is not None and end_s is not None:
            est_start, est_end = start_s, end_s
        else:
            est_start = words_before * per_word
            est_end = (words_before + count) * per_word
        sentences.append(
            Sentence(index, text[a:b], a, b, start_s, end_s, est_start, est_end, count)
        )
        words_before += count
    return sentences
