"""Find the typical mistakes of a question in the answer ("ships after three days of data").

Each red flag (``Question.red_flags``, or the generic ones for questions without their own)
carries claims: sentences a candidate says while making the mistake. A flag matches when one of
the answer's clauses is very close in meaning to one of its claims (``FLAG_SIM``, set high on
the tuning half), clearly closer to it than to any of the question's expected points, *and*
the sentence around it says it the same way round: strong answers often
name the mistake to reject it ("optimising click-through alone would be a mistake"), so a
sentence that negates what the claim asserts, or frames it as a trap, a risk or someone else's
view, is not a match. A match lowers its dimension by one and is listed with the verbatim
sentence and its start time.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from engine.grading.analysis import AnswerAnalysis
from engine.grading.evidence import quote_of
from engine.grading.meaning import AnswerMeaning
from engine.grading.result import DimensionScore, RedFlagHit
from engine.questions.model import Question, RedFlag

FLAG_SIM = 0.63
# A clause that is about as close to one of the question's expected points as to the claim is
# discussing the topic the right way ("skipping in your own playlist is often hunting for one
# song"), not making the mistake: the claim must win by this much.
FLAG_MARGIN = 0.02
MAX_FLAGS = 4

_NEGATION_RE = re.compile(
    r"\b(?:not|no|never|nothing|none|without|cannot|n't|nor|neither)\b|n't\b", re.IGNORECASE
)
_DISTANCING_RE = re.compile(
    r"\b(?:mistake|mistaken|wrong|trap|mislead\w*|naive|pitfall|instead|rather than|avoid|"
    r"but|however|tempting|temptation|some people|people often|a common|the classic|warn\w*|"
    r"careful|beware|bad idea|i disagree|doesn't mean|does not mean|not enough|on its own|"
    r"by itself|alone is|alone would|on one side|on the other (?:side|hand)|more importantly)\b",
    re.IGNORECASE,
)

# A clause that opens on a contrast asserts what follows it ("..., but for now the daily actives
# are what counts"): the contrast distances it from what came before, not from its own claim.
_OPENING_CONTRAST_RE = re.compile(r"\s*(?:and\s+|so\s+)?(?:but|however)\b[\s,]*", re.IGNORECASE)

# A sentence that opens as one side of a weighing ("On one side, fraud losses are ...") states a
# consideration, not the decision the flag is about.
_ONE_SIDE_RE = re.compile(
    r"\W*(?:and\s+|so\s+)?on (?:one|the one|the other) (?:side|hand)\b", re.IGNORECASE
)


def red_flags_for(question: Question) -> tuple[RedFlag, ...]:
    """The question's own red flags, or the generic ones of its category when it has none."""
    own = tuple(getattr(question, "red_flags", ()) or ())
    if own:
        return own
    from engine.questions.generic_red_flags import generic_red_flags

    return tuple(generic_red_flags(question.category))


def _negated(text: str) -> bool:
    return bool(_NEGATION_RE.search(text.replace("’", "'")))


def _same_stance(clause: str, around: str, claim: str) -> bool:
    """Whether ``clause`` asserts what ``claim`` asserts rather than rejecting it.

    The clause must be negated exactly when the claim is ("I would not just optimise clicks"
    rejects "I'd just optimise clicks"), and neither it nor the clause after it (``around``:
    "..., which would be a mistake") may distance itself with a word the claim does not use;
    a "but" that opens the clause turns toward its claim and does not count.
    """
    if _negated(clause) != _negated(claim):
        return False
    claim_cues = {m.group(0).lower() for m in _DISTANCING_RE.finditer(claim)}
    opening = _OPENING_CONTRAST_RE.match(around)
    if opening:  # "but for now daily actives are what counts": the contrast turns to the claim
        around = around[opening.end() :]
    return all(m.group(0).lower() in claim_cues for m in _DISTANCING_RE.finditer(around))


def _with_next(meaning: AnswerMeaning, chunk: int) -> str:
    """The clause and the one after it in the same sentence."""
    text = meaning.chunk_texts[chunk]
    following = chunk + 1
    same_sentence = (
        meaning.chunk_sentence[following : following + 1] == meaning.chunk_sentence[chunk]
    )
    if following < meaning.size and bool(same_sentence.all()):
        text = f"{text} {meaning.chunk_texts[following]}"
    return text


def find_red_flags(
    flags: Sequence[RedFlag], meaning: AnswerMeaning, analysis: AnswerAnalysis
) -> tuple[RedFlagHit, ...]:
    """The flags the answer commits, strongest match first, one quote each."""
    sentences = {f.sentence.index: f.sentence for f in analysis.credited}
    on_point = np.zeros(meaning.size, dtype=np.float32)
    for sims in meaning.point_sims.values():
        if sims.shape[0] and sims.shape[1]:
            on_point = np.maximum(on_point, sims.max(axis=0))
    found: list[tuple[float, RedFlagHit]] = []
    for flag, sims in zip(flags, meaning.claim_sims, strict=True):
        if not sims.size:
            continue
        order = np.argsort(-sims, axis=None)
        for flat in order[:8].tolist():
            claim_row, chunk = divmod(flat, sims.shape[1])
            similarity = float(sims[claim_row, chunk])
            if similarity < FLAG_SIM:
                break
            if similarity - float(on_point[chunk]) < FLAG_MARGIN:
                continue
            sentence = sentences.get(int(meaning.chunk_sentence[chunk]))
            if sentence is None or _ONE_SIDE_RE.match(sentence.text):
                continue
            if not _same_stance(
                meaning.chunk_texts[chunk], _with_next(meaning, chunk), flag.claims[claim_row]
            ):
                continue
            quote = quote_of(sentence)
            hit = RedFlagHit(flag.text, quote.quote, quote.start_s, flag.dimension)
            found.append((similarity, hit))
            break
    found.sort(key=lambda item: -item[0])
    return tuple(hit for _, hit in found[:MAX_FLAGS])


def apply_red_flags(
    scores: Sequence[DimensionScore], hits: Sequence[RedFlagHit]
) -> list[DimensionScore]:
    """Each matched flag lowers its dimension by one (not below 1) and says why in its note."""
    result = []
    for score in scores:
        mine = [h for h in hits if h.dimension == score.id]
        if not mine or score.score is None:
            result.append(score)
            continue
        note = " ".join(filter(None, [score.note, f"Red flag: {mine[0].text.rstrip('.')}."]))
        result.append(replace(score, score=max(1, score.score - len(mine)), note=note))
    return result
