"""The desktop interview with the LLM engine: the success path, the fallback path, a real server.

The interview controller runs for real (Qt offscreen, real workers, real session on disk); the
answers are typed, because the microphone is deliberately pointed at a device that does not exist
(the controller then offers typed answers, which is the path under test here, not audio). What a
candidate notices: the follow-up is spoken before the LLM grading (gradings wait while a probe is
worded); the report only opens once the LLM gradings are in, and the saved session has them.

The success path needs a server that is guaranteed to answer validly, which SmolLM2-135M is not
(it follows instructions poorly), so it runs against ``stub_llm``: a real local HTTP server
speaking the OpenAI chat API that streams a fixed probe and returns a fixed schema-valid grade.
The fallback path gets its own test (the same server answering prose). The real llama.cpp server
runs the whole flow once, asserting what holds whatever the model says.
"""

from __future__ import annotations

import pytest

from desktop.controllers import interview_controller as ic
from desktop.controllers.interview_jobs import InterviewPlan
from desktop.controllers.speech_model import SpeechModelLoader
from engine.questions.model import FollowUp, Question
from engine.store.sessions import load_session
from tests.engine.llm.conftest import grade_reply
from tests.fixtures.llm_server import StubReply

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
FOLLOW_UP_ANSWER = "Since watch time can reward clickbait, I would cap its weight."


LLM_PROBE = "Let us stay on metrics. When could watch time mislead you about quality?"
# Valid for both answers: scores in range, every quote verbatim in each transcript.
QUOTE = "watch time can reward clickbait"
LLM_GRADE = grade_reply({"metrics": 3}, {"metrics": [QUOTE]})


def plan(follow_ups: int = 1) -> InterviewPlan:
    return InterviewPlan(
        questions=(QUESTION,),
        time_limit_s=300,
        follow_ups=follow_ups,
        engine="llm",
        input_device="no such microphone",
        output_device="no such speaker",
    )


@pytest.fixture
def start_controller(qtbot, monkeypatch):
    """A controller whose LLM engine talks to ``base_url``; shut down afterwards."""
    made: list[ic.InterviewController] = []

    def start(base_url: str, model: str) -> ic.InterviewController:
        monkeypatch.setenv("MOCKINTERVIEW_LLM_BASE_URL", base_url)
        monkeypatch.setenv("MOCKINTERVIEW_LLM_MODEL", model)
        monkeypatch.setenv("MOCKINTERVIEW_LLM_TIMEOUT", "45")
        controller = ic.InterviewController(SpeechModelLoader())
        made.append(controller)
        controller.start(plan())
        qtbot.waitUntil(
            lambda: controller.state == ic.LISTENING and controller.typed_mode, timeout=30_000
        )
        return controller

    yield start
    for controller in made:
        if not controller.shutdown():
            qtbot.waitSignal(controller.closed, timeout=60_000)


def run_two_answers(controller, qtbot) -> tuple[object, list[tuple[str, str]], list[str], list]:
    """Answer the question and its probe; returns the stored session, what was said, notices and
    how many LLM gradings had landed when the probe's first words were spoken."""
    said: list[tuple[str, str]] = []
    notices: list[str] = []
    landed_at_probe: list[int] = []

    def on_said(text: str, purpose: str, _index: int) -> None:
        said.append((purpose, text))
        if purpose == "follow_up" and not landed_at_probe:
            landed_at_probe.append(len(controller._llm.gradings.results))

    controller.interviewer_said.connect(on_said)
    controller.notice.connect(lambda message, _level: notices.append(message))
    controller.submit_typed_answer(ANSWER)
    qtbot.waitUntil(lambda: controller.listening_purpose == "follow_up", timeout=60_000)
    with qtbot.waitSignal(controller.finished, timeout=120_000) as done:
        controller.submit_typed_answer(FOLLOW_UP_ANSWER)
    return load_session(done.args[0].id), said, notices, landed_at_probe


def test_llm_interview_speaks_the_llms_probe_and_reports_its_gradings(
    start_controller, qtbot, stub_llm
):
    # Requests come in a fixed order: the probe (gradings are held back while it is worded),
    # then one grading per answer. Words stream slowly, like a model generating.
    stub_llm.reply_with(
        StubReply(content=LLM_PROBE, piece_delay_s=0.15), StubReply(content=LLM_GRADE)
    )
    controller = start_controller(stub_llm.base_url, "stub-model")
    stored, said, notices, landed_at_probe = run_two_answers(controller, qtbot)

    follow_ups = [text for purpose, text in said if purpose == "follow_up"]
    assert follow_ups[0] == "Let us stay on metrics."  # the first sentence, spoken at once
    assert follow_ups[-1] == LLM_PROBE
    assert landed_at_probe == [0]  # spoken before any LLM grading was in
    answer_turn, follow_turn = stored.questions[0].turns
    assert follow_turn.prompt == LLM_PROBE
    assert follow_turn.follow_up["worded_by"] == "llm:stub-model"
    for turn in (answer_turn, follow_turn):
        assert [g.grade.engine for g in turn.gradings] == ["offline", "llm:stub-model"]
        assert turn.grade.engine == "llm:stub-model" and turn.grade.fallback is None
        # The model said 3 with a verified quote; an LLM score may rise at most one above the
        # offline engine's (a guard against inflated grades), so that is what lands.
        offline_metrics = turn.gradings[0].grade.dimension("metrics").score or 1
        assert turn.grade.dimension("metrics").score == min(3, offline_metrics + 1)
        assert [e.quote for e in turn.grade.dimension("metrics").evidence] == [QUOTE]
    assert not any("worded offline" in n for n in notices)


def test_llm_interview_falls_back_to_offline_words_and_grades_when_the_model_rambles(
    start_controller, qtbot, stub_llm
):
    stub_llm.reply_with(StubReply(content="That was a thoughtful answer about the feed overall."))
    controller = start_controller(stub_llm.base_url, "stub-model")
    stored, said, notices, _landed = run_two_answers(controller, qtbot)

    answer_turn, follow_turn = stored.questions[0].turns
    offline_probe = answer_turn.gradings[0].grade.follow_up  # the policy's own choice
    assert offline_probe is not None and follow_turn.prompt == offline_probe.text
    assert follow_turn.follow_up["worded_by"] == "offline"
    assert any(n.startswith("Follow-up worded offline:") for n in notices)
    for turn in (answer_turn, follow_turn):
        assert [g.grade.engine for g in turn.gradings] == ["offline", "offline"]
        assert turn.grade.fallback["kind"] == "invalid_output", turn.grade.fallback
        assert stub_llm.base_url in turn.grade.fallback["reason"]


def test_llm_interview_against_the_real_server_waits_for_its_gradings(
    start_controller, qtbot, llm_server
):
    """SmolLM2 may word the probe or fall back; either way the report waits for one LLM
    grading per answer (the server is reached and answers: no connection or timeout fallback)."""
    controller = start_controller(llm_server.base_url, llm_server.model)
    stored, said, _notices, _landed = run_two_answers(controller, qtbot)

    answer_turn, follow_turn = stored.questions[0].turns
    probe_text = [text for purpose, text in said if purpose == "follow_up"][-1]
    assert follow_turn.prompt == probe_text and probe_text.endswith("?")
    for turn in (answer_turn, follow_turn):
        assert len(turn.gradings) == 2, turn.gradings
        assert turn.gradings[0].grade.engine == "offline"
        assert turn.grade is turn.gradings[1].grade
        fallback = turn.grade.fallback or {}
        assert fallback.get("kind") not in ("connection", "timeout"), fallback
