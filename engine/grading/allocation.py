"""Say in one or two sentences where the answer's time went, and whether that was wise.

The most common timing failure in these interviews is not speaking too slowly but spending the
clock in the wrong place: five minutes of scoping, then metrics and evaluation in ten seconds,
or running over the limit before reaching experimentation. The verdict names that plainly.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.clock import mmss
from engine.grading.result import Stage
from engine.rubric import DIMENSION_BY_ID

# The stages a strong answer reaches, by question category (DOMAIN.md: user -> problem ->
# metrics -> system -> trade-offs -> iteration).
KEY_STAGES: dict[str, tuple[str, ...]] = {
    "design": ("problem_framing", "metrics", "system_design", "tradeoffs", "experimentation"),
    "diagnose": ("problem_framing", "diagnosis"),
    "metrics": ("problem_framing", "metrics", "experimentation"),
    "experimentation": ("metrics", "experimentation", "tradeoffs"),
    "tradeoff": ("metrics", "tradeoffs", "experimentation"),
    "behavior": ("user_signals", "system_design", "metrics"),
}
DOMINANT_SHARE = 0.5
RUSHED_SHARE = 0.1
OVER_LIMIT_GRACE_S = 10.0
UNDERUSED_SHARE = 0.4


def stage_name(dimension: str) -> str:
    """A short spoken name for a stage ("framing", "system design")."""
    if dimension == "problem_framing":
        return "framing"
    spec = DIMENSION_BY_ID.get(dimension)
    return spec.label.lower() if spec else dimension.replace("_", " ")


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def time_per_dimension(stages: Sequence[Stage]) -> dict[str, float]:
    """Total seconds spent on each dimension across the timeline."""
    spent: dict[str, float] = {}
    for stage in stages:
        spent[stage.dimension] = spent.get(stage.dimension, 0.0) + (stage.end_s - stage.start_s)
    return spent


def allocation_verdict(
    stages: Sequence[Stage],
    duration_s: float,
    time_limit_s: float | None,
    key_dimensions: Sequence[str] = (),
    estimated: bool = False,
) -> str:
    """The time-allocation verdict for the report.

    Args:
        stages: the stage timeline.
        duration_s: how long the answer lasted.
        time_limit_s: the limit the candidate answered against, if any.
        key_dimensions: the stages a strong answer to this category reaches.
        estimated: times come from word counts, not word timings (said in the verdict).
    """
    parts: list[str] = []
    spent = time_per_dimension(stages)
    staged_total = sum(spent.values())
    key = [d for d in key_dimensions if d in DIMENSION_BY_ID]
    if time_limit_s and duration_s - time_limit_s > OVER_LIMIT_GRACE_S:
        over = duration_s - time_limit_s
        late = [stage_name(s.dimension) for s in stages if s.start_s >= time_limit_s]
        late = list(dict.fromkeys(late))[:3]
        if late:
            parts.append(
                f"Ran {mmss(over)} over the {mmss(time_limit_s)} limit before reaching "
                f"{_join(late)}."
            )
        else:
            parts.append(f"Ran {mmss(over)} over the {mmss(time_limit_s)} limit.")
    if not stages or staged_total <= 0:
        parts.append("Too little content to tell where the time went.")
        return " ".join(parts)

    dominant = max(spent, key=lambda d: (spent[d], d))
    share = spent[dominant] / staged_total
    never = [stage_name(d) for d in key if d not in spent]
    rushed = [
        stage_name(d)
        for d in (key or list(spent))
        if d != dominant and d in spent and spent[d] / staged_total < RUSHED_SHARE
    ]
    if share > DOMINANT_SHARE and len(spent) > 1 or share > 0.75 and never:
        sentence = (
            f"More than half of the time ({mmss(spent[dominant])} of {mmss(staged_total)}) "
            f"went to {stage_name(dominant)}"
        )
        tails = []
        if rushed:
            tails.append(f"{_join(rushed)} {'was' if len(rushed) == 1 else 'were'} rushed")
        if never:
            tails.append(f"{_join(never)} never came up")
        parts.append(sentence + ("; " + "; ".join(tails) if tails else "") + ".")
    elif never:
        parts.append(f"The answer never reached {_join(never)}.")
    elif rushed:
        rushed_ids = [d for d in (key or list(spent)) if stage_name(d) in rushed]
        times = ", ".join(mmss(spent[d]) for d in rushed_ids)
        each = " each" if len(rushed) > 1 else ""
        parts.append(
            f"{_join(rushed).capitalize()} got under a tenth of the time{each} ({times}); "
            "give them more room."
        )
    if not parts:
        spread = ", ".join(f"{stage_name(d)} {mmss(s)}" for d, s in spent.items())
        limit = f" within the {mmss(time_limit_s)} limit" if time_limit_s else ""
        parts.append(f"Time was spread sensibly{limit}: {spread}.")
    if (
        time_limit_s
        and duration_s < UNDERUSED_SHARE * time_limit_s
        and not any(p.startswith("Ran") for p in parts)
    ):
        parts.append(
            f"Used only {mmss(duration_s)} of the {mmss(time_limit_s)} limit; "
            "there was room to go deeper."
        )
    if estimated:
        parts.append("(Times are estimated from word count; the transcript has no word timings.)")
    return " ".join(parts)
