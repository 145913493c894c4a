"""When the interviewer should steer the candidate back instead of grading and probing as usual.

A person across the table does not ask "what are the limits of CTR?" after an answer about a
different product, and does not hand out the solution when asked for it. This module recognises
those turns and words the interviewer's reply:

* an answer that does not address the question (the grade says so), or that only repeats the
  question back: the question is restated briefly ("Let's come back to the question: ...");
* a request for the solution ("just tell me the answer"): a neutral reply that there is no
  single answer wanted, then the question again;
* an answer that ran past its time limit: a polite wrap-up instead of a follow-up.

Nothing here ever mentions a question's expected points: the replies are built from the prompt
and fixed sentences only, so redirecting can never leak what a strong answer covers.
"""

from __future__ import annotations

import re
from functools import lru_cache

from engine.grading.analysis import analyse
from engine.grading.result import Grade
from engine.interviewer.generic_probes import mentions, normalise_for_matching
from engine.interviewer.phrasing import join_sentences, spoken
from engine.questions.model import Question
from engine.transcript import Transcript

COME_BACK_LEAD = "Let's come back to the question:"
SOLUTION_REPLY = (
    "There's no single right answer I'm looking for here. I'd like to hear how you would "
    "approach it, even if you're not sure."
)
ECHO_REPLY = "That's the question itself. Take a moment, then tell me how you would approach it."
WRAP_UP_LINE = "Thanks, we're over time on this one, so let's leave it there."

OFF_TOPIC_WARNING_START = "The answer never mentions what the question is about"
"""How the offline grader's off-topic warning begins (``engine.grading.topic``)."""

OFF_TOPIC_RELEVANCE = 0.5
"""Below this ``Grade.relevance`` an answer does not address the question (grading v2)."""

OVER_TIME_GRACE_S = 5.0
"""Finishing a sentence a few seconds past the limit is not running over."""

MAX_BRIEF_WORDS = 30
"""A restated question longer than this is cut to its last sentence: the actual ask."""

ECHO_SHARE = 0.75
"""An answer whose words are at least this share the question's own words only repeats it."""

SOLUTION_PHRASES: tuple[str, ...] = (
    "just tell me the answer",
    "tell me the answer",
    "tell me the right answer",
    "what is the answer",
    "what's the answer",
    "what is the right answer",
    "what's the right answer",
    "give me the answer",
    "give me the solution",
    "tell me the solution",
    "what is the solution",
    "what's the solution",
    "what would a good answer be",
    "what do you want me to say",
    "can you just tell me",
    "could you just tell me",
)
MAX_SOLUTION_REQUEST_WORDS = 25
"""A request for the solution is short; a long turn that contains the words is an answer."""

_ANNOTATION = re.compile(r"\[[^\]]*\]|\([^)]*\)|\*[^*]*\*|♪+")
"""What Whisper writes for non-speech ("[Music]", "(static)", "*cough*"), never words said."""


NOTHING_CREDITED_MIN_WORDS = 25
"""A turn this long that earned no evidence on any content dimension said nothing about the
question: gibberish, small talk, or a monologue about something else."""

GENERIC_MIN_CONCEPTS = 3
"""A low-relevance answer naming this many distinct product-sense concepts is generic talk on
the question (a template, jargon, signposts), not chat. On the tuning half of the grading
corpus templates, jargon and signpost-only answers name 3 to 24; small talk, monologues about
oneself and answers in another language name 2 at most."""

GENERIC_LEAD = "That could apply to any product."
"""Said before the probe when a generic answer is probed rather than redirected: the candidate
hears why the interviewer digs into a gap they seemed to have named (no expected point in it)."""


def grade_is_off_topic(grade: Grade, text: str | None = None) -> bool:
    """Whether the grade says the answer does not address the asked question.

    Grading v2 gives a ``relevance`` (0-1). Low relevance has two kinds, and only one is a
    reason to restate the question: an answer about *another* question (the grade names it in
    ``closer_question``), small talk or gibberish. A template, a list of jargon or a signposted
    frame is low on relevance too, yet it is on this question's ground and only generic: a
    person across the table asks for the biggest gap, made concrete, rather than repeating the
    question (``is_generic_on_question``; it needs the answer's ``text``, and without it a low
    relevance counts as off topic).

    The first offline grader only warns when the answer never uses the question's subject words
    (bank questions only). A substantial answer in which the grader found nothing to quote on
    any content dimension is treated the same way: it is what gibberish or chat looks like from
    the grade, on free questions too. Either is again forgiven to a generic answer on the
    question, so a template is probed whatever its relevance came to.
    """
    if not _misses_the_question(grade):
        return False
    return text is None or not is_generic_on_question(grade, text)


