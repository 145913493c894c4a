"""A live interview with the LLM engine against a real local server (llama.cpp + SmolLM2-135M).

What a candidate notices: the next probe is decided at once (not after a slow LLM grading), its
first sentence arrives from the LLM stream within the bounded wait (or the offline wording is
spoken, with a reason), and the answer's LLM grading lands on its turn afterwards as the current
grading. SmolLM2 is tiny, so wording quality is not asserted, only the contract.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from engine.grading.engines import make_grader
from engine.grading.offline import OfflineGrader
from engine.interviewer.live_llm import FIRST_SENTENCE_TIMEOUT_S, BackgroundGradings, SpokenProbe
from engine.interviewer.state_machine import Interview, InterviewSettings
from engine.llm.validate import clean_probe
from engine.questions.model import FollowUp, Question
from engine.transcript import Transcript
from tests.fixtures.llm_server import StubReply

pytestmark = pytest.mark.llm

QUESTION = Question(
    id="live-feed",
    category="design",
    prompt="Design the recommendation system for a short-video feed.",
    time_limit_s=300,
    expected={
        "metrics": ("seven-day retention as the north star", "a guardrail metric"),
        "system_design": ("a popularity baseline first",),
    },
    follow_ups=(
        FollowUp("What are the limits of watch time as a metric?", "metrics", ("watch time",)),
        FollowUp("How would you test this before a full launch?", "experimentation"),
    ),
)
ANSWER = (
    "Let me start with the users and their needs. Casual viewers want fun videos quickly, "
    "creators want an audience. I will scope this to the main feed on mobile, and I assume we "
    "optimise for viewers first because without viewers creators leave. I would measure "
    "success with watch time. For the system I start with a popularity baseline, then a two "
    "tower retrieval model and a ranker."
)
"""Framing solid, metrics the biggest gap and "watch time" said: the bank's watch time probe."""
SETTINGS = InterviewSettings(time_limit_s=300, follow_ups_per_question=1, engine="llm")


@pytest.fixture
def llm_env(llm_server, monkeypatch):
    monkeypatch.setenv("MOCKINTERVIEW_LLM_BASE_URL", llm_server.base_url)
    monkeypatch.setenv("MOCKINTERVIEW_LLM_MODEL", llm_server.model)
    monkeypatch.setenv("MOCKINTERVIEW_LLM_TIMEOUT", "45")
    return llm_server


def _listening(interview: Interview) -> Interview:
    interview.start()
    interview.on_spoken()
    return interview


def test_live_probe_is_decided_offline_worded_by_stream_and_the_llm_grade_lands_later(llm_env):
    offline_interview = _listening(Interview([QUESTION], SETTINGS, OfflineGrader()))
    offline_action = offline_interview.on_answer(Transcript.from_text(ANSWER, duration_s=20.0))
    interview = _listening(Interview([QUESTION], SETTINGS, make_grader("llm"), live_llm=True))
    gradings = BackgroundGradings(interview.llm_grader)

    started = time.monotonic()
    action = interview.on_answer(Transcript.from_text(ANSWER, duration_s=20.0))
    decided_s = time.monotonic() - started

    # The decision is the offline one, made without waiting for the model.
    assert decided_s < 2.0
    assert (action.kind, action.purpose, action.text) == ("speak", "follow_up", offline_action.text)
    answer_turn = interview.session.questions[0].turns[-1]
    assert answer_turn.grade.engine == "offline" and answer_turn.grade.fallback is None
    for pending in interview.take_pending_gradings():
        gradings.submit(pending)
    wording = interview.take_probe_wording()
    assert wording is not None and wording.choice.dimension == "metrics"

    probe = SpokenProbe(interview.llm_grader, wording, gradings=gradings).start()
    first = probe.first_sentence()
    waited_s = time.monotonic() - started
    rest = probe.rest()
    interview.reword_follow_up(probe.text, probe.worded_by, probe.fallback_reason)

    assert waited_s < FIRST_SENTENCE_TIMEOUT_S + 2.0
    assert probe.text == " ".join(part for part in (first, rest) if part)
    assert probe.text.endswith("?")
    if probe.source == "llm":
        assert probe.worded_by == f"llm:{llm_env.model}"
        assert clean_probe(probe.text.split("? ")[-1]) is not None
    else:
        assert probe.fallback_reason and probe.text.endswith(probe.offline_text)
    assert interview.current_prompt_text == probe.text

    # The background LLM grading (held back while the probe streamed) lands on the answer turn.
    assert gradings.wait(90.0)
    [(pending, grade)] = gradings.results
    assert pending.turn is answer_turn
    Interview.attach_llm_grading(pending, grade)
    assert len(answer_turn.gradings) == 2
    assert answer_turn.grade is grade
    if grade.engine == "offline":
        assert grade.fallback["kind"] == "invalid_output", grade.fallback
    else:
        assert grade.engine == f"llm:{llm_env.model}"
        for dim in grade.dimensions:
            for evidence in dim.evidence:
                assert evidence.quote in ANSWER

    # The follow-up answer's turn records the probe as it was spoken and who worded it.
    interview.on_spoken()
    interview.on_answer(Transcript.from_text("Watch time rewards clickbait, so I cap it."))
    follow_turn = interview.session.questions[0].turns[-1]
    assert follow_turn.prompt == probe.text
    assert follow_turn.follow_up["worded_by"] == probe.worded_by
    assert ("wording_fallback" in follow_turn.follow_up) == (probe.source == "offline")


