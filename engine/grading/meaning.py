"""Compare what the answer says with what the question needs, by meaning (sentence embeddings).

The lexical grader counts words, so a paraphrase that shares none of them is missed and a list
of rubric words is rewarded. Here every answer sentence is cut into clauses of a few words
(``chunks``: a long spoken sentence carries several ideas, and one vector per sentence blurs
them), each clause is embedded, and compared by cosine similarity with:

* the question itself: its prompt, context and the facts its interviewer would give when asked
  (``clarifications``): closeness to these says the clause is about *this* product, its users
  and its numbers rather than about product questions in general;
* each expected point, per rubric dimension;
* each red-flag claim (sentences that commit a typical mistake);
* for free questions, which have no expected points, the rubric's description of a strong
  answer on each dimension.

Nothing here decides a score: ``scoring.py``, ``relevance.py`` and ``red_flags.py`` read these
similarities. Only sentences that may earn credit (not addressed to the grader, not repeats) are
embedded, at most ``MAX_SENTENCES`` of them, so a 10,000-word transcript stays bounded in time;
sentences past the cap are graded by their words alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from engine.grading.analysis import AnswerAnalysis
from engine.grading.embedding import vectors
from engine.questions.model import Question
from engine.rubric import DIMENSION_BY_ID

MAX_SENTENCES = 100
MIN_CHUNK_WORDS = 7
MIN_TAIL_WORDS = 4
_CLAUSE_RE = re.compile(
    r"[,;:\u2014]\s+|\s+-+\s+|\s+(?=(?:so|because|but|and then|which|since|while|whereas|"
    r"otherwise|unless|then)\s)",
    re.IGNORECASE,
)


# A clause most of whose word triples were said before repeats earlier speech.
REPEATED_SHARE = 0.6
_WORD_RE = re.compile(r"[a-z0-9']+")


def _trigrams(text: str) -> list[tuple[str, ...]]:
    words = _WORD_RE.findall(text.lower())
    if len(words) < 3:
        return [tuple(words)] if words else []
    return [tuple(words[i : i + 3]) for i in range(len(words) - 2)]


def chunks_of(text: str) -> list[str]:
    """Clauses of at least ``MIN_CHUNK_WORDS`` words (short pieces join their neighbour)."""
    pieces = [p.strip() for p in _CLAUSE_RE.split(text) if p and p.strip()]
    out: list[str] = []
    current: list[str] = []
    for piece in pieces:
        current.append(piece)
        if len(" ".join(current).split()) >= MIN_CHUNK_WORDS:
            out.append(" ".join(current))
            current = []
    if current:
        tail = " ".join(current)
        if out and len(tail.split()) < MIN_TAIL_WORDS:
            out[-1] = f"{out[-1]} {tail}"
        else:
            out.append(tail)
    return out


def profile_texts(question: Question) -> list[str]:
    """Everything a question is about: its own texts and its expected points."""
    points = [p for dim_points in question.expected.values() for p in dim_points]
    return question_texts(question) + points


def question_texts(question: Question) -> list[str]:
    """What the question is about, in its own words: prompt, context, interviewer's facts."""
    texts = [question.prompt]
    if question.context:
        texts.append(question.context)
    texts.extend(str(reply) for reply in question.clarifications.values())
    return [t for t in texts if t.strip()]


@dataclass(frozen=True)
class AnswerMeaning:
    """Similarities between the answer's clauses and the question's texts.

    Attributes:
        chunk_sentence: for each clause, the index (``Sentence.index``) of its sentence.
        chunk_texts: the clause texts.
        question_sim: per clause, the best similarity with the question's own texts.
        point_sims: dimension -> (points x clauses) similarities with its expected points.
        point_specific: the same, with the question's topic taken out of both sides (see
            ``specific_similarity``): how close the clause comes to what is particular to the
            point, not to the subject every point and every on-topic sentence shares.
        anchor_sims: dimension -> per clause similarity with the rubric's "strong" text.
        claim_sims: one (claims x clauses) array per red flag, in the order given.
        answer_vector: the unit mean of the clause vectors (what the answer is about overall),
            or None when nothing was embedded.
        resaid_share: the share of clauses (after the first) that say again what an earlier
            clause said, judged with the question's topic taken out (``resaid_share``).
    """

    chunk_sentence: np.ndarray
    chunk_texts: tuple[str, ...]
    question_sim: np.ndarray
    point_sims: dict[str, np.ndarray]
    anchor_sims: dict[str, np.ndarray]
    claim_sims: tuple[np.ndarray, ...]
    answer_vector: np.ndarray | None = None
    point_specific: dict[str, np.ndarray] | None = None
    resaid_share: float = 0.0

    @property
    def size(self) -> int:
        return len(self.chunk_texts)

    def sentence_max(self, per_chunk: np.ndarray) -> dict[int, float]:
        """Reduce a per-clause array to its best value per sentence index."""
        best: dict[int, float] = {}
        for sentence, value in zip(self.chunk_sentence.tolist(), per_chunk.tolist(), strict=True):
            if value > best.get(sentence, -1.0):
                best[sentence] = value
        return best


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


def specific_similarity(points: np.ndarray, clauses: np.ndarray, topic: np.ndarray) -> np.ndarray:
    """(points x clauses) cosine after removing the ``topic`` direction from both sides.

    Why: a small sentence encoder is dominated by subject words, and every expected point and
    every on-topic sentence of an answer share the question's subject ("skips", "fraud"). A
    rambling answer that keeps naming the subject lands near many points at once. Projecting
    out the question's own direction (the unit mean of its prompt, context and interviewer
    facts) leaves more of what is particular to each side. Measured on the tuning half only:
    expected-point coverage computed this way orders on-topic answers by their labels
    noticeably better than with the plain cosine (Spearman of the mean soft coverage about
    0.79 against 0.68). It is a statistical gain, not a guarantee for every sentence.
    """
    if not points.size or not clauses.size:
        return points @ clauses.T
    raw = points @ clauses.T
    p_t = points @ topic
    c_t = clauses @ topic
    scale = np.sqrt(np.outer(np.clip(1 - p_t**2, 1e-6, None), np.clip(1 - c_t**2, 1e-6, None)))
    return ((raw - np.outer(p_t, c_t)) / scale).astype(np.float32)


