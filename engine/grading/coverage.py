"""Which expected points the answer covers, by meaning, and which dimensions each sentence is about.

Two rules keep the credit honest:

* **One idea, one or two points.** Points are handed to clauses greedily, most similar pair
  first; a clause covers at most ``CHUNK_CAPACITY`` points, and a sentence covers points of at
  most two dimensions. A vague
  line ("we want to balance catching fraud with keeping customers happy") sits close to half
  the question's points at once; without the limit it would cover all of them.
* **Particular, and about this question** (``cover_sims``): a clause covers a point by what
  is specific to the point, not by the subject every point shares, and only when the clause is
  about this question at all.
* **Each sentence is about one or two dimensions** (``allocate``): the dimension whose points
  (or, for a free question, whose rubric description) it is closest to, and a second one only
  when it is nearly as close. Evidence quotes and concept credit follow this allocation, so the
  same quote never appears under five dimensions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from engine.grading.meaning import AnswerMeaning

CHUNK_CAPACITY = 2
# similarity of a clause with an expected point (``cover_sims``: topic taken out, gated on the
# question): below LO no credit, from HI full credit
COVER_LO = 0.35
COVER_HI = 0.65
# a point counts as covered (for credit and evidence) once its clause reaches this similarity
COVERED_SIM = 0.45
# ...and it is not listed as missing once any clause comes this close (a loose paraphrase: the
# candidate said it in other words, even if not crisply enough for full credit)
TOUCHED_SIM = 0.35
# a second dimension keeps a sentence when its affinity is at least this share of the first
SECOND_DIMENSION_SHARE = 0.9
LEXICAL_AFFINITY = 0.08
# Without expected points (a free question) the rubric's generic description is a weak guide to
# what a sentence is about, so the dimension's own vocabulary weighs more.
FREE_LEXICAL_AFFINITY = 0.15


def ramp(value: float, low: float, high: float) -> float:
    """0 below ``low``, 1 above ``high``, linear between."""
    if value <= low:
        return 0.0
    if value >= high:
        return 1.0
    return (value - low) / (high - low)


@dataclass(frozen=True)
class PointCover:
    """The clause (by sentence index) that covers a point, and how closely (None: uncovered)."""

    point: str
    sentence_index: int | None
    similarity: float

    @property
    def covered(self) -> bool:
        return self.sentence_index is not None and self.similarity >= COVERED_SIM

    @property
    def touched(self) -> bool:
        return self.similarity >= TOUCHED_SIM

    @property
    def credit(self) -> float:
        if self.sentence_index is None:
            return 0.0
        return ramp(self.similarity, COVER_LO, COVER_HI)


# A clause covers a point only when it is also about this question: its closeness (cosine) to
# the question's own texts scales its cover similarity from 0 at GATE_LO to fully at GATE_HI.
GATE_LO = 0.2
GATE_HI = 0.4


def cover_sims(meaning: AnswerMeaning, dimension: str) -> np.ndarray:
    """(points x clauses): how closely each clause says each point, on the cover scale.

    Two conditions, each of which a gaming answer fails one way:

    * what the clause says must match what is *particular* to the point, with the question's
      topic taken out of both (``meaning.specific_similarity``): saying the subject over and
      over ("skips are a really interesting signal") should not cover the points about it;
    * the clause must be about this question (``GATE_LO``/``GATE_HI`` on its closeness to the
      prompt, context and interviewer facts): "ratings have selection bias" names a point of
      many questions, and applies it to none.
    """
    specific = (meaning.point_specific or {}).get(dimension)
    if specific is None:
        specific = meaning.point_sims[dimension]
    if not specific.size:
        return specific
    gate = np.clip((meaning.question_sim - GATE_LO) / (GATE_HI - GATE_LO), 0.0, 1.0)
    return specific * gate[None, :]


def assign_points(
    meaning: AnswerMeaning, points: Mapping[str, Sequence[str]]
) -> dict[str, list[PointCover]]:
    """Give each expected point its best still-free clause (see the module docstring)."""
    triples: list[tuple[float, str, int, int]] = []
    table = {d: cover_sims(meaning, d) for d in meaning.point_sims}
    for dimension, sims in table.items():
        if not sims.size:
            continue
        rows, cols = np.nonzero(sims >= COVER_LO)
        triples.extend(
            (float(sims[r, c]), dimension, int(r), int(c))
            for r, c in zip(rows.tolist(), cols.tolist(), strict=True)
        )
    triples.sort(key=lambda t: (-t[0], t[1], t[2], t[3]))
    taken: dict[tuple[str, int], PointCover] = {}
    load: dict[int, int] = {}
    sentence_dims: dict[int, set[str]] = {}
    for sim, dimension, row, col in triples:
        if (dimension, row) in taken or load.get(col, 0) >= CHUNK_CAPACITY:
            continue
        sentence = int(meaning.chunk_sentence[col])
        dims = sentence_dims.setdefault(sentence, set())
        if dimension not in dims and len(dims) >= 2:
            continue  # a sentence is about two dimensions at most
        dims.add(dimension)
        load[col] = load.get(col, 0) + 1
        taken[(dimension, row)] = PointCover(points[dimension][row], sentence, sim)
    result: dict[str, list[PointCover]] = {}
    for dimension, dim_points in points.items():
        sims = table.get(dimension)
        covers = []
        for row, point in enumerate(dim_points):
            cover = taken.get((dimension, row))
            if cover is None:
                best = float(sims[row].max()) if sims is not None and sims.shape[1] else 0.0
                cover = PointCover(point, None, best)
            covers.append(cover)
        result[dimension] = covers
    return result


def affinities(
    meaning: AnswerMeaning, lexical: Mapping[int, Mapping[str, float]]
) -> dict[int, dict[str, float]]:
    """Sentence index -> dimension -> how much the sentence is about it.

    The best similarity of the sentence's clauses with the dimension's expected points (or its
    rubric description when the question has none), plus a small bonus for the dimension's own
    vocabulary (``FREE_LEXICAL_AFFINITY`` for a free question), so "a holdout group" leans to
    experimentation even when no point says it.
    """
    result: dict[int, dict[str, float]] = {}
    for dimension in meaning.anchor_sims:
        sims = meaning.point_sims.get(dimension)
        has_points = sims is not None and sims.shape[0] > 0
        per_chunk = sims.max(axis=0) if has_points else meaning.anchor_sims[dimension]
        weight = LEXICAL_AFFINITY if has_points else FREE_LEXICAL_AFFINITY
        for sentence, value in meaning.sentence_max(per_chunk).items():
            bonus = weight * lexical.get(sentence, {}).get(dimension, 0.0)
            result.setdefault(sentence, {})[dimension] = value + bonus
    return result


def allocate(
    affinity: Mapping[int, Mapping[str, float]],
    covers: Mapping[str, Sequence[PointCover]] | None = None,
) -> dict[int, frozenset[str]]:
    """Sentence index -> the one or two dimensions it is most about.

    A sentence that covers expected points is about the dimensions of those points (the two
    closest when it covers more); any other sentence goes by ``affinity``.
    """
    allocation: dict[int, frozenset[str]] = {}
    covered: dict[int, dict[str, float]] = {}
    for dimension, dim_covers in (covers or {}).items():
        for cover in dim_covers:
            if cover.covered and cover.sentence_index is not None:
                best = covered.setdefault(cover.sentence_index, {})
                best[dimension] = max(best.get(dimension, 0.0), cover.similarity)
    for sentence, dims in covered.items():
        ranked = sorted(dims.items(), key=lambda kv: (-kv[1], kv[0]))
        allocation[sentence] = frozenset(d for d, _ in ranked[:2])
    for sentence, scores in affinity.items():
        if sentence in allocation:
            continue
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked:
            continue
        chosen = [ranked[0][0]]
        if len(ranked) > 1 and ranked[1][1] >= SECOND_DIMENSION_SHARE * ranked[0][1]:
            chosen.append(ranked[1][0])
        allocation[sentence] = frozenset(chosen)
    return allocation
