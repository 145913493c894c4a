"""Find the lexicon's concepts in an answer: compiled phrase patterns and a fast pre-check.

The vocabulary itself lives in ``lexicon.py``; this module turns each concept's phrases into one
whole-word regular expression and reports every mention with its character offset, so the
analysis can tie mentions to sentences (and sentences to timestamps).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from engine.grading.lexicon import CONCEPTS, Concept


def _phrase_pattern(phrase: str) -> str:
    if phrase.startswith("re:"):
        return phrase[3:]
    wildcard = phrase.endswith("*")
    body = phrase.rstrip("*").strip()
    parts = [re.escape(p) for p in body.split()]
    pattern = r"[\s\-]+".join(parts)
    pattern = pattern.replace("'", "['’]")
    # Most phrases also match their plural; a wildcard matches any ending.
    tail = r"[\w'’-]*" if wildcard else r"(?:s|es)?"
    return pattern + tail


_KEY_SPLIT_RE = re.compile(r"[\s\-/]+")
_TEXT_WORD_RE = re.compile(r"[a-z0-9'’]+")


@dataclass(frozen=True)
class _Keys:
    """What a text must contain for a concept to possibly match (a cheap pre-check).

    ``words``: first words of the concept's phrases; ``prefixes``: first words that end in a
    wildcard; ``always``: the concept has a raw-regex phrase and is always run.
    """

    words: frozenset[str]
    prefixes: frozenset[str]
    always: bool


def _keys(concept: Concept) -> _Keys:
    words, prefixes, always = set(), set(), False
    for phrase in concept.phrases:
        if phrase.startswith("re:"):
            always = True
            continue
        pieces = [p for p in _KEY_SPLIT_RE.split(phrase.lower()) if p]
        first = pieces[0]
        if first.endswith("*") and len(pieces) == 1:
            prefixes.add(first.rstrip("*"))
        else:
            words.add(first.rstrip("*"))
            if first.endswith("*"):
                prefixes.add(first.rstrip("*"))
    return _Keys(frozenset(words), frozenset(prefixes), always)


@lru_cache(maxsize=2)
def concept_patterns(
    ignore_case: bool = False,
) -> tuple[tuple[Concept, re.Pattern[str], _Keys], ...]:
    """Each concept with one compiled whole-word regex of its phrases, and its pre-check keys.

    By default the patterns expect lower-cased text (``find_concepts`` lower-cases once): that
    runs about twice as fast as case-insensitive matching, which matters for long answers.
    """
    compiled = []
    for concept in CONCEPTS:
        alternatives = sorted((_phrase_pattern(p) for p in concept.phrases), key=len, reverse=True)
        regex = r"(?<![\w/])(?:" + "|".join(alternatives).lower() + r")(?![\w/])"
        flags = re.IGNORECASE if ignore_case else 0
        compiled.append((concept, re.compile(regex, flags), _keys(concept)))
    return tuple(compiled)


def _text_keys(lowered: str, max_prefix: int) -> tuple[set[str], set[str]]:
    words = {w.replace("’", "'") for w in _TEXT_WORD_RE.findall(lowered)}
    prefixes = {w[:n] for w in words for n in range(1, min(len(w), max_prefix) + 1)}
    return words, prefixes


@lru_cache(maxsize=1)
def _max_prefix() -> int:
    return max((len(p) for _, _, k in concept_patterns() for p in k.prefixes), default=1)


def find_concepts(text: str) -> list[tuple[int, str]]:
    """(char offset, concept id) of every concept mention in ``text``, in lexicon order.

    Only concepts whose phrases could start with one of the text's words are searched: an
    answer mentions a dozen of the lexicon's sixty concepts, and skipping the rest keeps a
    30-minute transcript fast.
    """
    lowered = text.lower()
    # Lower-casing keeps offsets for almost all text; when it does not (a few non-ASCII
    # letters expand), fall back to case-insensitive patterns on the original.
    ignore_case = len(lowered) != len(text)
    target = text if ignore_case else lowered
    words, prefixes = _text_keys(lowered, _max_prefix())
    found = []
    for concept, pattern, keys in concept_patterns(ignore_case):
        if not (keys.always or keys.words & words or keys.prefixes & prefixes):
            continue
        found.extend((match.start(), concept.id) for match in pattern.finditer(target))
    return found
