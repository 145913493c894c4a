"""Which sentences of an answer are tied to *this* question's specifics.

A jargon list ("north star metric, guardrails, novelty effects, segment by power users...")
names the right concepts but applies none of them: not one word of it is about the product,
its users or the numbers in the prompt, so it would read the same under any question. The
rubric calls that weak, and issue 10 asks that a concept count only when it is applied.

A sentence is *grounded* when it uses one of the question's own subject words (from its prompt
and context, without words any product question uses: "users", "model", "data", "metric"...,
nor the rubric's method vocabulary, "latency", "retention", "search ranking"), or one of the
roles the question names ("couriers", "hosts", "creators"), or states a quantity (a number, a
percentage, a duration): "the five percent drop in shares worries me" is applied, "counter
metrics so we don't Goodhart ourselves" is not. The test is by words on purpose: cheap,
explainable in the report, and the meaning-based checks (``meaning.py``) already decide whether
the sentence is about the question's points; this one only asks whether it is about its
*particulars*. A sentence within ``CONTEXT_SENTENCES`` of a grounded one counts as grounded:
spoken answers carry their subject over ("Hosts set prices weeks ahead. So the test has to run
through a full booking cycle").

Credit from an ungrounded sentence is discounted, not removed (``scoring.py``), because a
strong answer also has a few general sentences between its applied ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from engine.grading.analysis import AnswerAnalysis
from engine.grading.lexicon import CONCEPTS
from engine.grading.matching import meaning_terms
from engine.grading.tokens import stem, tokenize, word_set
from engine.grading.topic import NOT_A_SUBJECT_STEMS
from engine.questions.model import Question

CONTEXT_SENTENCES = 2
_QUANTITY_RE = re.compile(
    r"\b(?:\d[\d.,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|hundred|thousand|million|billion|percent|half|double|"
    r"twice|triple|quarter)\b|%"
)
# Words every product question shares once normalised (see ``matching.meaning_terms``): using
# them says nothing about this question in particular.
_SHARED = frozenset(
    {"user", "model", "data", "metric", "feature", "system", "use", "make", "engagement",
     "experiment", "decide", "click", "segment", "tradeoff", "measure", "test", "rate",
     "change", "result", "success", "goal", "keep", "give", "side", "similar", "several",
     "effect", "bring", "built", "shown", "suggest", "increas", "reduc", "ran", "tell",
     "appear", "inside"}
)  # fmt: skip


# Method vocabulary: the rubric's concepts of these dimensions ("latency", "search ranking",
# "retention", "novelty effect") name *how* to answer, not what the question is about, even
# when the prompt happens to use them; a jargon list would otherwise ground itself on them.
METHOD_DIMENSIONS = frozenset(
    {"metrics", "experimentation", "system_design", "tradeoffs", "diagnosis"}
)
# ...unless that would leave the question fewer particulars than this (a prompt made of
# method words, "what metrics tell whether product search is good?"): then they all count.
MIN_PARTICULAR = 3


@lru_cache(maxsize=1)
def _method_terms() -> frozenset[str]:
    phrases = (
        p
        for c in CONCEPTS
        if c.dimension in METHOD_DIMENSIONS
        for p in c.phrases
        if not p.startswith("re:")
    )
    return meaning_terms(re.sub(r"[^a-z0-9' -]", " ", " ".join(phrases).lower()))


def subject_terms(question: Question) -> frozenset[str]:
    """The question's own subject words, normalised like an answer's sentence terms."""
    texts: Iterable[str] = [question.prompt, question.context or ""]
    terms = meaning_terms(" ".join(texts))
    # The interviewer's facts are left out on purpose: they name rubric concepts ("latency",
    # "ratings", "novelty") that a jargon list says without applying anything.
    subject = frozenset(t for t in terms if t not in _SHARED and t not in NOT_A_SUBJECT_STEMS)
    particular = subject - _method_terms()
    return particular if len(particular) >= MIN_PARTICULAR else subject


# The people a product serves, by role. The matcher folds most of them into "user" (a
# viewer is a user), which says nothing particular; the role itself does when the question
# names it, in its prompt, context or expected points: "viewers want to be entertained and
# creators want an audience" is about a video feed's own people.
_ROLES = word_set(
    """viewer viewers creator creators listener listeners reader readers rider riders driver
    drivers seller sellers buyer buyers advertiser advertisers host hosts guest guests courier
    couriers shopper shoppers merchant merchants subscriber subscribers student students
    learner learners writer writers recruiter recruiters employer employers restaurant
    restaurants patient patients passenger passengers artist artists author authors player
    players agent agents moderator moderators cardholder cardholders traveler travelers
    traveller travellers"""
)


def question_roles(question: Question) -> frozenset[str]:
    """Stems of the roles the question names (see ``_ROLES``)."""
    points = [p for pts in question.expected.values() for p in pts]
    words = tokenize(" ".join([question.prompt, question.context or "", *points]))
    return frozenset(stem(w) for w in words if w in _ROLES)


def grounded_sentences(analysis: AnswerAnalysis, question: Question) -> frozenset[int]:
    """Indices of the credited sentences that use the question's particulars (see above)."""
    subject = subject_terms(question)
    roles = question_roles(question)
    facts = analysis.credited
    own = [
        bool(f.terms & subject)
        or bool(_QUANTITY_RE.search(f.sentence.text.lower()))
        or any(stem(t) in roles for t in f.tokens if t in _ROLES)
        for f in facts
    ]
    return frozenset(
        f.sentence.index
        for i, f in enumerate(facts)
        if any(own[max(0, i - CONTEXT_SENTENCES) : i + CONTEXT_SENTENCES + 1])
    )
