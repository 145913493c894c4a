"""Which rubric dimension the candidate was working on, from when to when.

Each sentence votes for the dimension whose concepts it mentions most strongly (weighted by
``Concept.stage_weight``, so "user" barely counts and "minimum detectable effect" decides).
A sentence with no clear vote continues the stage before it — people rarely switch topic in
a sentence that names nothing. Adjacent sentences of one dimension merge into a stage, and
stages too short to matter are folded into their neighbour, so the timeline reads like the
answer's outline ("framing 0:00-0:50, metrics 0:50-1:40, ...").

Times are real word timings when the transcript has them, else estimates from word position
(see ``sentences.ESTIMATED_SECONDS_PER_WORD``).
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.grading.analysis import AnswerAnalysis
from engine.grading.result import Stage

MIN_VOTE = 0.7
MIN_STAGE_S = 3.0
MIN_STAGE_SHARE = 0.02


def _sentence_dimension(relevance: dict[str, float], allowed: Sequence[str]) -> str | None:
    votes = {d: relevance[d] for d in allowed if d in relevance}
    if not votes:
        return None
    best = max(allowed, key=lambda d: (votes.get(d, 0.0), -allowed.index(d)))
    return best if votes.get(best, 0.0) >= MIN_VOTE else None


def _merge_adjacent(stages: list[Stage]) -> list[Stage]:
    merged: list[Stage] = []
    for stage in stages:
        if merged and merged[-1].dimension == stage.dimension:
            merged[-1] = Stage(stage.dimension, merged[-1].start_s, stage.end_s)
        else:
            merged.append(stage)
    return merged


def _fold_short(stages: list[Stage], total_s: float) -> list[Stage]:
    """Fold stages shorter than the minimum into the previous (or next) stage, shortest first."""
    minimum = max(MIN_STAGE_S, MIN_STAGE_SHARE * total_s)
    stages = list(stages)
    while len(stages) > 1:
        shortest = min(range(len(stages)), key=lambda i: (stages[i].end_s - stages[i].start_s, i))
        stage = stages[shortest]
        if stage.end_s - stage.start_s >= minimum:
            break
        if shortest > 0:
            prev = stages[shortest - 1]
            stages[shortest - 1] = Stage(prev.dimension, prev.start_s, stage.end_s)
        else:
            nxt = stages[1]
            stages[1] = Stage(nxt.dimension, stage.start_s, nxt.end_s)
        del stages[shortest]
        stages = _merge_adjacent(stages)
    return stages


def stage_timeline(analysis: AnswerAnalysis, dimensions: Sequence[str]) -> tuple[Stage, ...]:
    """The answer's stages in time order.

    Args:
        analysis: the analysed answer.
        dimensions: the content dimensions that may form a stage (applicable ones, without
            ``communication``), in rubric order for tie-breaks.
    """
    allowed = [d for d in dimensions if d != "communication"]
    facts = [f for f in analysis.facts if not f.injected]
    if not facts or not allowed:
        return ()
    labelled: list[tuple[str | None, float, float]] = []
    for index, fact in enumerate(facts):
        start = fact.sentence.est_start_s
        end = facts[index + 1].sentence.est_start_s if index + 1 < len(facts) else None
        end = fact.sentence.est_end_s if end is None or end < start else end
        labelled.append((_sentence_dimension(fact.relevance, allowed), start, end))
    first_known = next((d for d, _, _ in labelled if d is not None), None)
    if first_known is None:
        return ()
    current = first_known
    raw: list[Stage] = []
    for dimension, start, end in labelled:
        current = dimension or current
        raw.append(Stage(current, start, max(end, start)))
    stages = _merge_adjacent(raw)
    total = stages[-1].end_s - stages[0].start_s
    return tuple(_fold_short(stages, total))
