"""Delivery metrics and the timed rubric: pauses, fillers, speed, stages and the verdict."""

from __future__ import annotations

import pytest
from grading_calibration import ANSWERS, QUESTIONS, evenly_timed, timed_transcript

from engine.grading.base import GradeRequest
from engine.grading.pacing import measure_pacing
from engine.grading.result import Stage
from engine.transcript import Transcript

FRAMING = (
    "So first I want to understand who the users are. I'll assume commuters who listen on "
    "the way to work and want something new quickly. Let's scope it to the home screen only. "
    "I'd ask what the team cares about, whether it's habit or plays. The users need short "
    "episodes in the morning because their commute is short. "
)
METRICS = (
    "For metrics, the north star is weekly listening days, because it measures habit. "
    "As a guardrail I'd watch early skips, since click-through can mislead. "
)


@pytest.fixture(scope="module")
def jfk_transcript(jfk_path):
    """Real Whisper output (tiny.en, word timings) for eleven seconds of real speech."""
    from engine.speech.transcriber import get_transcriber

    return get_transcriber().transcribe_file(jfk_path)


def test_real_whisper_transcript_gives_plausible_pacing(jfk_transcript):
    pacing = measure_pacing(jfk_transcript, 60.0, ())
    assert jfk_transcript.has_word_timings
    assert pacing.words == len(jfk_transcript.words) >= 20
    assert 10.0 <= pacing.duration_s <= 12.0
    assert pacing.time_to_first_word_s is not None and pacing.time_to_first_word_s < 1.0
    assert 90 <= pacing.wpm <= 170  # a slow, deliberate speech
    assert pacing.long_pauses == 0  # the longest gap in this recording is about 1.6 s
    assert pacing.filler_count == 0
    assert pacing.wpm_series and all(w > 0 for _, w in pacing.wpm_series)


def test_real_whisper_transcript_grades_with_timed_evidence(grader, jfk_transcript):
    question = QUESTIONS["cal-design-podcast-home"]
    grade = grader.grade(GradeRequest(question, jfk_transcript))
    for dim in grade.dimensions:
        for evidence in dim.evidence:
            assert evidence.quote in jfk_transcript.text
            assert evidence.start_s is not None and 0.0 <= evidence.start_s <= 11.0
    assert grade.overall < 2.0, "a patriotic speech is not an answer to a design question"


def test_long_pause_and_fillers_are_counted():
    words = [
        (0.8, 1.0, "So,"),
        (1.1, 1.3, "um,"),
        (1.4, 1.7, "the"),
        (1.8, 2.1, "users"),
        (2.2, 2.4, "are,"),
        (2.5, 2.7, "like,"),
        (2.8, 3.2, "commuters."),
        # four seconds of silence while the candidate thinks
        (7.2, 7.5, "Uh,"),
        (7.6, 7.9, "you"),
        (8.0, 8.2, "know,"),
        (8.3, 8.6, "they"),
        (8.7, 9.0, "want"),
        (9.1, 9.4, "short"),
        (9.5, 9.9, "episodes."),
    ]
    transcript = timed_transcript(words, duration_s=10.5)
    pacing = measure_pacing(transcript, 120.0, ())
    assert pacing.long_pauses == 1
    assert pacing.pause_spans == ((3.2, 7.2),)
    assert pacing.fillers == {"like": 1, "uh": 1, "um": 1, "you know": 1}
    assert pacing.filler_count == 4
    assert pacing.time_to_first_word_s == pytest.approx(0.8)
    assert pacing.duration_s == pytest.approx(10.5)
    assert pacing.wpm == pytest.approx(14 * 60 / (9.9 - 0.8))


def test_gap_of_exactly_three_seconds_is_not_a_long_pause():
    transcript = timed_transcript([(0.0, 0.5, "first"), (3.5, 4.0, "second")])
    assert measure_pacing(transcript, None, ()).long_pauses == 0


def test_wpm_series_tracks_a_speaker_who_speeds_up():
    slow = [(i * 0.8, i * 0.8 + 0.5, "slow") for i in range(20)]  # 75 wpm for 16 s
    fast = [(16 + i * 0.3, 16 + i * 0.3 + 0.2, "fast") for i in range(50)]  # 200 wpm
    pacing = measure_pacing(timed_transcript(slow + fast), None, ())
    rates = [w for _, w in pacing.wpm_series]
    assert len(rates) >= 2
    assert rates[0] < 100 < 150 < rates[-1]


def test_stage_timeline_follows_the_answer_outline(grader):
    transcript = evenly_timed(FRAMING + METRICS)
    grade = grader.grade(GradeRequest(QUESTIONS["cal-design-podcast-home"], transcript))
    stages = grade.pacing.stages
    assert [s.dimension for s in stages] == ["problem_framing", "metrics"]
    assert stages[0].start_s == pytest.approx(0.5)
    assert stages[0].end_s == stages[1].start_s
    assert stages[-1].end_s <= transcript.duration_s


def test_verdict_calls_out_time_spent_framing(grader):
    transcript = evenly_timed(FRAMING * 2 + METRICS)
    grade = grader.grade(GradeRequest(QUESTIONS["cal-design-podcast-home"], transcript))
    verdict = grade.pacing.allocation_verdict
    assert verdict.startswith("More than half of the time")
    assert "went to framing" in verdict
    assert "never came up" in verdict  # system design, trade-offs, experimentation


