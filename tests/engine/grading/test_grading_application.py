"""Credit goes to what is said about *this* question, once: a concept named without the
question's particulars earns nothing, and saying the same vague thing in new words does not add
up (issue 10, grading v2 follow-up). Real
encoder, real bank questions; the report half of the corpus is never read here."""

from __future__ import annotations

from engine.grading.analysis import analyse
from engine.grading.base import GradeRequest
from engine.grading.grounding import grounded_sentences
from engine.grading.meaning import build_meaning
from engine.questions.bank import default_bank
from engine.transcript import Transcript

SKIPS = default_bank().get("behavior-music-skip-meaning")
FRAUD = default_bank().get("metrics-fraud-model")


def test_a_sentence_naming_nothing_of_the_question_is_not_grounded():
    answer = (
        "I'd define a north star metric and a few guardrails. "
        "Precision and recall at the operating threshold, weighted by the money at stake. "
        "Counter metrics so we don't Goodhart ourselves. "
        "Leading and lagging indicators. "
        "Card fraud losses matter most to the business, and chargebacks arrive weeks late."
    )
    analysis = analyse(Transcript.from_text(answer))
    grounded = grounded_sentences(analysis, FRAUD)
    indices = [f.sentence.index for f in analysis.credited]
    assert indices[-1] in grounded  # names card fraud, the business and a delay
    assert indices[0] not in grounded  # five sentences away from it: a bare list


def test_rewording_the_same_vague_point_many_times_does_not_raise_the_score(grader):
    once = (
        "Skips are a useful signal about taste, but they are noisy, so I'd use them carefully "
        "and combine them with saves and listening time before changing what we play."
    )
    reworded = " ".join(
        [
            once,
            "In other words, a skip tells you something about taste, but not everything.",
            "So skips matter, but they are a noisy signal and you have to be careful with them.",
            "Skips can tell you a lot about what someone likes if you use them carefully.",
            "But you can't trust every skip, they are noisy, so be careful how you use them.",
            "Overall skips are useful for taste but noisy, and that's the key thing about them.",
            "So yes, skips are a signal of taste, a noisy one, which you should use with care.",
        ]
    )
    graded = [grader.grade(GradeRequest(SKIPS, Transcript.from_text(t))) for t in (once, reworded)]
    assert graded[1].overall <= graded[0].overall + 1e-9


def test_repetition_in_new_words_is_measured_and_plain_answers_stay_near_zero():
    rambling = (
        "It really depends on the priorities. It comes down to what the company cares about. "
        "So the priorities decide it. In the end it depends on what matters most to the "
        "company. That's why I'd say it depends on the priorities. It really is about the "
        "priorities of the business."
    )
    plain = (
        "Fraud losses are about two million a month, so I'd weight recall by the money at "
        "stake. Declining a good customer costs their lifetime value, not one purchase. "
        "Chargebacks arrive up to ninety days late, so last month's labels are incomplete. "
        "I'd keep a small random holdout of approved transactions to measure true fraud."
    )
    dims = ["metrics", "tradeoffs"]
    shares = [
        build_meaning(FRAUD, analyse(Transcript.from_text(t)), dims).resaid_share
        for t in (rambling, plain)
    ]
    assert shares[0] >= 0.4
    assert shares[1] <= 0.1