def is_generic_answer(grade: Grade, text: str) -> bool:
    """Whether the grade would call the answer off topic but it is generic talk on the question.

    Such an answer is probed, and the probe asks for it made concrete (``GENERIC_LEAD``).
    """
    return _misses_the_question(grade) and is_generic_on_question(grade, text)


def _misses_the_question(grade: Grade) -> bool:
    """What the grade alone says: low relevance, the subject-word warning, or nothing credited."""
    relevance = getattr(grade, "relevance", None)
    if relevance is not None and float(relevance) < OFF_TOPIC_RELEVANCE:
        return True
    if any(w.startswith(OFF_TOPIC_WARNING_START) for w in grade.warnings):
        return True
    content = [d for d in grade.dimensions if d.id != "communication" and d.score is not None]
    long_enough = grade.pacing.words >= NOTHING_CREDITED_MIN_WORDS
    return long_enough and bool(content) and not any(d.evidence for d in content)


def is_generic_on_question(grade: Grade, text: str) -> bool:
    """Whether a low-relevance answer is generic talk on the question rather than beside it.

    It is when it is about no other question in particular (``Grade.closer_question``), is
    long enough to be an attempt (``NOTHING_CREDITED_MIN_WORDS``) and speaks the interview's
    language: at least ``GENERIC_MIN_CONCEPTS`` distinct product-sense concepts of the grader's
    lexicon (a metric, a guardrail, a trade-off, an experiment ...). Small talk, a story about
    oneself, gibberish and another language name one or two at most.
    """
    if getattr(grade, "closer_question", None):
        return False
    if grade.pacing.words < NOTHING_CREDITED_MIN_WORDS:
        return False
    return len(rubric_concepts(text)) >= GENERIC_MIN_CONCEPTS


@lru_cache(maxsize=32)
def rubric_concepts(text: str) -> frozenset[str]:
    """The grader's lexicon concepts the text names, in sentences that may earn credit.

    Remembered per text: one turn asks both whether it is generic and whether it is off topic.
    """
    analysis = analyse(Transcript.from_text(without_annotations(text), 0.0))
    found: set[str] = set()
    for fact in analysis.facts:
        if fact.counts:
            found.update(fact.concepts)
    return frozenset(found)


def without_annotations(text: str) -> str:
    """The transcript with Whisper's non-speech annotations removed."""
    return " ".join(_ANNOTATION.sub(" ", text).split())


def is_solution_request(text: str) -> bool:
    """True when the turn asks the interviewer for the answer instead of giving one."""
    if len(text.split()) > MAX_SOLUTION_REQUEST_WORDS:
        return False
    return mentions(normalise_for_matching(text), SOLUTION_PHRASES)


def echoes_question(text: str, question: Question) -> bool:
    """True when the turn is (mostly) the question read back, with nothing of the candidate's.

    Compared word by word: at least ``ECHO_SHARE`` of the turn's words occur in the prompt or
    context, and the turn is no longer than the question plus a few words.
    """
    written = f"{question.context} {question.prompt}"
    asked = _words(f"{written} {spoken(question.context)} {spoken(question.prompt)}")
    said = _words(spoken(text))  # Whisper writes "3%" where the prompt says "three percent"
    if len(said) < 4 or not asked:
        return False
    if len(said) > len(_words(spoken(written))) + 12:
        return False
    shared = sum(1 for w in said if w in set(asked))
    return shared / len(said) >= ECHO_SHARE


def brief_question(question: Question) -> str:
    """The question restated in a sentence or two (the prompt; its last sentence if long)."""
    prompt = spoken(question.prompt)
    if len(prompt.split()) <= MAX_BRIEF_WORDS:
        return prompt
    sentences = re.split(r"(?<=[.?!])\s+", prompt)
    return sentences[-1]


def come_back_line(question: Question, lead: str = "") -> str:
    """``lead`` (if any), then "Let's come back to the question: <the question>"."""
    return join_sentences(lead, f"{COME_BACK_LEAD} {brief_question(question)}")


def ran_over(duration_s: float, window_s: float | None) -> bool:
    """Whether an answer of ``duration_s`` ran past its window (None: untimed, never)."""
    return window_s is not None and duration_s > window_s + OVER_TIME_GRACE_S


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))
