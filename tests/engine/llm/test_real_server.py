"""The LLM engine against a real local OpenAI-compatible server: llama.cpp serving SmolLM2-135M.

SmolLM2-135M follows instructions poorly, so these tests check what the server guarantees, not
what the model chooses to say: the request round trip, the structured-output negotiation with a
server that rejects OpenAI's ``json_schema`` form, and a grade that IS the LLM's. The last is
guaranteed: llama.cpp samples under a grammar built from the bounded schema, whose longest reply
(a few hundred tokens) fits well inside ``grade_max_tokens``, so the reply is always schema-valid
JSON and the offline fallback is a failure here. The streamed follow-up is content the model
picks (it may well ramble, and the offline wording is then correct), so that test asserts the
round trip only: the server was reached and streamed. The LLM success path of the probe is
asserted against a scripted server in test_follow_ups.py.

The grading request is compact (a ~600-token prompt), so on this 2-core machine SmolLM2 answers
in about 7-17 s even while other suites run; a timeout would mean the request grew too large for
local models again. One server is shared by the session.
"""

from __future__ import annotations

import pytest

from engine.engines import make_grader
from engine.llm.client import LLMClient, status_of, test_connection
from engine.llm.follow_ups import FollowUpStream
from engine.llm.grader import LLMGrader, remembered_style
from engine.llm.schema import response_format
from engine.llm.settings import LLMSettings
from engine.rubric import applicable_dimensions

pytestmark = pytest.mark.llm

# Generous against a busy machine (typical grade: 7-17 s alone, 45 s+ under heavy load); a
# timeout fails the grading test.
REAL_TIMEOUT_S = 90.0


@pytest.fixture
def real_settings(llm_server) -> LLMSettings:
    return LLMSettings(
        provider="custom",
        base_url=llm_server.base_url,
        model=llm_server.model,
        timeout_s=REAL_TIMEOUT_S,
    )


def test_connection_check_names_the_model(real_settings):
    line = test_connection(real_settings)

    assert line.startswith(f"Connected to {real_settings.base_url}: model 'SmolLM2-135M-Instruct'")


def test_real_server_rejects_json_schema_so_auto_style_must_switch(real_settings):
    client = LLMClient(real_settings)

    with pytest.raises(Exception) as caught:
        client.chat(
            [{"role": "user", "content": "Say hi"}],
            max_tokens=4,
            response_format=response_format("json_schema", "design"),
        )

    assert getattr(caught.value, "kind", None) in ("server", "bad_request")
    assert status_of(caught.value) in (400, 422, 500)


def test_real_grade_is_schema_valid_verbatim_and_bounded(real_settings, feed_request):
    offline = make_grader("offline").grade(feed_request)

    grade = LLMGrader(real_settings).grade(feed_request)

    applicable = applicable_dimensions("design")
    assert [d.id for d in grade.dimensions] == [d.id for d in offline.dimensions]
    assert grade.pacing == offline.pacing
    assert grade.engine == "llm:SmolLM2-135M-Instruct", grade.fallback
    assert grade.fallback is None
    assert remembered_style(real_settings.base_url) == "json_object"
    for dim in grade.dimensions:
        if dim.id not in applicable:
            assert dim.score is None
            continue
        assert 1 <= dim.score <= offline.dimension(dim.id).score + 1
        for evidence in dim.evidence:
            assert evidence.quote in feed_request.transcript.text
            assert evidence.start_s is not None
    assert 1.0 <= grade.overall <= 4.0


def test_real_follow_up_streams_a_question_from_the_server(real_settings, feed_request):
    scores = make_grader("offline").grade(feed_request).dimensions
    stream = FollowUpStream(feed_request, scores, client=LLMClient(real_settings))

    spoken = list(stream)

    assert spoken, "a probe is due (follow-ups left, plenty of time), so something is spoken"
    assert stream.suggestion is not None
    assert stream.suggestion.text == " ".join(spoken)
    assert stream.suggestion.text.endswith("?")
    # Reached and answered: whatever it said, no connection, timeout or server fallback.
    reason = stream.fallback_reason or ""
    for failure in ("could not reach", "did not answer", "server error"):
        assert failure not in reason, reason