def test_verdict_says_when_the_answer_ran_over_before_a_stage():
    stages = (
        Stage("problem_framing", 0.0, 100.0),
        Stage("metrics", 100.0, 250.0),
        Stage("experimentation", 250.0, 285.0),
    )
    transcript = timed_transcript([(0.0, 0.5, "start"), (284.0, 285.0, "end")])
    pacing = measure_pacing(transcript, 240.0, stages, ("metrics", "experimentation"))
    assert pacing.over_limit_s == pytest.approx(45.0)
    assert pacing.allocation_verdict.startswith(
        "Ran 0:45 over the 4:00 limit before reaching experimentation."
    )


def test_balanced_answer_gets_a_positive_verdict():
    stages = (
        Stage("problem_framing", 0.0, 40.0),
        Stage("metrics", 40.0, 100.0),
        Stage("system_design", 100.0, 170.0),
        Stage("tradeoffs", 170.0, 210.0),
        Stage("experimentation", 210.0, 250.0),
    )
    transcript = timed_transcript([(0.0, 0.5, "start"), (249.0, 250.0, "end")])
    key = ("problem_framing", "metrics", "system_design", "tradeoffs", "experimentation")
    verdict = measure_pacing(transcript, 300.0, stages, key).allocation_verdict
    assert verdict.startswith("Time was spread sensibly within the 5:00 limit")
    assert "framing 0:40" in verdict


def test_text_transcript_estimates_times_and_says_so(grader):
    text = ANSWERS["cal-design-podcast-home"]["strong"]
    grade = grader.grade(
        GradeRequest(QUESTIONS["cal-design-podcast-home"], Transcript.from_text(text))
    )
    pacing = grade.pacing
    assert pacing.wpm == 0.0  # not measured
    assert pacing.time_to_first_word_s is None
    assert pacing.long_pauses == 0
    assert pacing.duration_s == pytest.approx(len(text.split()) * 0.4)
    assert pacing.stages and pacing.stages[-1].end_s == pytest.approx(pacing.duration_s)
    assert "estimated from word count" in pacing.allocation_verdict


def test_text_transcript_with_known_duration_measures_wpm():
    transcript = Transcript.from_text("one two three four five six seven eight nine ten", 5.0)
    pacing = measure_pacing(transcript, None, ())
    assert pacing.wpm == pytest.approx(120.0)
    assert pacing.duration_s == 5.0


def test_a_recorded_answer_far_shorter_than_the_limit_loses_communication(grader):
    answer = ANSWERS["cal-design-podcast-home"]["ok"]  # about 70 s when spoken
    question = QUESTIONS["cal-design-podcast-home"]
    short_limit = grader.grade(GradeRequest(question, evenly_timed(answer), time_limit_s=120.0))
    long_limit = grader.grade(GradeRequest(question, evenly_timed(answer), time_limit_s=900.0))
    comm_short = short_limit.dimension("communication")
    comm_long = long_limit.dimension("communication")
    assert comm_long.score < comm_short.score
    assert any("use more of the time" in m for m in comm_long.missing)
    assert "Used only 1:12 of the 15:00 limit" in long_limit.pacing.allocation_verdict


def test_fillers_heard_in_the_audio_are_counted_with_their_times():
    """Whisper wrote one "um"; the audio held two more it left out (Transcript.filled_pauses)."""
    from dataclasses import replace

    from engine.grading.result import Pacing
    from engine.transcript import FilledPause

    words = [
        (0.5, 0.8, "So,"),
        (0.9, 1.1, "um,"),
        (1.2, 1.5, "signals"),
        (1.6, 1.8, "like"),
        (1.9, 2.3, "dwell"),
        (2.4, 2.8, "time."),
        (3.9, 4.2, "Then"),
        (4.3, 4.7, "ranking."),
    ]
    heard = (FilledPause(2.9, 3.5, "uh"), FilledPause(4.8, 5.3, "um"))
    transcript = replace(timed_transcript(words, duration_s=6.0), filled_pauses=heard)
    pacing = measure_pacing(transcript, 60.0, ())
    assert pacing.fillers == {"um": 2, "uh": 1}  # "signals like dwell time" is not a filler
    assert pacing.filler_count == 3
    assert [(e.start_s, e.kind, e.source) for e in pacing.filler_events] == [
        (0.9, "um", "words"),
        (2.9, "uh", "audio"),
        (4.8, "um", "audio"),
    ]
    again = Pacing.from_dict(pacing.to_dict())
    assert again.filler_events == pacing.filler_events
    older = pacing.to_dict()
    del older["filler_events"]  # a session saved before filler events existed still loads
    assert Pacing.from_dict(older).filler_events == ()


def test_filled_pauses_survive_the_transcript_json_and_are_absent_when_none():
    from dataclasses import replace

    from engine.transcript import FilledPause

    plain = timed_transcript([(0.5, 0.9, "Hello.")], duration_s=2.0)
    assert "filled_pauses" not in plain.to_dict()
    marked = replace(plain, filled_pauses=(FilledPause(1.0, 1.4, "uh"),))
    assert Transcript.from_dict(marked.to_dict()).filled_pauses == marked.filled_pauses
