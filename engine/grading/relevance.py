"""Relevance 0-1: does the answer address the question that was asked?

A good answer to another question, small talk or a monologue about oneself can be fluent and
full of rubric words; what it lacks is closeness to *this* question. Two measures, both from the
answer's mean clause vector (``meaning.py``) and a question's *profile* (the unit mean of its
prompt, context, interviewer facts and expected points):

* **closeness**: cosine with this question's profile. Small talk, a monologue about oneself
  and a template that names no product sit far from it.
* **margin**: closeness to this question minus closeness to the nearest *other* question of the
  bundled bank. A strong answer about card-fraud metrics, given to a feed-engagement question,
  is close to the fraud question and far from the feed one: a clearly negative margin. Two
  bank questions on the same subject (or a user question copied from one) give a margin near
  zero for an on-topic answer, which still counts as relevant.

Each is mapped linearly onto 0-1 between its bounds and relevance is the smaller of the two;
below ``OFF_TOPIC_BELOW`` (0.5, in ``result.py``) the answer is treated as not addressing the
question. Bank profiles come from the on-disk embedding cache after the first run.
"""

from __future__ import annotations

import threading

import numpy as np

from engine.grading.coverage import ramp
from engine.grading.embedding import vectors
from engine.grading.meaning import AnswerMeaning, profile_texts
from engine.questions.model import Question

CLOSENESS_LO = 0.28
CLOSENESS_HI = 0.40
MARGIN_LO = -0.25
MARGIN_HI = -0.07
# A bank question whose prompt is this close (cosine) to the asked one is about the same subject
# (a free or user question copied from the bank): it is not "another question" for the margin.
# Distinct bank prompts reach 0.71 with each other.
SAME_SUBJECT = 0.75
# A free question (``--question-text``) has only its prompt for a profile: a thin target, so an
# on-topic answer sits further from it, and nearer to some bank question, than it would for a
# bank question. Its bounds are wider.
FREE_CLOSENESS = (0.10, 0.25)
FREE_MARGIN = (-0.60, -0.35)
# A question of the user's own with only a few expected points is as thin a target as a free
# one (every bundled question has a dozen or more), so it is judged with the same wide bounds.
THIN_PROFILE_POINTS = 6

_lock = threading.Lock()
_profiles: dict[tuple[str, ...], np.ndarray] = {}


def _unit_mean(rows: np.ndarray) -> np.ndarray:
    mean = rows.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean


def profiles(questions: list[Question]) -> np.ndarray:
    """(questions x dim) unit profile vectors, remembered by the questions' texts."""
    keys = [tuple(profile_texts(q)) for q in questions]
    with _lock:
        todo = [k for k in dict.fromkeys(keys) if k not in _profiles]
    if todo:
        flat = [t for key in todo for t in key]
        rows = vectors(flat, cache=True)
        start = 0
        fresh = {}
        for key in todo:
            fresh[key] = _unit_mean(rows[start : start + len(key)])
            start += len(key)
        with _lock:
            _profiles.update(fresh)
    with _lock:
        return np.stack([_profiles[k] for k in keys])


def bank_profiles() -> np.ndarray:
    """Profiles of every bundled and user bank question (embedded once, then from cache)."""
    from engine.questions.bank import default_bank

    return profiles([q for q in default_bank().questions if q.expected])


def _other_questions(question: Question) -> list[Question]:
    from engine.questions.bank import default_bank

    return [q for q in default_bank().questions if q.id != question.id and q.expected]


def closeness_and_margin(meaning: AnswerMeaning, question: Question) -> tuple[float, float]:
    """Cosine of the answer with the question's profile, and its lead over the nearest other."""
    if meaning.answer_vector is None:
        return 0.0, -1.0
    others = _other_questions(question)
    if others:
        prompts = vectors([question.prompt, *(q.prompt for q in others)], cache=True)
        same = prompts[1:] @ prompts[0]
        others = [q for q, sim in zip(others, same.tolist(), strict=True) if sim < SAME_SUBJECT]
    table = profiles([question, *others])
    sims = table @ meaning.answer_vector
    own = float(sims[0])
    best_other = float(sims[1:].max()) if len(others) else -1.0
    return own, own - best_other


def relevance(meaning: AnswerMeaning, question: Question) -> float:
    """How squarely the answer addresses ``question``, 0-1 (0 when nothing was embedded)."""
    if meaning.answer_vector is None:
        return 0.0
    own, margin = closeness_and_margin(meaning, question)
    points = sum(len(v) for v in question.expected.values())
    if points >= THIN_PROFILE_POINTS:
        near = (CLOSENESS_LO, CLOSENESS_HI)
        lead = (MARGIN_LO, MARGIN_HI)
    else:
        near, lead = FREE_CLOSENESS, FREE_MARGIN
    return min(ramp(own, *near), ramp(margin, *lead))


def topicality(meaning: AnswerMeaning) -> np.ndarray:
    """Per clause: the best similarity with the question's texts or its expected points.

    A clause is *applied* to the question to the degree it is topical (``offline.py``).
    """
    best = meaning.question_sim.copy()
    for sims in meaning.point_sims.values():
        if sims.shape[0] and sims.shape[1]:
            best = np.maximum(best, sims.max(axis=0))
    return best


# An answer the grade calls off topic is *about another question* when some other bank question
# fits it this well (cosine with that question's profile) and by this lead over the asked one:
# a good answer to another question, not a generic or thin answer to this one. Set on the tuning
# half: answers to another question reach 0.78 and more with leads of 0.22 and more; generic,
# jargon and template answers to the asked question stay below 0.67, or lead by 0.15 at most (a
# template names no product, so it is close to no question in particular). The closeness bound
# sits low in that gap because a spoken answer is sometimes heard only in part, which lowers it.
OTHER_QUESTION_CLOSE = 0.70
OTHER_QUESTION_LEAD = 0.18


def closer_question(meaning: AnswerMeaning, question: Question) -> str | None:
    """The id of another bank question the answer clearly addresses instead of ``question``.

    None when no other question fits the answer both well and clearly better. Tells the two
    kinds of low relevance apart for the interviewer: an answer to another question is steered
    back to the asked one, a generic answer on the asked question is probed for its biggest gap.
    """
    if meaning.answer_vector is None:
        return None
    others = _other_questions(question)
    if not others:
        return None
    prompts = vectors([question.prompt, *(q.prompt for q in others)], cache=True)
    same = prompts[1:] @ prompts[0]
    others = [q for q, sim in zip(others, same.tolist(), strict=True) if sim < SAME_SUBJECT]
    if not others:
        return None
    sims = profiles([question, *others]) @ meaning.answer_vector
    best = int(np.argmax(sims[1:]))
    other = float(sims[1 + best])
    if other >= OTHER_QUESTION_CLOSE and other - float(sims[0]) >= OTHER_QUESTION_LEAD:
        return others[best].id
    return None
