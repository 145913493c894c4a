"""Match a question's expected points against the answer by meaning, not by exact wording.

An expected point such as "retention of users over weeks" should be found in "we should make
sure viewers keep returning week after week". Both sides go through the same normal form:
content words only, lightly stemmed, and mapped onto a synonym group ("viewer" and "customer"
become "user", "ms" and "slow" become "latency"). A point is covered by a sentence when enough
of its weighted content words appear there; generic words ("user", "model", "data") count
half, so a vague sentence cannot cover a specific point by sharing only them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from engine.grading.tokens import content_words, stem, word_set

_SYNONYM_GROUPS: dict[str, str] = {
    "user": "user viewer customer member people person audience shopper listener reader "
    "subscriber consumer visitor",
    "creator": "creator author uploader publisher artist producer",
    "click": "click tap ctr clickthrough",
    "latency": "latency slow fast millisecond ms speed response realtime",
    "experiment": "experiment a/b ab split trial randomize randomise randomized treatment",
    "metric": "metric measure kpi indicator",
    "retention": "retention retain churn return returning",
    "diversity": "diversity diverse variety serendipity varied",
    "guardrail": "guardrail counter-metric countermetric",
    "holdout": "holdout hold-out",
    "model": "model classifier ranker predictor",
    "fresh": "fresh recent recency stale",
    "watch": "watch view viewing",
    "explore": "explore exploration bandit exploit exploitation",
    "label": "label target annotation",
    "engagement": "engagement engage interaction activity",
    "revenue": "revenue money income sales gmv monetization monetisation",
    "segment": "segment slice cohort breakdown split",
    "decide": "decide decision choose choice pick recommend ship launch",
    "tradeoff": "tradeoff trade-off weigh balance versus against",
    "cap": "cap limit fewer reduce frequency throttle",
    "target": "target targeting personalize personalise tailor",
    "satisfaction": "satisfaction satisfied happy happiness delight",
    "cost": "cost expensive cheap compute",
    "privacy": "privacy private consent",
    "fair": "fair fairness equity equitable",
    "longterm": "long-term longterm",
    "shortterm": "short-term shortterm",
    "bias": "bias biased skew skewed",
    "feedback": "feedback signal",
    "noise": "noise noisy",
    "novelty": "novelty novel newness",
    "cold": "cold cold-start",
    "power": "power sample significance significant",
    "rollback": "rollback revert",
    "logging": "logging log logs instrumentation tracking",
    "baseline": "baseline heuristic",
}
# Words that describe what the candidate should *do* in an expected point ("names the users",
# "explains why CTR misleads"), not what the point is about; an answer never needs to say them.
_META_WORDS = word_set(
    """name names naming state states stating explain explains explaining propose proposes
    proposing make makes treat treats look looks looking check checks use uses using mention
    mentions describe describes discuss discusses consider considers define defines defining
    identify identifies cover covers handle handles clear clearly concrete specific such e.g
    eg etc example examples including include includes ask asks asking separate separates
    one two both each"""
)
_ALTERNATIVES_RE = re.compile(r"\s+(?:such as|e\.g\.?|for example|like|including)\s+|,\s*|\s+or\s+")
_GENERIC = frozenset({"user", "model", "data", "metric", "feature", "system", "use", "make"})


@lru_cache(maxsize=1)
def _synonym_map() -> dict[str, str]:
    mapping: dict[str, str] = {}
    for canonical, words in _SYNONYM_GROUPS.items():
        for word in words.split():
            mapping[stem(word)] = canonical
    return mapping


@lru_cache(maxsize=65536)
def normalize_word(word: str) -> str:
    """The comparable form of one word: its stem, folded onto a synonym group if it has one."""
    stemmed = stem(word)
    return _synonym_map().get(stemmed, stemmed)


# Whisper writes "7-day" where a question file says "seven day", and speakers say "North Star"
# where a file says "north-star": compounds are compared by their parts, numbers as words.
_NUMBER_WORDS = {
    "1": "one", "2": "two", "3": "three", "4": "four", "5": "five", "6": "six", "7": "seven",
    "8": "eight", "9": "nine", "10": "ten", "30": "thirty", "50": "fifty", "100": "hundred",
}  # fmt: skip


def _parts(word: str) -> list[str]:
    pieces = [p for p in word.split("-") if p] if "-" in word else [word]
    return [_NUMBER_WORDS.get(p, p) for p in pieces]


def meaning_terms(text: str) -> frozenset[str]:
    """The set of normalized content words of a text (compounds split into their parts)."""
    return frozenset(normalize_word(p) for w in content_words(text) for p in _parts(w))


# Term weights in tenths, kept integral so overlaps do not depend on set iteration order
# (float sums in a different order can differ in the last bit and flip a threshold).
FULL_WEIGHT = 10
GENERIC_WEIGHT = 5
ECHO_WEIGHT = 3


@lru_cache(maxsize=4096)
def point_variants(point: str) -> tuple[frozenset[str], ...]:
    """The terms of a point, then of each of its parts ("X such as Y or Z" -> X+Y+Z, X, Y, Z).

    Expected points often carry examples; an answer that gives one of the examples in a full
    sentence has covered the point even though it never used the point's general wording.
    """
    whole = frozenset(t for t in meaning_terms(point) if t not in _META_WORDS)
    parts = []
    for piece in _ALTERNATIVES_RE.split(point):
        terms = frozenset(t for t in meaning_terms(piece) if t not in _META_WORDS)
        if terms and terms != whole and len(terms) >= 1:
            parts.append(terms)
    return (whole, *parts)


def _term_weight(term: str, echoed: frozenset[str] = frozenset()) -> int:
    """Generic words count half; words the question itself used count less still.

    Every answer repeats the question's own words ("home screen", "notifications"), so sharing
    them shows the candidate heard the question, not that they covered a specific point.
    """
    if term in echoed:
        return ECHO_WEIGHT
    return GENERIC_WEIGHT if term in _GENERIC else FULL_WEIGHT


def threshold(n_terms: int) -> float:
    """Share of a point's weighted content words a sentence must contain to cover it.

    Short points need all or most of their words; long, descriptive points ("weighs short-term
    active users against long-term trust") are covered by a sentence carrying their core.
    """
    if n_terms <= 1:
        return 1.0
    if n_terms == 2:
        return 0.99
    if n_terms == 3:
        return 0.6
    if n_terms == 4:
        return 0.5
    return 0.4


@dataclass(frozen=True)
class PointMatch:
    """Where (if anywhere) an expected point is covered, and how well.

    Attributes:
        point: the expected point as written in the question.
        sentence_index: the best-covering sentence, or None when not covered.
        overlap: weighted share of the point's content words found in that sentence (0..1).
    """

    point: str
    sentence_index: int | None
    overlap: float
    needed: float = 1.0

    @property
    def covered(self) -> bool:
        return self.sentence_index is not None


def match_point(
    point: str,
    sentence_terms: list[frozenset[str]],
    sentence_weights: list[float] | None = None,
    echoed: frozenset[str] = frozenset(),
) -> PointMatch:
    """Find the sentence that best covers ``point``.

    Among the sentences whose overlap passes the threshold, the one that reasons best (highest
    ``sentence_weights`` entry) wins, so the evidence quote is the explained mention rather than
    a passing one. ``echoed`` holds the question's own terms (see ``_term_weight``).
    """
    variants = [v for v in point_variants(point) if v]
    if not variants or not sentence_terms:
        return PointMatch(point, None, 0.0)
    best_overlap = 0.0
    needed_first = 1.0
    best_key: tuple[float, float] | None = None
    best_index: int | None = None
    for number, terms in enumerate(variants):
        total = sum(_term_weight(t, echoed) for t in terms)
        needed = threshold(len(terms))
        if number == 0:
            needed_first = needed
        elif len(terms) == 1 and next(iter(terms)) in _GENERIC | echoed:
            continue  # a lone generic or echoed word is no evidence of the point
        for index, have in enumerate(sentence_terms):
            shared = terms & have
            if not shared:
                continue
            overlap = sum(_term_weight(t, echoed) for t in shared) / total
            if number == 0:
                best_overlap = max(best_overlap, overlap)
            if overlap < needed:
                continue
            weight = sentence_weights[index] if sentence_weights else 1.0
            key = (weight, overlap)
            if best_key is None or key > best_key:
                best_key, best_index = key, index
    if best_key is None:
        return PointMatch(point, None, best_overlap, needed_first)
    return PointMatch(point, best_index, best_key[1], needed_first)
