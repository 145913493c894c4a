"""Streamed LLM follow-ups against a scripted endpoint (the real server: test_real_server.py).

The stand-in streams word by word with a pause, like a model generating, so the tests can see
that the first sentence is handed out before the reply is complete.
"""

from __future__ import annotations

import time
from dataclasses import replace

from engine.engines import make_grader
from engine.llm.client import LLMClient
from engine.llm.follow_ups import FollowUpStream, generate_follow_up, is_repeated_probe
from engine.llm.grader import LLMGrader
from tests.engine.llm.conftest import stub_settings
from tests.fixtures.llm_server import StubReply


def _stream(request, settings) -> FollowUpStream:
    scores = make_grader("offline").grade(request).dimensions
    return FollowUpStream(request, scores, client=LLMClient(settings))


def test_streamed_question_is_spoken_and_becomes_the_suggestion(stub_llm, feed_request):
    probe = "How would you know that a long watch was enjoyment rather than autoplay?"
    stub_llm.reply_with(StubReply(content=probe))
    stream = _stream(feed_request, stub_settings(stub_llm.base_url))

    spoken = list(stream)

    assert spoken == [probe]
    assert stream.source == "llm"
    assert stream.suggestion.text == probe
    offline_choice = make_grader("offline").grade(feed_request).follow_up
    assert stream.suggestion.dimension == offline_choice.dimension
    assert "Probe this dimension" in stub_llm.requests[0]["messages"][1]["content"]
    assert stub_llm.requests[0]["stream"] is True


def test_first_sentence_arrives_before_the_reply_is_complete(stub_llm, feed_request):
    lead_in = "Let us stay on the metric."
    question = (
        "If watch time went up but people came back less often the next week, "
        "which number would you trust and why?"
    )
    stub_llm.reply_with(StubReply(content=f"{lead_in} {question}", piece_delay_s=0.08))
    stream = _stream(feed_request, stub_settings(stub_llm.base_url))

    arrivals = []
    for sentence in stream:
        arrivals.append((sentence, time.monotonic()))

    assert [s for s, _ in arrivals] == [lead_in, question]
    first_at = arrivals[0][1]
    assert first_at < stub_llm.stream_ended_at[0] - 0.3  # many words were still to come
    assert stream.suggestion.text == f"{lead_in} {question}"


def test_preamble_is_never_spoken(stub_llm, feed_request):
    stub_llm.reply_with(
        StubReply(content="Sure! Here is my question: how would you test the new ranker safely?")
    )

    stream = _stream(feed_request, stub_settings(stub_llm.base_url))

    assert list(stream) == ["how would you test the new ranker safely?"]


def test_markdown_reply_is_replaced_by_the_offline_probe(stub_llm, feed_request):
    stub_llm.reply_with(StubReply(content="**Follow-up:**\n- What about *latency*?"))
    offline_choice = make_grader("offline").grade(feed_request).follow_up

    stream = _stream(feed_request, stub_settings(stub_llm.base_url))

    assert list(stream) == [offline_choice.text]
    assert stream.source == "offline"
    assert stream.suggestion == offline_choice
    assert "did not ask one short plain question" in stream.fallback_reason


def test_statement_without_a_question_falls_back(stub_llm, feed_request):
    stub_llm.reply_with(StubReply(content="That was a good answer about metrics"))

    stream = _stream(feed_request, stub_settings(stub_llm.base_url))

    assert list(stream) == [make_grader("offline").grade(feed_request).follow_up.text]
    assert stream.source == "offline"


def test_probe_already_asked_is_not_repeated(stub_llm, feed_request):
    asked = "How would you test this before a full launch?"
    stub_llm.reply_with(StubReply(content="How would you test this before a full launch?"))
    request = replace(feed_request, asked_probes=frozenset({asked}))

    stream = _stream(request, stub_settings(stub_llm.base_url))
    spoken = list(stream)

    assert stream.source == "offline"
    assert not is_repeated_probe(spoken[-1], {asked})


def test_endpoint_down_gives_the_offline_probe_with_the_reason(closed_port_url, feed_request):
    stream = generate_follow_up(
        feed_request,
        make_grader("offline").grade(feed_request).dimensions,
        settings=stub_settings(closed_port_url),
    )

    assert stream.source == "offline"
    assert stream.suggestion is not None
    assert f"could not reach the LLM at {closed_port_url}" in stream.fallback_reason


def test_no_probe_when_the_policy_says_move_on(stub_llm, feed_request):
    request = replace(feed_request, follow_ups_left=0)

    stream = _stream(request, stub_settings(stub_llm.base_url))

    assert list(stream) == []
    assert stream.suggestion is None
    assert stub_llm.requests == []


def test_stream_is_closed_once_the_question_has_arrived(stub_llm, feed_request):
    question = "Which guardrail would stop you from shipping this?"
    chatter = " ".join(["More words the model keeps producing."] * 40)
    stub_llm.reply_with(StubReply(content=f"{question} {chatter}", piece_delay_s=0.05))
    stream = _stream(feed_request, stub_settings(stub_llm.base_url))

    assert list(stream) == [question]

    # The server notices the closed connection at its next writes and stops: it never gets
    # to the end of the chatter (which would take 14 s more).
    assert stub_llm.stream_done.wait(30)
    total = len(f"{question} {chatter}".split(" "))
    assert stub_llm.stream_pieces_sent[0] < total


def test_repeat_detection_ignores_case_punctuation_and_lead_ins():
    asked = {"What are the limits of watch time?"}

    assert is_repeated_probe("what are the limits of WATCH TIME", asked)
    assert is_repeated_probe("Okay. What are the limits of watch time?", asked)
    assert not is_repeated_probe("What are the limits of click-through rate?", asked)


def test_echoed_prompt_markers_are_never_spoken(stub_llm, feed_request):
    stub_llm.reply_with(
        StubReply(content="<<<END ANSWER 1f2e3d4c>>> Done. What would you measure first?")
    )

    stream = _stream(feed_request, stub_settings(stub_llm.base_url))
    spoken = list(stream)

    assert stream.source == "offline"
    assert not any("<" in s for s in spoken)


def test_grader_hands_out_follow_up_streams_on_its_own_endpoint(stub_llm, feed_request):
    probe = "Which guardrail metric would make you stop the launch?"
    stub_llm.reply_with(StubReply(content=probe))
    grader = LLMGrader(stub_settings(stub_llm.base_url))
    scores = make_grader("offline").grade(feed_request).dimensions

    assert list(grader.follow_up_stream(feed_request, scores)) == [probe]
