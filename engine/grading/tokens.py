"""Word-level text helpers shared by the offline grader: tokens, stop words and a light stemmer.

Matching an answer against expected points "by meaning" needs the same normal form on both
sides: "ranking latency" and "the ranker's latencies" should meet. A full Porter stemmer is more
than the job needs; a conservative suffix stripper applied identically to both sides is enough
and keeps grading fast and dependency-free.
"""

from __future__ import annotations

import re
from functools import lru_cache


def word_set(words: str) -> frozenset[str]:
    """A frozenset from a whitespace-separated word list (keeps long vocabularies readable)."""
    return frozenset(words.split())


TOKEN_RE = re.compile(r"[a-z0-9]+(?:['’/-][a-z0-9]+)*")  # applied to lower-cased text

# Function words: they carry grammar, not content. Their share of an answer also tells a real
# sentence from a bare list of buzzwords, and English from another language.
STOP_WORDS: frozenset[str] = word_set(
    """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't cannot could couldn't did didn't do does
    doesn't doing don't down during each either else even ever every few for from further get
    gets getting got had hadn't has hasn't have haven't having he her here hers herself him
    himself his how however i i'd i'll i'm i've if in into is isn't it it's its itself just
    let let's may me might more most much must mustn't my myself need no nor not now of off on
    once one only or other ought our ours ourselves out over own per quite rather really same
    say says shall she should shouldn't so some such than that that's the their theirs them
    themselves then there there's these they they'd they'll they're they've thing things this
    those though through to too under until up upon us very via want wants was wasn't way we
    we'd we'll we're we've well were weren't what what's when where whether which while who
    whom whose why will with within without won't would wouldn't yet you you'd you'll you're
    you've your yours yourself yourselves going gonna kind sort like um uh er erm hmm okay ok
    yeah yes right basically actually lot lots maybe probably think know mean guess something
    """
)

# Suffixes stripped longest first; the stem must keep at least three letters.
_SUFFIXES: tuple[str, ...] = (
    "ational",
    "ization",
    "isation",
    "fulness",
    "iveness",
    "ations",
    "ation",
    "ments",
    "ment",
    "ness",
    "ings",
    "ing",
    "ities",
    "ity",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "s",
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; apostrophes and hyphens stay inside words ("don't", "a/b")."""
    return TOKEN_RE.findall(text.lower().replace("’", "'"))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Strip one common English suffix so inflections of a word compare equal.

    Why so light: over-stemming merges unrelated words ("university" and "universe") which would
    let vague answers match specific expected points. One suffix, stems of three letters or more.
    """
    word = word.lower().strip("'")
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            if suffix == "ies":
                return base + "y"
            if suffix in ("ing", "ed", "er") and len(base) >= 4 and base[-1] == base[-2]:
                return base[:-1]  # "running" -> "run", "dropped" -> "drop"
            return base
    return word


def content_words(text: str) -> list[str]:
    """Tokens that carry meaning (no stop words, no single letters), in order."""
    return [t for t in tokenize(text) if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())]


def stopword_ratio(tokens: list[str]) -> float:
    """Share of tokens that are English function words (0 for an empty list)."""
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if t in STOP_WORDS) / len(tokens)
