"""Recognise a candidate's clarifying question and answer it the way the interviewer would.

Strong candidates open with "who are the users?" or "what's the scale?". When a turn is such a
question, the interview answers it from the bank question's ``clarifications`` (topic -> answer)
and keeps listening to the same question. Two things must hold for that to feel right:

* An *answer* must never be mistaken for a question. Answers often contain rhetorical questions
  ("So what do users want? I think..."), so a turn counts as a clarifying question only when it is
  short, ends in a question, and is not mostly statements.
* Candidates do not use the bank's topic words. "How many people use it?" is about ``scale``;
  "is this on mobile?" is about ``platform``. A synonym table maps common phrasings to topics;
  bank topics outside the table still match by their own name.

Several topics in one turn are each answered, in the order the candidate asked them. A topic the
bank has no answer for gets the classic "make a reasonable assumption and state it".
"""

from __future__ import annotations

import re

from engine.interviewer.clarification_phrases import (
    LEAD_INS,
    QUESTION_OPENINGS,
    REPEAT_PHRASES,
    THINK_PHRASES,
    TOPIC_ALIASES,
    TOPIC_SYNONYMS,
)
from engine.interviewer.generic_probes import mentions, normalise_for_matching
from engine.interviewer.phrasing import join_sentences, spoken
from engine.questions.model import Question

MAX_QUESTION_WORDS = 40
"""Longer turns are answers, even when they contain a question mark."""

MAX_QUESTION_SENTENCE_WORDS = 25
"""A single question longer than this that does not open as a question is an answer's tag."""

MAX_STATEMENT_WORDS = 14
"""A short lead-in ("Okay, before I start, a couple of questions.") is fine; more is an answer."""

ASSUMPTION_REPLY = "That's up to you. Make a reasonable assumption and state it."
"""What the interviewer says when the bank has nothing on the topic asked about."""

UNKNOWN_TOPIC_REPLY = "As for {topic}, that's up to you: make a reasonable assumption and state it."

MAX_REQUEST_WORDS = 20
"""Asking to hear the question again, or for a moment to think, takes only a few words."""

MAX_REQUEST_SENTENCE_WORDS = 12
"""The sentence holding the request is short too ("Sorry, could you repeat the question?")."""

MAX_REQUEST_EXTRA_WORDS = 3
"""Besides the request, only a word or two ("Thanks.") may be said, or it is an answer."""

REPEAT_REQUEST = "repeat"
THINK_REQUEST = "think"

THINKING_REPLY = "Of course. Take your time, and start whenever you're ready."

_SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_SPLIT.split(" ".join(text.split())) if s.strip()]


def _strip_lead_in(sentence: str) -> str:
    lowered = sentence.lower().replace("’", "'")
    return LEAD_INS.sub("", lowered).strip()


def _opens_as_question(sentence: str) -> bool:
    body = " ".join(re.sub(r"[,;:]", " ", _strip_lead_in(sentence)).split())
    return any(body == o or body.startswith(o + " ") for o in QUESTION_OPENINGS)


def _is_question_sentence(sentence: str) -> bool:
    """A question by how it opens, or a short sentence ending in "?".

    A long sentence that only ends in "?" ("..., so does that cover it?") is an answer with a
    tag question, not a question to the interviewer.
    """
    if _opens_as_question(sentence):
        return True
    return sentence.rstrip().endswith("?") and len(sentence.split()) <= MAX_QUESTION_SENTENCE_WORDS


def is_clarifying_question(transcript_text: str) -> bool:
    """True when the candidate's turn is a question to the interviewer rather than an answer.

    A clarifying question is short, its last sentence is a question (by its "?" or by how it
    opens), and any statements around it are only a brief lead-in. An answer that merely contains
    a rhetorical question fails one of those tests.
    """
    sentences = _sentences(transcript_text)
    if not sentences:
        return False
    total_words = sum(len(s.split()) for s in sentences)
    if total_words > MAX_QUESTION_WORDS:
        return False
    if not _is_question_sentence(sentences[-1]):
        return False
    statement_words = sum(len(s.split()) for s in sentences if not _is_question_sentence(s))
    return statement_words <= MAX_STATEMENT_WORDS


