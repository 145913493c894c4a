"""A live interview with the LLM engine: the probe decided offline at once, worded by the LLM's
stream, and the answer's LLM grading landing on its turn afterwards.

The success path needs a server guaranteed to answer validly, so it runs against ``stub_llm``
(a real local HTTP server speaking the OpenAI chat API, streaming a fixed probe and returning a
fixed schema-valid grade): SmolLM2-135M, the real local model, follows instructions too poorly
to promise that. Fallbacks (server unreachable, too slow, failing) have their own tests; the
real llama.cpp server is exercised in tests/engine/llm/test_real_server.py.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from engine.engines import make_grader
from engine.interviewer.live_llm import BackgroundGradings, SpokenProbe
from engine.interviewer.state_machine import Interview, InterviewSettings
from engine.questions.model import FollowUp, Question
from engine.transcript import Transcript
from tests.engine.llm.conftest import grade_reply
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


PROBE = "Let us stay on metrics. When could watch time mislead you about quality?"
QUOTE = "I would measure success with watch time"  # verbatim: invented quotes are dropped


def _listening(interview: Interview) -> Interview:
    interview.start()
    interview.on_spoken()
    return interview


def test_live_probe_is_decided_offline_worded_by_stream_and_the_llm_grade_lands_later(
    stub_llm, monkeypatch
):
    monkeypatch.setenv("MOCKINTERVIEW_LLM_BASE_URL", stub_llm.base_url)
    monkeypatch.setenv("MOCKINTERVIEW_LLM_MODEL", "stub-model")
    # The probe is requested first (gradings are held while it is worded), then the grading.
    stub_llm.reply_with(
        StubReply(content=PROBE, piece_delay_s=0.05),
        StubReply(content=grade_reply({"metrics": 3}, {"metrics": [QUOTE]})),
    )
    offline_interview = _listening(Interview([QUESTION], SETTINGS, make_grader("offline")))
    offline_action = offline_interview.on_answer(Transcript.from_text(ANSWER, duration_s=20.0))
    interview = _listening(Interview([QUESTION], SETTINGS, make_grader("llm"), live_llm=True))
    gradings = BackgroundGradings(interview.llm_grader)

    action = interview.on_answer(Transcript.from_text(ANSWER, duration_s=20.0))

    # The decision is the offline one, made without asking the model anything.
    assert stub_llm.requests == []
    assert (action.kind, action.purpose, action.text) == ("speak", "follow_up", offline_action.text)
    answer_turn = interview.session.questions[0].turns[-1]
    assert answer_turn.grade.engine == "offline" and answer_turn.grade.fallback is None
    wording = interview.take_probe_wording()
    assert wording is not None and wording.choice.dimension == "metrics"
    probe = SpokenProbe(interview.llm_grader, wording, gradings=gradings).start()
    for pending in interview.take_pending_gradings():
        gradings.submit(pending)
    first = probe.first_sentence()
    assert len(stub_llm.requests) == 1 and stub_llm.requests[0]["stream"]  # only the probe yet
    rest = probe.rest()
    interview.reword_follow_up(probe.text, probe.worded_by, probe.fallback_reason)

    assert (first, rest) == (
        "Let us stay on metrics.",
        "When could watch time mislead you about quality?",
    )
    assert probe.source == "llm" and probe.worded_by == "llm:stub-model"
    assert interview.current_prompt_text == PROBE

    # The background LLM grading (held back while the probe streamed) lands on the answer turn.
    assert gradings.wait(30.0)
    [(pending, grade)] = gradings.results
    assert pending.turn is answer_turn
    Interview.attach_llm_grading(pending, grade)
    assert len(answer_turn.gradings) == 2
    assert answer_turn.grade is grade
    assert grade.engine == "llm:stub-model" and grade.fallback is None
    assert [e.quote for e in grade.dimension("metrics").evidence] == [QUOTE]

    # The follow-up answer's turn records the probe as it was spoken and who worded it.
    interview.on_spoken()
    interview.on_answer(Transcript.from_text("Watch time rewards clickbait, so I cap it."))
    follow_turn = interview.session.questions[0].turns[-1]
    assert follow_turn.prompt == PROBE
    assert follow_turn.follow_up["worded_by"] == "llm:stub-model"
    assert "wording_fallback" not in follow_turn.follow_up


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

    assert waited_s >= 0.45  # it did wait for the model, up to the bound
    assert stub_llm.stream_ended_at == []  # and spoke before the slow server answered
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
