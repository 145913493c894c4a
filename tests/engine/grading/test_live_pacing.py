"""Live pacing on a growing answer, fed the way the interview screen feeds it."""

from __future__ import annotations

from engine.grading.live_pacing import LivePacer

FRAMING = (
    "So first I want to understand who the users are here. I think the main users are people "
    "who open the feed in the evening and want something relaxing to watch. Before going "
    "further I would like to clarify what engagement means for the team and who we serve. "
)
METRICS = (
    "For metrics I would look at daily active users and the time spent per session, and I "
    "would keep a guardrail on the hide rate, because watch time alone can mislead us. "
)


def _feed(pacer: LivePacer, text: str, seconds: float, steps: int = 10, start: float = 0.0):
    words = text.split()
    result = None
    for step in range(1, steps + 1):
        shown = " ".join(words[: len(words) * step // steps])
        result = pacer.update(shown, start + seconds * step / steps)
    return result


def test_stage_follows_the_answer_and_the_pace_is_counted_over_the_last_30_seconds():
    pacer = LivePacer("diagnose", 300)
    first = _feed(pacer, FRAMING, 20)
    assert first.stage == "problem_framing"
    assert first.stage_label == "framing"
    words = len(FRAMING.split())
    assert first.wpm == round(words / 20 * 60)
    later = _feed(pacer, FRAMING + METRICS, 40, start=0)
    assert later.stage == "metrics"
    assert "problem_framing" in later.stages_reached


def test_half_the_time_without_a_metric_gets_a_gentle_cue():
    pacer = LivePacer("metrics", 120)
    early = _feed(pacer, FRAMING, 30)
    assert early.cue is None
    late = pacer.update(FRAMING, 65)
    assert late.cue is not None and "no metric yet" in late.cue
    with_metric = LivePacer("metrics", 120)
    done = with_metric.update(FRAMING + METRICS, 65)
    assert done.cue is None or "no metric" not in done.cue


def test_late_in_the_answer_the_missing_key_stage_is_named_and_time_up_says_wrap_up():
    pacer = LivePacer("diagnose", 100)
    assert "get to diagnosis" in pacer.update(FRAMING + METRICS, 80).cue
    assert "wrap up" in pacer.update(FRAMING + METRICS, 101).cue


def test_fast_speech_is_pointed_out_and_no_limit_means_no_clock_cue():
    pacer = LivePacer("design", None)
    fast = " ".join(["we rank the videos by predicted watch time"] * 15)  # 120 words
    result = _feed(pacer, fast, 30, steps=6)
    assert result.wpm == 240
    assert result.cue is not None and "fast" in result.cue
    assert LivePacer("design", None).update("", 5).cue is None
