"""Does the answer talk about what the question asks about at all?

Content scores come from general product-sense reasoning, so a good answer to a *different*
question (the wrong question picked in the app, or an answer that drifted entirely) can still
score well. When a main answer never uses any of the question's subject words ("podcast",
"checkout", "notification"), the grade carries a warning so the candidate knows what the score
means. Subject words come from the question's prompt, context and expected points, compared
as plain stems without synonym folding; words that any product question uses ("app", "design",
"users") do not count. Free questions have only a prompt, too little to judge from (a good
answer says "episodes" and "shows", never "podcast recommendations"), so they are not checked.
"""

from __future__ import annotations

from engine.grading.tokens import content_words, stem, word_set
from engine.questions.model import Question

MIN_WORDS = 30

_NOT_A_SUBJECT = word_set(
    """app apps application product products feature features system systems platform
    company team new recent recently add added design build create improve improving use
    using user users people customer customers would could should how what why new way
    good better best work works working make makes get help first second third last next
    time times day days week weeks month months year years minute minutes hour hours long
    short high low early late often many few one two three rather also only just still even
    like such example based rate"""
)
_NOT_A_SUBJECT_STEMS = frozenset(stem(w) for w in _NOT_A_SUBJECT)
NOT_A_SUBJECT_STEMS = _NOT_A_SUBJECT_STEMS  # shared with ``grounding.py``


def subject_words(question_text: str) -> list[str]:
    """The question's subject words in order of appearance (no duplicates)."""
    words = [
        w
        for w in content_words(question_text)
        if len(w) > 2 and not w.isdigit() and stem(w) not in _NOT_A_SUBJECT_STEMS
    ]
    return list(dict.fromkeys(words))


def off_topic_warning(question: Question, answer_stems: frozenset[str], answer_words: int) -> str:
    """A warning sentence when the answer never mentions the question's subject, else ""."""
    if answer_words < MIN_WORDS or not question.expected:
        return ""
    points = " ".join(p for points in question.expected.values() for p in points)
    subject = subject_words(f"{question.prompt} {question.context} {points}")
    if not subject or any(stem(w) in answer_stems for w in subject):
        return ""
    shown = ", ".join(subject_words(question.prompt)[:4] or subject[:4])
    return (
        f"The answer never mentions what the question is about ({shown}); check that it "
        "answers this question."
    )
