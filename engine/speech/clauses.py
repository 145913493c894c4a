"""Cut text into the pieces a voice synthesises one at a time, so the first sound comes early.

The neural voice needs about as long to render a sentence as a listener needs to hear a third of
it, and nothing can play before the first piece is rendered. A 25-word question in one piece
keeps the candidate waiting almost half a second; its first clause alone is ready in a fraction
of that, and the rest renders while that clause plays. So:

- text is cut into sentences first, and sentences are never merged, so the same sentence gives
  the same pieces wherever it appears (pre-synthesised pieces are found again by their text);
- a long sentence is cut after commas, semicolons and colons and around dashes, and a still long
  piece once before the "and", "but", "because", "which", ... nearest its middle;
- a long opening piece is cut once more at the first natural break within its first few words
  (prepositions count there), because the opening piece decides how soon the voice starts;
- pieces too short to sound natural on their own are joined to a neighbour.

Only whitespace is ever cut: joining the pieces with single spaces gives back the text exactly.
"""

from __future__ import annotations

import re

LONG_SENTENCE_WORDS = 12
"""A sentence up to this many words is spoken as one piece (it renders fast enough)."""

LONG_PIECE_WORDS = 14
"""A clause longer than this is cut again before a conjunction."""

OPENING_MAX_WORDS = 7
"""The opening piece of a sentence is cut to at most this many words when a break allows."""

MIN_PIECE_WORDS = 3
"""Shorter pieces join a neighbour ("So," alone sounds clipped)."""

_SENTENCE_END = re.compile(r"[.!?][\"')\]]*$")
_CLAUSE_END = re.compile(r"[,;:][\"')\]]*$")
_DASHES = {"-", "–", "—", "--"}
_CONJUNCTIONS = frozenset(
    {"and", "but", "or", "so", "because", "which", "while", "whereas", "although", "then"}
    | {"if", "when", "where", "unless", "since", "that"}
)
_PREPOSITIONS = frozenset(
    {"for", "in", "on", "with", "to", "of", "from", "about", "after", "before", "without"}
    | {"at", "by", "into", "over", "under", "between", "across", "during"}
)


def split_sentences(text: str) -> list[list[str]]:
    """Words of ``text`` grouped into sentences (cut after ., ! or ? ending a word)."""
    sentences: list[list[str]] = []
    current: list[str] = []
    for word in text.split():
        current.append(word)
        if _SENTENCE_END.search(word):
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def split_for_speech(text: str) -> list[str]:
    """The pieces to synthesise, in order; ``" ".join(pieces) == " ".join(text.split())``."""
    pieces: list[str] = []
    for sentence in split_sentences(text):
        pieces.extend(" ".join(words) for words in _split_sentence(sentence))
    return pieces


def _split_sentence(words: list[str]) -> list[list[str]]:
    if len(words) <= LONG_SENTENCE_WORDS:
        return [words]
    clauses = _cut(words, _clause_breaks(words))
    pieces: list[list[str]] = []
    for clause in clauses:
        pieces.extend(_halve(clause))
    pieces = _join_short(pieces)
    head = pieces[0]
    if len(head) > OPENING_MAX_WORDS:
        cut = _opening_break(head)
        if cut:
            pieces[0:1] = [head[:cut], head[cut:]]
    return pieces


def _halve(words: list[str]) -> list[list[str]]:
    """Cut a long clause before the conjunction nearest its middle, again while still long.

    One cut at a time, not one at every conjunction: "what would you do / if it rises / while
    ..." sounds choppy, and each later piece only has to be ready before the one before ends.
    """
    if len(words) <= LONG_PIECE_WORDS:
        return [words]
    breaks = _word_breaks(words, _CONJUNCTIONS)
    if not breaks:
        return [words]
    cut = min(breaks, key=lambda index: abs(index - len(words) / 2))
    return _halve(words[:cut]) + _halve(words[cut:])


def _clause_breaks(words: list[str]) -> list[int]:
    """Indexes where a new piece may start: after a clause mark, at and after a dash."""
    breaks: list[int] = []
    for index, word in enumerate(words[:-1]):
        if _CLAUSE_END.search(word):
            breaks.append(index + 1)
        elif word in _DASHES and index > 0:
            breaks.append(index)  # the dash opens the next piece, where it is spoken as a pause
    return breaks


def _word_breaks(words: list[str], starters: frozenset[str]) -> list[int]:
    """Indexes of words that may open a piece (``starters``), keeping both sides long enough."""
    return [
        index
        for index in range(MIN_PIECE_WORDS, len(words) - MIN_PIECE_WORDS + 1)
        if words[index].lower().strip("\"'(") in starters
    ]


def _opening_break(words: list[str]) -> int:
    """The best cut of a long opening piece within its first ``OPENING_MAX_WORDS`` words, or 0.

    A conjunction beats a preposition; among equals the latest cut wins (a fuller first piece
    sounds more natural and is still short).
    """
    for starters in (_CONJUNCTIONS, _PREPOSITIONS):
        cuts = [i for i in _word_breaks(words, starters) if i <= OPENING_MAX_WORDS]
        if cuts:
            return cuts[-1]
    return 0


def _cut(words: list[str], breaks: list[int]) -> list[list[str]]:
    pieces: list[list[str]] = []
    start = 0
    for index in breaks:
        if start < index < len(words):
            pieces.append(words[start:index])
            start = index
    pieces.append(words[start:])
    return pieces


def _join_short(pieces: list[list[str]]) -> list[list[str]]:
    """Join pieces under ``MIN_PIECE_WORDS`` words to the next one (the last to the previous)."""
    joined: list[list[str]] = []
    carry: list[str] = []
    for piece in pieces:
        piece = carry + piece
        carry = []
        if len(piece) < MIN_PIECE_WORDS:
            carry = piece
        else:
            joined.append(piece)
    if carry:
        if joined:
            joined[-1] = joined[-1] + carry
        else:
            joined.append(carry)
    return joined
