"""The one list of filler words, shared by pacing, the filled-pause detector and the interviewer.

``FILLED_PAUSES`` maps every spelling of a filled pause ("umm", "uhm", "erm") to the form the
pacing report counts it under. ``HEDGES`` are words that are filler in some uses and meaningful
in others ("like", "basically"): pacing decides per use (``engine.grading.fillers``), the
interviewer never quotes them as the candidate's point.
"""

from __future__ import annotations

FILLED_PAUSES: dict[str, str] = {
    "um": "um",
    "umm": "um",
    "uhm": "um",
    "uh": "uh",
    "uhh": "uh",
    "er": "er",
    "erm": "er",
    "hmm": "hmm",
    "mm": "hmm",
    "ah": "ah",
}
HEDGES: frozenset[str] = frozenset({"basically", "like", "actually", "honestly", "literally"})
