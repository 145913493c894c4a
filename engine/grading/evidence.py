"""Turn sentences into evidence quotes: verbatim, short enough to read, with their start time.

A quote is always a slice of ``Transcript.text`` (a sentence, or its first words when the
sentence is long), so it can be found again in the transcript and replayed from ``start_s``.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.grading.result import Evidence
from engine.grading.sentences import Sentence

MAX_QUOTE_CHARS = 220
MAX_QUOTES_PER_DIMENSION = 3


def quote_of(sentence: Sentence) -> Evidence:
    """The sentence as a quote, cut at a word boundary when it is long."""
    text = sentence.text
    if len(text) > MAX_QUOTE_CHARS:
        cut = text.rfind(" ", 0, MAX_QUOTE_CHARS)
        text = text[: cut if cut > 40 else MAX_QUOTE_CHARS].rstrip(" ,;:")
    return Evidence(quote=text, start_s=sentence.start_s)


def quotes(
    sentences: Iterable[Sentence], limit: int = MAX_QUOTES_PER_DIMENSION
) -> tuple[Evidence, ...]:
    """Quotes for distinct sentences, in the order the candidate said them, at most ``limit``."""
    chosen: dict[int, Sentence] = {}
    for sentence in sentences:
        if sentence.index not in chosen:
            chosen[sentence.index] = sentence
        if len(chosen) >= limit:
            break
    return tuple(quote_of(s) for _, s in sorted(chosen.items()))