def test_live_mode_with_an_unreachable_server_still_probes_at_once_in_offline_words(
    closed_port_url, monkeypatch
):
    monkeypatch.setenv("MOCKINTERVIEW_LLM_BASE_URL", closed_port_url)
    monkeypatch.setenv("MOCKINTERVIEW_LLM_MODEL", "absent-model")
    interview = _listening(Interview([QUESTION], SETTINGS, make_grader("llm"), live_llm=True))
    gradings = BackgroundGradings(interview.llm_grader)

    action = interview.on_answer(Transcript.from_text(ANSWER, duration_s=20.0))
    for pending in interview.take_pending_gradings():
        gradings.submit(pending)
    probe = SpokenProbe(interview.llm_grader, interview.take_probe_wording(), gradings=gradings)
    first = probe.start().first_sentence()
    rest = probe.rest()

    assert first == action.text.rstrip() or first == probe.offline_text
    assert rest == ""
    assert probe.source == "offline" and "could not reach" in probe.fallback_reason
    assert gradings.wait(30.0)
    [(_pending, grade)] = gradings.results
    assert grade.engine == "offline" and grade.fallback["kind"] == "connection"


def _stub_interview(stub_llm, monkeypatch) -> tuple[Interview, Any]:
    monkeypatch.setenv("MOCKINTERVIEW_LLM_BASE_URL", stub_llm.base_url)
    monkeypatch.setenv("MOCKINTERVIEW_LLM_MODEL", "stub-model")
    interview = _listening(Interview([QUESTION], SETTINGS, make_grader("llm"), live_llm=True))
    interview.on_answer(Transcript.from_text(ANSWER, duration_s=20.0))
    return interview, interview.take_probe_wording()


def test_a_streamed_probe_is_spoken_sentence_by_sentence_in_the_llms_words(stub_llm, monkeypatch):
    """The scripted server stands in for a model that follows instructions, which SmolLM2-135M
    rarely does; it streams word by word like a real one."""
    stub_llm.reply_with(
        StubReply(
            content="Let us stay on metrics. When could watch time mislead you about quality?",
            piece_delay_s=0.05,
        )
    )
    interview, wording = _stub_interview(stub_llm, monkeypatch)

    probe = SpokenProbe(interview.llm_grader, wording).start()
    first = probe.first_sentence()
    rest = probe.rest()
    interview.reword_follow_up(probe.text, probe.worded_by, probe.fallback_reason)

    assert (first, rest) == (
        "Let us stay on metrics.",
        "When could watch time mislead you about quality?",
    )
    assert probe.source == "llm" and probe.worded_by == "llm:stub-model"
    assert interview.current_prompt_text == f"{first} {rest}"
    assert interview.asked_probes == (probe.text,)


def test_a_probe_too_slow_to_start_is_spoken_in_offline_words_at_the_bound(stub_llm, monkeypatch):
    stub_llm.reply_with(StubReply(content="How would you test it?", delay_s=3.0))
    interview, wording = _stub_interview(stub_llm, monkeypatch)

    started = time.monotonic()
    probe = SpokenProbe(interview.llm_grader, wording, first_timeout_s=0.5).start()
    first = probe.first_sentence()
    waited_s = time.monotonic() - started

    assert 0.4 < waited_s < 1.5
    assert first == wording.choice.text == probe.text
    assert probe.source == "offline" and "no sentence within 0.5 s" in probe.fallback_reason
    assert probe.rest() == ""


def test_background_gradings_wait_while_a_probe_is_worded_then_land_in_order(stub_llm, monkeypatch):
    stub_llm.reply_with(StubReply(status=500, error="model crashed"))
    interview, _wording = _stub_interview(stub_llm, monkeypatch)
    [pending] = interview.take_pending_gradings()
    landed = threading.Event()
    gradings = BackgroundGradings(interview.llm_grader, on_done=lambda *_: landed.set())

    gradings.hold()
    gradings.submit(pending)
    assert not landed.wait(0.3)
    assert stub_llm.requests == [] and gradings.unfinished == 1
    gradings.release()

    assert gradings.wait(10.0)
    [(_pending, grade)] = gradings.results
    Interview.attach_llm_grading(pending, grade)
    assert [g.grade.engine for g in pending.turn.gradings] == ["offline", "offline"]
    assert pending.turn.grade.fallback["kind"] == "server"