def candidate_request(transcript_text: str) -> str | None:
    """A short request about the interview itself rather than the problem, if the turn is one.

    Returns:
        ``REPEAT_REQUEST`` ("could you repeat the question?"), ``THINK_REQUEST`` ("can I take a
        moment to think?"), or None for anything else, including real answers that happen to
        contain such words.
    """
    words = transcript_text.split()
    if not words or len(words) > MAX_REQUEST_WORDS:
        return None
    for kind, phrases in ((REPEAT_REQUEST, REPEAT_PHRASES), (THINK_REQUEST, THINK_PHRASES)):
        sentences = _sentences(transcript_text)
        asking = [s for s in sentences if mentions(normalise_for_matching(s), phrases)]
        if not asking:
            continue
        # "Let me think. I'd start with the users..." is an answer with a pause in it.
        rest = sum(len(s.split()) for s in sentences if s not in asking)
        if rest <= MAX_REQUEST_EXTRA_WORDS and all(
            len(s.split()) <= MAX_REQUEST_SENTENCE_WORDS for s in asking
        ):
            return kind
    return None


def canonical_topic(topic: str) -> str:
    """The synonym-table topic a bank topic stands for (itself when it is not in the table)."""
    key = topic.strip().lower()
    return TOPIC_ALIASES.get(key, key)


def _topic_phrases(topic: str) -> tuple[str, ...]:
    """Everything that counts as asking about ``topic``: its table synonyms and its own name."""
    canonical = canonical_topic(topic)
    own = topic.replace("_", " ").lower()
    return (own, canonical.replace("_", " "), *TOPIC_SYNONYMS.get(canonical, ()))


_CLAUSE_SPLIT = re.compile(r"[?.!;,]+|\s(?:and|also|plus|or)\s")

# "How many users" asks about scale, not about who the users are.
_QUANTITY_PHRASES: tuple[str, ...] = ("how many", "how much", "number of", "how big", "how large")


def _clauses(text: str) -> list[str]:
    """Split a turn into clauses, each usually asking about one thing."""
    return [normalise_for_matching(c) for c in _CLAUSE_SPLIT.split(text.lower()) if c.strip()]


def _clause_topics(question: Question, clause: str) -> list[str]:
    """Topics one clause asks about: bank topics if any match, else the first table topic."""
    banked = [t for t in question.clarifications if mentions(clause, _topic_phrases(t))]
    canon = {canonical_topic(t) for t in banked}
    if "scale" in canon and "users" in canon and mentions(clause, _QUANTITY_PHRASES):
        banked = [t for t in banked if canonical_topic(t) != "users"]
    if banked:
        return banked
    for topic, phrases in TOPIC_SYNONYMS.items():
        if mentions(clause, (topic, *phrases)):
            return [topic]
    return []


def topics_asked(question: Question, text: str) -> list[str]:
    """Topics the candidate asks about, in the order asked, each once.

    Bank topics come back under their bank name. A clause that matches no bank topic but does
    match the synonym table comes back under the table's name, so the reply can leave that point
    to the candidate; within a clause the bank's answer takes precedence ("the scale of the
    data" is answered as scale, not as data).
    """
    result: list[str] = []
    covered: set[str] = set()
    for clause in _clauses(text):
        for topic in _clause_topics(question, clause):
            canonical = canonical_topic(topic)
            if topic not in result and canonical not in covered:
                result.append(topic)
                covered.add(canonical)
    return result


def answer_clarification(question: Question, text: str) -> str:
    """What the interviewer replies to the clarifying question ``text`` about ``question``.

    Each topic asked about is answered from the bank, in the order asked; topics the bank does not
    cover are left to the candidate's judgement, as a real interviewer would. A question matching
    no topic the bank knows gets ``ASSUMPTION_REPLY``. The reply is phrased for speaking aloud.
    """
    topics = topics_asked(question, text)
    if not any(t in question.clarifications for t in topics):
        return ASSUMPTION_REPLY
    parts: list[str] = []
    for topic in topics:
        if topic in question.clarifications:
            parts.append(spoken(question.clarifications[topic]))
        else:
            parts.append(UNKNOWN_TOPIC_REPLY.format(topic=_topic_label(topic)))
    return join_sentences(*parts)


def _topic_label(topic: str) -> str:
    """How the interviewer names a topic aloud ("the budget", "the timeline")."""
    return "the " + topic.replace("_", " ")
