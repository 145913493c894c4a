"""Read an answer once: sentences, which concepts each mentions, and how well each one reasons.

Scoring, the stage timeline and communication all look at the same per-sentence facts, so they
are computed here in one pass and shared (this is what keeps a 30-minute transcript fast).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from engine.grading.concepts import find_concepts
from engine.grading.fillers import count_fillers
from engine.grading.injection import is_grader_instruction
from engine.grading.lexicon import CONCEPTS
from engine.grading.matching import meaning_terms
from engine.grading.reasoning import SentenceQuality, assess
from engine.grading.sentences import Sentence, split_sentences
from engine.grading.tokens import STOP_WORDS, tokenize
from engine.transcript import Transcript


@dataclass(frozen=True)
class SentenceFacts:
    """What one sentence contributes.

    Attributes:
        sentence: the sentence with offsets and times.
        tokens: its lower-cased word tokens.
        quality: reasoning / list / decision classification.
        concepts: ids of lexicon concepts it mentions.
        terms: normalized content words, for matching expected points and repetition.
        injected: True when it addresses the grader; such sentences earn nothing.
        duplicate_of: index of an earlier sentence it repeats (near-verbatim), else None.
        fillers: filler words in it, by filler.
        relevance: dimension -> how squarely the sentence is about it (sum of the stage
            weights of its concepts of that dimension); used for stages and evidence ranking.
    """

    sentence: Sentence
    tokens: tuple[str, ...]
    quality: SentenceQuality
    concepts: frozenset[str]
    terms: frozenset[str]
    injected: bool
    duplicate_of: int | None
    fillers: dict[str, int]
    relevance: dict[str, float]

    @property
    def counts(self) -> bool:
        """Whether the sentence may earn credit (not an instruction, not a repeat)."""
        return not self.injected and self.duplicate_of is None


@dataclass(frozen=True)
class AnswerAnalysis:
    transcript: Transcript
    facts: tuple[SentenceFacts, ...]

    @property
    def credited(self) -> tuple[SentenceFacts, ...]:
        return tuple(f for f in self.facts if f.counts)

    @property
    def answer_word_count(self) -> int:
        """Words of the answer itself, without sentences addressed to the grader."""
        return sum(len(f.tokens) for f in self.facts if not f.injected)

    @property
    def tokens(self) -> list[str]:
        """All word tokens of the answer, in order."""
        return [t for f in self.facts for t in f.tokens]

    def filler_counts(self, include_injected: bool = True) -> dict[str, int]:
        """Filler counts over the answer (optionally without grader-addressed sentences)."""
        counts: dict[str, int] = {}
        for facts in self.facts:
            if facts.injected and not include_injected:
                continue
            for name, count in facts.fillers.items():
                counts[name] = counts.get(name, 0) + count
        return counts

    @property
    def injected(self) -> tuple[SentenceFacts, ...]:
        return tuple(f for f in self.facts if f.injected)


# A "sentence" naming five or more lexicon concepts with fewer than two content words each is
# a keyword dump glued together with connectives ("CTR because NDCG so that cold start").
SALAD_MIN_CONCEPTS = 5
SALAD_WORDS_PER_CONCEPT = 1.9


def _quality(text: str, tokens: list[str], concepts: set[str]) -> SentenceQuality:
    quality = assess(text, tokens)
    if len(concepts) >= SALAD_MIN_CONCEPTS and not quality.is_list:
        content = sum(1 for t in tokens if t not in STOP_WORDS)
        if content / len(concepts) < SALAD_WORDS_PER_CONCEPT:
            quality = replace(quality, is_list=True)
    return quality


_CONCEPT_STAGE = {c.id: (c.dimension, c.stage_weight) for c in CONCEPTS}


def _relevance(concept_ids: set[str]) -> dict[str, float]:
    relevance: dict[str, float] = {}
    for concept_id in sorted(concept_ids):  # fixed order: float sums must not depend on hashing
        dimension, weight = _CONCEPT_STAGE[concept_id]
        relevance[dimension] = relevance.get(dimension, 0.0) + weight
    return relevance


def _is_repeat(terms: frozenset[str], earlier: list[frozenset[str]]) -> int | None:
    """Index of an earlier sentence this one repeats (>= 85% of its terms shared), else None."""
    if len(terms) < 3:
        return None
    for index, other in enumerate(earlier):
        if len(other) < 3:
            continue
        shared = len(terms & other)
        if shared / len(terms) >= 0.85 and shared / len(other) >= 0.85:
            return index
    return None


# A sentence most of whose word triples were already said repeats earlier speech, even when the
# sentence boundaries fell differently the second time (an answer pasted twice, or a run-on
# stretch said again).
REPEATED_TRIGRAM_SHARE = 0.7
MIN_TRIGRAMS = 6


def _repeated_run(tokens: list[str], seen: dict[tuple[str, str, str], int]) -> int | None:
    """Index of the earlier sentence this one mostly re-says, by shared word triples."""
    grams = list(zip(tokens, tokens[1:], tokens[2:], strict=False))
    if len(grams) < MIN_TRIGRAMS:
        return None
    sources = [seen[g] for g in grams if g in seen]
    if len(sources) < REPEATED_TRIGRAM_SHARE * len(grams):
        return None
    return max(set(sources), key=lambda i: (sources.count(i), -i))


def analyse(transcript: Transcript) -> AnswerAnalysis:
    """Split, classify and tag every sentence of the answer."""
    sentences = split_sentences(transcript)
    text = transcript.text
    starts = [s.start_char for s in sentences]
    hits: list[set[str]] = [set() for _ in sentences]
    if sentences:
        for offset, concept_id in find_concepts(text):
            index = bisect.bisect_right(starts, offset) - 1
            if index >= 0:
                hits[index].add(concept_id)
    facts: list[SentenceFacts] = []
    seen_terms: list[frozenset[str]] = []
    by_signature: dict[frozenset[str], int] = {}
    trigrams: dict[tuple[str, str, str], int] = {}
    for sentence, concept_ids in zip(sentences, hits, strict=True):
        tokens = tokenize(sentence.text)
        terms = meaning_terms(sentence.text)
        duplicate = by_signature.get(terms) if len(terms) >= 3 else None
        if duplicate is None and len(seen_terms) < 400:
            duplicate = _is_repeat(terms, seen_terms)
        if duplicate is None:
            duplicate = _repeated_run(tokens, trigrams)
        for gram in zip(tokens, tokens[1:], tokens[2:], strict=False):
            trigrams.setdefault(gram, sentence.index)
        facts.append(
            SentenceFacts(
                sentence=sentence,
                tokens=tuple(tokens),
                quality=_quality(sentence.text, tokens, concept_ids),
                concepts=frozenset(concept_ids),
                terms=terms,
                injected=is_grader_instruction(sentence.text),
                duplicate_of=duplicate,
                fillers=count_fillers(sentence.text),
                relevance=_relevance(concept_ids),
            )
        )
        by_signature.setdefault(terms, sentence.index)
        seen_terms.append(terms)
    return AnswerAnalysis(transcript, tuple(facts))
