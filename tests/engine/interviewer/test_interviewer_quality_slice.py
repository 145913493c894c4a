"""A slice of ``bench/interviewer_quality.py`` in the suite: a strong and an adversarial interview.

Both go through the whole speech path the harness uses: every candidate turn is spoken by our
TTS voice, streamed through the real Whisper tiny.en transcriber in microphone-sized chunks and
driven through the interview state machine by the demo host, graded by the offline engine. The
test asserts the checklist items a user would notice, never how long it took.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.interviewer_quality import CANDIDATES_DIR, check_interview, run_candidate


@pytest.mark.slow
def test_a_strong_candidate_is_probed_only_on_gaps_and_never_redirected(tmp_path: Path) -> None:
    script, summary = run_candidate(
        CANDIDATES_DIR / "strong-feed-and-drop.yaml",
        tmp_path,
        question_ids=["design-short-video-feed"],
    )
    results = check_interview(script, summary)
    for check in (
        "no_repeated_probe",
        "no_probe_on_solid",
        "redirect_on_off_topic",
        "no_expected_points_leaked",
        "wrap_up_on_time",
        "report_quotes_verbatim",
        "session_saved_and_explained",
    ):
        ok, detail = results[check]
        assert ok, f"{check}: {detail}"
    probes = [t for t in summary["turns"] if t["reply_purpose"] == "follow_up"]
    assert probes, "a strong answer with gaps still gets probed"
    assert summary["questions"][0]["overall"] > 2.0


@pytest.mark.slow
def test_three_clarifying_questions_after_an_interruption_are_answered_and_reported(
    tmp_path: Path,
) -> None:
    script, summary = run_candidate(CANDIDATES_DIR / "three-questions.yaml", tmp_path)
    results = check_interview(script, summary)
    for check in (
        "clarifications_from_bank",
        "no_expected_points_leaked",
        "adversarial_ceiling",
        "session_saved_and_explained",
        "no_probe_on_solid",
    ):
        ok, detail = results[check]
        assert ok, f"{check}: {detail}"
    replies = [t["reply"] for t in summary["turns"] if t["reply_purpose"] == "clarification_reply"]
    assert len(replies) == 3
    assert "Make reasonable assumptions" in replies[-1]  # the nudge after the third
    assert any("before the question was fully spoken" in n for n in summary["notes"])