# A clause this close to an earlier one (topic taken out) says the same thing again.
RESAID_SIM = 0.5


def resaid_share(clauses: np.ndarray, topic: np.ndarray) -> float:
    """Share of clauses after the first that re-say an earlier clause in other words.

    Why: near-verbatim repeats are dropped in ``analysis.py``, but a long and shallow answer
    repeats itself in new words ("it depends on the priorities... so it comes down to the
    priorities... it's really a balance"). Every clause is about the question's subject, so
    the subject is taken out first (``specific_similarity``); what is left close to an earlier
    clause is the same idea said again. Strong answers of any length stay near zero.
    """
    count = clauses.shape[0]
    if count < 2:
        return 0.0
    sims = specific_similarity(clauses, clauses, topic)
    earlier = np.tril(sims, k=-1)[1:, :]
    mask = np.tril(np.ones((count, count), dtype=bool), k=-1)[1:, :]
    best = np.where(mask, earlier, -1.0).max(axis=1)
    return float((best >= RESAID_SIM).mean())


_DECISION_SUFFIX_RE = re.compile(
    r",?\s+(?:with a decision|and decides|and lands on a decision)\b", re.IGNORECASE
)


def asks_decision(point: str) -> bool:
    """Whether an expected point asks for a call on top of what it names ("..., and decides")."""
    return bool(_DECISION_SUFFIX_RE.search(point))


def point_core(point: str) -> str:
    """An expected point without its "and decides" / "with a decision" tail.

    Why: such a point joins two things a candidate says in different sentences, the weighing
    ("both sides in money") and the call ("under that version I'd say yes"). Embedded whole, it
    sits close to neither sentence, so a clear weighing and a clear call both stayed below the
    cover threshold. The weighing is matched by meaning here; the call is checked on its own
    (``scoring._cover_points``: a decision point earns full credit only when the answer decides).
    """
    return _DECISION_SUFFIX_RE.sub("", point).strip()


def build_meaning(
    question: Question,
    analysis: AnswerAnalysis,
    dimensions: Sequence[str],
    claims: Sequence[Sequence[str]] = (),
) -> AnswerMeaning:
    """Embed the answer's creditable clauses and compare them with the question.

    Raises:
        EmbeddingUnavailable: the sentence-embedding model cannot be loaded.
    """
    chunk_sentence: list[int] = []
    chunk_texts: list[str] = []
    seen: set[tuple[str, ...]] = set()
    for facts in analysis.credited[:MAX_SENTENCES]:
        if len(facts.tokens) < 2:
            continue
        pieces = chunks_of(facts.sentence.text)
        said_here: list[tuple[str, ...]] = []
        for chunk in pieces:
            grams = _trigrams(chunk)
            if grams and sum(g in seen for g in grams) >= REPEATED_SHARE * len(grams):
                continue  # said before (perhaps glued to another sentence): adds no meaning
            said_here.extend(grams)
            chunk_sentence.append(facts.sentence.index)
            chunk_texts.append(chunk)
        seen.update(said_here)
    asked = question_texts(question)
    points = {d: [point_core(p) for p in question.expected.get(d, ())] for d in dimensions}
    anchors = [DIMENSION_BY_ID[d].strong for d in dimensions]
    flat_points = [p for d in dimensions for p in points[d]]
    flat_claims = [c for group in claims for c in group]
    side = vectors([*asked, *flat_points, *anchors, *flat_claims], cache=True)
    answer = vectors(chunk_texts) if chunk_texts else np.zeros((0, side.shape[1]), np.float32)
    sims = side @ answer.T  # (question-side texts) x (clauses)
    row = 0
    question_sim = sims[row : row + len(asked)].max(axis=0) if chunk_texts else np.zeros(0)
    row += len(asked)
    point_sims: dict[str, np.ndarray] = {}
    for d in dimensions:
        point_sims[d] = sims[row : row + len(points[d])]
        row += len(points[d])
    anchor_sims = {d: sims[row + i] for i, d in enumerate(dimensions)}
    row += len(anchors)
    claim_sims = []
    for group in claims:
        claim_sims.append(sims[row : row + len(group)])
        row += len(group)
    topic = _unit(side[: len(asked)].mean(axis=0)) if asked else None
    specific: dict[str, np.ndarray] = {}
    start = len(asked)
    for d in dimensions:
        rows = side[start : start + len(points[d])]
        start += len(points[d])
        specific[d] = point_sims[d] if topic is None else specific_similarity(rows, answer, topic)
    resaid = resaid_share(answer, topic) if topic is not None else 0.0
    mean = answer.mean(axis=0) if chunk_texts else None
    if mean is not None:
        norm = float(np.linalg.norm(mean))
        mean = mean / norm if norm > 0 else None
    return AnswerMeaning(
        answer_vector=mean,
        chunk_sentence=np.asarray(chunk_sentence, dtype=np.int64),
        chunk_texts=tuple(chunk_texts),
        question_sim=np.asarray(question_sim, dtype=np.float32),
        point_sims=point_sims,
        point_specific=specific,
        anchor_sims=anchor_sims,
        claim_sims=tuple(claim_sims),
        resaid_share=resaid,
    )
