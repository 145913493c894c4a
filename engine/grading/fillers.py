"""Count filler words in a spoken answer, telling filler uses from meaningful ones.

"um", "uh" and "basically" are always filler (Whisper mostly leaves "um" and "uh" out; those
heard in the audio are added by ``pacing``). The others need context: "like" is filler in
"it's, like, slow" but not in "I'd like" or "signals like dwell time"; "kind of" is filler in
"it's kind of noisy" but not in "a kind of model"; "you know" is filler in "the users, you
know, churn" but not in "you know what they want". The heuristics look at the neighbouring
words and punctuation Whisper writes.
"""

from __future__ import annotations

import re

from engine.filler_words import FILLED_PAUSES
from engine.grading.tokens import word_set

_TOKEN_RE = re.compile(r"([A-Za-z][A-Za-z'’]*)([^\sA-Za-z]*)")
ALWAYS_FILLERS = {**FILLED_PAUSES, "basically": "basically"}
_KIND_OK_BEFORE = word_set(
    "a the this that what which any some every one same different each no other these those "
    "all new first second another"
)
_LIKE_OK_BEFORE = word_set(
    "would i you we they i'd we'd you'd they'd users people looks look looked seems seem feel "
    "feels felt sounds sound something things stuff much more just exactly really"
)
_YOU_KNOW_OK_AFTER = word_set(
    "that what how why whether if where when who which the a an your it this about them him her"
)


_CANDIDATE_RE = re.compile(
    r"\b(?:umm?|uhm|uhh?|erm?|hmm|basically|like|kind of|sort of|you know|i mean|actually)\b"
)


def count_fillers(text: str) -> dict[str, int]:
    """Filler counts by filler phrase ("um", "like", "you know", ...), only non-zero entries."""
    if not _CANDIDATE_RE.search(text.lower()):
        return {}
    tokens = [(m.group(1).lower().replace("’", "'"), m.group(2)) for m in _TOKEN_RE.finditer(text)]
    counts: dict[str, int] = {}

    def add(name: str) -> None:
        counts[name] = counts.get(name, 0) + 1

    for i, (word, punct) in enumerate(tokens):
        prev_word, prev_punct = tokens[i - 1] if i > 0 else ("", ".")
        next_word = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        clause_start = i == 0 or any(c in prev_punct for c in ".?!,;:")
        if word in ALWAYS_FILLERS:
            add(ALWAYS_FILLERS[word])
        elif word == "like":
            if next_word in ALWAYS_FILLERS or (
                "," in punct and prev_word not in _LIKE_OK_BEFORE and not punct.startswith(".")
            ):
                add("like")
        elif word in ("kind", "sort") and next_word == "of" and not punct:
            if prev_word not in _KIND_OK_BEFORE or clause_start:
                add(f"{word} of")
        elif word == "you" and next_word == "know" and not punct:
            after = tokens[i + 2][0] if i + 2 < len(tokens) else ""
            know_punct = tokens[i + 1][1]
            if know_punct or after not in _YOU_KNOW_OK_AFTER:
                add("you know")
        elif word == "i" and next_word == "mean" and not punct:
            know_punct = tokens[i + 1][1]
            after = tokens[i + 2][0] if i + 2 < len(tokens) else ""
            if "," in know_punct or (clause_start and after not in ("that", "to", "it", "is")):
                add("i mean")
        elif word == "actually" and (clause_start or "," in punct):
            add("actually")
    return counts
