"""Delivery metrics for one answer: length against the limit, speed, pauses, fillers, stages.

Kept apart from content on purpose: a candidate can say the right things too slowly, or fast
and full of "um". Everything here is measured from Whisper's word timings.

Whisper leaves most "um"s and "uh"s out of its words; those found in the audio between the words
(``Transcript.filled_pauses``, see ``engine.speech.filled_pauses``) are counted with the ones it
wrote, and every timed one becomes a ``FillerEvent`` for the report and the replay.

Plain-text transcripts (typed, or a JSON without words) have no timings. Then: the duration is
the transcript's own ``duration_s`` when it has one, else estimated at 150 words per minute;
``wpm`` is measured only when a real duration exists (0.0 means "not measured"); time to first
word is None; no pauses can be seen; and the verdict says its times are estimates.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.grading.allocation import allocation_verdict
from engine.grading.fillers import ALWAYS_FILLERS, count_fillers
from engine.grading.result import FillerEvent, Pacing, Stage
from engine.grading.sentences import ESTIMATED_SECONDS_PER_WORD
from engine.transcript import Transcript

LONG_PAUSE_S = 3.0
WPM_WINDOW_S = 15.0
MIN_WINDOW_S = 5.0


def _timed_spans(transcript: Transcript) -> list[tuple[float, float]]:
    """(start, end) of each timed word, or of each timed segment when words are absent."""
    if transcript.has_word_timings:
        return [(w.start, w.end) for w in transcript.words]
    return [(s.start, s.end) for s in transcript.segments if s.end > s.start]


def long_pauses(spans: Sequence[tuple[float, float]]) -> tuple[tuple[float, float], ...]:
    """Silences longer than ``LONG_PAUSE_S`` between consecutive words, as (start, end)."""
    return tuple(
        (prev_end, next_start)
        for (_, prev_end), (next_start, _) in zip(spans, spans[1:], strict=False)
        if next_start - prev_end > LONG_PAUSE_S
    )


def wpm_series(word_starts: Sequence[float], end_s: float) -> tuple[tuple[float, float], ...]:
    """Words per minute in consecutive 15 s windows, as (window midpoint, wpm).

    Windows start at the first word; a final window shorter than 5 s is dropped because a
    couple of words in it would read as an absurd rate.
    """
    if not word_starts:
        return ()
    points: list[tuple[float, float]] = []
    begin = word_starts[0]
    index = 0
    while begin < end_s:
        finish = min(begin + WPM_WINDOW_S, end_s)
        length = finish - begin
        count = 0
        while index < len(word_starts) and word_starts[index] < finish:
            count += 1
            index += 1
        if length >= MIN_WINDOW_S or not points:
            points.append((begin + length / 2, count * 60.0 / max(length, 1e-6)))
        begin = finish
    return tuple(points)


def filler_events(transcript: Transcript) -> tuple[FillerEvent, ...]:
    """Timed fillers in time order: the ones Whisper wrote, and the ones heard in the audio."""
    events = [
        FillerEvent(w.start, w.end, ALWAYS_FILLERS[token], "words")
        for w in transcript.words
        if (token := w.word.strip(" ,.;:!?-").lower()) in ALWAYS_FILLERS
        and ALWAYS_FILLERS[token] in ("um", "uh", "er", "hmm")
    ]
    events += [FillerEvent(f.start, f.end, f.kind, "audio") for f in transcript.filled_pauses]
    return tuple(sorted(events, key=lambda e: e.start_s))


def measure_pacing(
    transcript: Transcript,
    time_limit_s: float | None,
    stages: Sequence[Stage],
    key_dimensions: Sequence[str] = (),
    fillers: dict[str, int] | None = None,
) -> Pacing:
    """Measure the delivery of one answer.

    Args:
        transcript: the answer.
        time_limit_s: the limit it was given, or None.
        stages: the stage timeline from ``stages.stage_timeline``.
        key_dimensions: stages a strong answer to this category reaches (for the verdict).
        fillers: filler counts of the text already computed by the caller (else counted
            here); the fillers heard in the audio are added to them.
    """
    text = transcript.text
    fillers = dict(count_fillers(text) if fillers is None else fillers)
    for heard in transcript.filled_pauses:
        fillers[heard.kind] = fillers.get(heard.kind, 0) + 1
    spans = _timed_spans(transcript)
    words = len(spans) if transcript.has_word_timings else len(text.split())
    if spans:
        first, last = spans[0][0], spans[-1][1]
        duration = max(transcript.duration_s, last)
        speaking = last - first
        wpm = words * 60.0 / speaking if speaking > 0 else 0.0
        ttfw: float | None = first
        pauses = long_pauses(spans)
        series = wpm_series([s for s, _ in spans], last) if transcript.has_word_timings else ()
        estimated = False
    else:
        measured = transcript.duration_s > 0
        duration = transcript.duration_s if measured else words * ESTIMATED_SECONDS_PER_WORD
        wpm = words * 60.0 / duration if measured and duration > 0 else 0.0
        ttfw, pauses, series, estimated = None, (), (), not measured and words > 0
    verdict = allocation_verdict(stages, duration, time_limit_s, key_dimensions, estimated)
    return Pacing(
        duration_s=duration,
        words=words,
        wpm=wpm,
        filler_count=sum(fillers.values()),
        long_pauses=len(pauses),
        time_to_first_word_s=ttfw,
        stages=tuple(stages),
        time_limit_s=time_limit_s,
        fillers=dict(sorted(fillers.items())),
        pause_spans=pauses,
        wpm_series=series,
        allocation_verdict=verdict,
        filler_events=filler_events(transcript),
    )
