"""Score ``communication``: structure, concision, fluency, time use, and adapting when probed.

Content dimensions ask *what* was said; this one asks whether a listener could follow it and
whether the candidate used the clock and the interviewer's probes well. It starts from a neutral
2 and moves on evidence: signposting ("first... second... to summarise") raises it; filler-heavy
rambling, repeating the same point, keyword lists, running over the limit and ignoring a new
constraint lower it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from engine.grading.adaptation import assess_adaptation
from engine.grading.analysis import AnswerAnalysis
from engine.grading.evidence import quotes
from engine.grading.lexicon import CONCEPTS_BY_DIMENSION
from engine.grading.result import DimensionScore, Pacing
from engine.grading.sentences import Sentence
from engine.questions.model import FollowUp
from engine.transcript import Transcript

_SIGNPOST_RE = re.compile(
    r"(?:^(?:next|after that|beyond that)(?=,)|\b(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|fourth|"
    r"finally|lastly|to summari[sz]e|in summary|summing up|to sum up|to recap|to wrap up|"
    r"so overall|overall(?=,)|"
    r"let me start|i'll start|i will start|start(?:ing)? with|i'll cover|i'll structure|"
    r"i'll walk through|i'd structure|my plan is|the plan is|(?:two|three|four) (?:things|parts|"
    r"steps|areas|questions)|moving on|now for|on to|turning to|after that|last(?:ly)? i'd|"
    r"the (?:first|second|third|last) (?:thing|part|step|piece)|in short|bottom line)\b)",
)
_OPENING_OR_CLOSING_RE = re.compile(
    r"\b(?:to summari[sz]e|in summary|to sum up|to recap|to wrap up|so overall|in short|"
    r"bottom line|i'll structure|my plan is|i'll walk through|i'll cover|i'd structure|"
    r"(?:two|three|four) (?:things|parts|steps|areas))\b",
)
HIGH_FILLER_RATE = 4.0  # fillers per 100 words
VERY_HIGH_FILLER_RATE = 9.0
REPETITION_SHARE = 0.25
OVER_LIMIT_SHARE = 0.15
SHORT_ANSWER_WORDS = 40
# A main answer that uses less than this share of its limit leaves the interviewer's time unused
# (follow-up answers are meant to be short and are exempt, and so are typed answers, whose
# duration is only an estimate).
UNDERUSED_LIMIT_SHARE = 0.2


@dataclass(frozen=True)
class _Adjustment:
    delta: int
    missing: str = ""


def _signposts(analysis: AnswerAnalysis) -> list[Sentence]:
    return [f.sentence for f in analysis.credited if _SIGNPOST_RE.search(_lower(f.sentence))]


def _lower(sentence: Sentence) -> str:
    """Lower-cased text for the (lower-case, case-sensitive, hence fast) patterns here."""
    return sentence.text.lower().replace("’", "'")


def _engages_probe(analysis: AnswerAnalysis, prompt: FollowUp) -> list[Sentence]:
    ids = {c.id for c in CONCEPTS_BY_DIMENSION.get(prompt.dimension, ())}
    return [f.sentence for f in analysis.credited if f.quality.is_reasoned and f.concepts & ids]


def score_communication(
    analysis: AnswerAnalysis,
    pacing: Pacing,
    time_limit_s: float | None,
    prompt: FollowUp | None = None,
    previous_answers: Sequence[Transcript] = (),
) -> DimensionScore:
    """Score communication 1-4 with evidence (signposts, adapted sentences) and what to fix."""
    facts = analysis.facts
    transcript = analysis.transcript
    # Measured on the answer itself: sentences addressed to the grader must not dilute (or add
    # to) the filler rate, or padding an answer with them could raise this score.
    answer_facts = [f for f in facts if not f.injected]
    words = max(analysis.answer_word_count, 1)
    fillers = sum(analysis.filler_counts(include_injected=False).values())
    credited = analysis.credited
    signposts = _signposts(analysis)
    evidence_sentences: list[Sentence] = []
    missing: list[str] = []
    notes: list[str] = []
    score = 2

    if len(signposts) >= 2:
        score += 1
        if len(signposts) >= 3 and any(_OPENING_OR_CLOSING_RE.search(_lower(s)) for s in signposts):
            score += 1
    else:
        missing.append("signpost the structure out loud (first..., second..., to summarise...)")

    filler_rate = 100.0 * fillers / words
    if filler_rate > VERY_HIGH_FILLER_RATE:
        score -= 2
    elif filler_rate > HIGH_FILLER_RATE:
        score -= 1
    if filler_rate > HIGH_FILLER_RATE:
        missing.append(f"cut filler words ({filler_rate:.0f} per 100 words)")

    repeats = sum(1 for f in answer_facts if f.duplicate_of is not None)
    if answer_facts and repeats / len(answer_facts) > REPETITION_SHARE:
        score -= 1
        missing.append("say each point once; repeating it adds length, not substance")

    list_words = sum(len(f.tokens) for f in credited if f.quality.is_list)
    if list_words / words > 0.5:
        score = 1
        missing.append("speak in full sentences that explain, not a list of terms")

    if time_limit_s and pacing.duration_s > time_limit_s * (1 + OVER_LIMIT_SHARE):
        score -= 1
        missing.append("finish within the time limit")
    elif (
        prompt is None
        and (transcript.has_word_timings or transcript.duration_s > 0)
        and time_limit_s
        and analysis.answer_word_count >= SHORT_ANSWER_WORDS
        and pacing.duration_s < time_limit_s * UNDERUSED_LIMIT_SHARE
    ):
        score -= 1
        missing.append("use more of the time: go deeper on metrics, trade-offs and evaluation")

    if prompt is not None and prompt.constraint:
        adaptation = assess_adaptation(analysis, prompt.constraint, previous_answers)
        notes.append(adaptation.note)
        if adaptation.adapted:
            score += 1
            evidence_sentences.extend(adaptation.sentences)
        else:
            score -= 1
            missing.append(f"adapt the design to the new constraint ({prompt.constraint})")
    elif prompt is not None:
        answered = _engages_probe(analysis, prompt)
        if answered:
            notes.append("Answered the probe directly.")
            evidence_sentences.extend(answered[:1])
        else:
            missing.append("answer the interviewer's probe directly")

    said_once = sum(len(f.tokens) for f in credited)  # saying it twice is not longer
    if said_once < SHORT_ANSWER_WORDS:
        score = min(score, 2 if said_once >= 15 else 1)

    evidence_sentences.extend(signposts)
    score = max(1, min(4, score))
    return DimensionScore(
        "communication",
        score,
        quotes(evidence_sentences),
        tuple(missing),
        " ".join(notes),
    )
