"""The desktop interview with the LLM engine against a real local server (llama.cpp + SmolLM2).

The interview controller runs for real (Qt offscreen, real workers, real session on disk); the
answers are typed, because the microphone is deliberately pointed at a device that does not exist
(the controller then offers typed answers, which is the path under test here, not audio). What a
candidate notices: the follow-up comes within seconds of the answer, not after the LLM grading;
the report is only opened once the LLM gradings are in, and the saved session has them.
"""

from __future__ import annotations

import time

import pytest

from desktop.controllers import interview_controller as ic
from desktop.controllers.interview_jobs import InterviewPlan
from desktop.controllers.speech_model import SpeechModelLoader
from engine.interviewer.live_llm import FIRST_SENTENCE_TIMEOUT_S
from engine.questions.model import FollowUp, Question
from engine.store.sessions import load_session

pytestmark = pytest.mark.llm

QUESTION = Question(
    id="live-feed",
    category="design",
    prompt="Design the recommendation system for a short-video feed.",
    time_limit_s=300,
    expected={"metrics": ("seven-day retention as the north star",)},
    follow_ups=(
        FollowUp("What are the limits of watch time as a metric?", "metrics", ("watch time",)),
    ),
)
ANSWER = (
    "First I would think about the users who want fun videos quickly. I would measure success "
    "with seven day retention, and watch time only as a proxy, because watch time can reward "
    "clickbait. I start with a popularity baseline, then a retrieval model and a ranker."
)
FOLLOW_UP_ANSWER = "Watch time rewards clickbait, so I would cap its weight and watch reports."


@pytest.fixture
def controller(qtbot, llm_server, monkeypatch):
    monkeypatch.setenv("MOCKINTERVIEW_LLM_BASE_URL", llm_server.base_url)
    monkeypatch.setenv("MOCKINTERVIEW_LLM_MODEL", llm_server.model)
    monkeypatch.setenv("MOCKINTERVIEW_LLM_TIMEOUT", "45")
    controller = ic.InterviewController(SpeechModelLoader())
    yield controller
    controller.shutdown()


def test_llm_interview_probes_at_once_and_the_report_waits_for_llm_gradings(
    controller, qtbot, llm_server
):
    said: list[tuple[str, str, float]] = []
    notices: list[str] = []
    controller.interviewer_said.connect(
        lambda text, purpose, _i: said.append((purpose, text, time.monotonic()))
    )
    controller.notice.connect(lambda message, _level: notices.append(message))
    plan = InterviewPlan(
        questions=(QUESTION,),
        time_limit_s=300,
        follow_ups=1,
        engine="llm",
        input_device="no such microphone",
        output_device="no such speaker",
    )

    controller.start(plan)
    qtbot.waitUntil(
        lambda: controller.state == ic.LISTENING and controller.typed_mode, timeout=30_000
    )
    answered_at = time.monotonic()
    controller.submit_typed_answer(ANSWER)
    qtbot.waitUntil(lambda: controller.listening_purpose == "follow_up", timeout=30_000)

    follow_ups = [(text, at) for purpose, text, at in said if purpose == "follow_up"]
    assert follow_ups, "one probe is due on this answer"
    first_text, first_at = follow_ups[0]
    # Spoken within the bounded wait for the LLM's first sentence, not after a whole grading.
    assert first_at - answered_at < FIRST_SENTENCE_TIMEOUT_S + 3.0
    probe_text = follow_ups[-1][0]
    assert probe_text.endswith("?") and probe_text.startswith(first_text)

    with qtbot.waitSignal(controller.finished, timeout=120_000) as done:
        controller.submit_typed_answer(FOLLOW_UP_ANSWER)
    stored = load_session(done.args[0].id)
    answer_turn, follow_turn = stored.questions[0].turns
    assert follow_turn.prompt == probe_text
    assert follow_turn.follow_up["worded_by"] in ("offline", f"llm:{llm_server.model}")
    for turn in (answer_turn, follow_turn):
        # The offline grading first, then the background LLM one, which is current.
        assert [g.grade.engine for g in turn.gradings][0] == "offline"
        assert len(turn.gradings) == 2, turn.gradings
        grade = turn.grade
        assert grade.engine == f"llm:{llm_server.model}" or (
            grade.fallback and grade.fallback["kind"] == "invalid_output"
        ), grade.fallback
    if any("Grading with" in n for n in notices):
        assert any(f"Grading with {llm_server.model}" in n for n in notices)
