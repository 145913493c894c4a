"""The work an interview does on its owner thread, and the plan it starts from.

Pure functions with no Qt in them: each takes the ``InterviewOwner`` (which holds the engine's
``Interview`` and ``Session``) and does the slow part (create the session, step the state
machine, finish a transcription, grade, save), returning a plain result. They only ever run on
the owner's single thread (``desktop.controllers.interview_owner``), so the engine never sees
two threads at once.

With the LLM engine the interview runs in live mode (``engine.interviewer.live_llm``): a turn is
decided from the offline grade, the LLM-worded probe's first sentence is awaited here (bounded),
and the answer's LLM grading is queued to run in the background.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop.controllers.answer_capture import AnswerCapture, CapturedAnswer
from desktop.controllers.speech_model import model_key


@dataclass(frozen=True)
class InterviewPlan:
    """Everything the setup screen decided, handed to the controller in one piece.

    Attributes:
        questions: the questions, in the order they will be asked.
        time_limit_s: answer limit override; None keeps each question's own limit.
        follow_ups: follow-ups per question (0-3).
        engine: grading engine, "offline" or "llm".
        whisper_model: model choice ("" = bundled tiny.en).
        voice / voice_rate: the interviewer's TTS voice id and words per minute (None: default).
        input_device / output_device: device names (None: the system default).
        auto_finish_silence_s: finish an answer after this much silence (0 = only by key).
        chime: play a soft chime at the amber and red pacing cues.
        extra: stored as is in the session's settings (``retry_of``, ``loop``).
    """

    questions: tuple[Any, ...]
    time_limit_s: float | None = None
    follow_ups: int = 2
    engine: str = "offline"
    whisper_model: str = ""
    voice: str | None = None
    voice_rate: int | None = None
    input_device: str | None = None
    output_device: str | None = None
    auto_finish_silence_s: float = 0.0
    chime: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def interview_settings(self) -> Any:
        """The engine's ``InterviewSettings`` for this plan."""
        from engine.interviewer.state_machine import InterviewSettings

        return InterviewSettings(
            time_limit_s=self.time_limit_s,
            follow_ups_per_question=self.follow_ups,
            engine=self.engine,
            whisper_model=model_key(self.whisper_model),
        )

    def session_settings(self) -> dict[str, Any]:
        """What is stored in ``session.json`` so a report can say how the interview was set up."""
        data = asdict(self)
        data.pop("questions")
        data.update(data.pop("extra"))  # e.g. a retry's link, an interview loop's clock
        data["whisper_model"] = model_key(self.whisper_model)
        data["question_ids"] = [q.id for q in self.questions]
        return data


@dataclass(frozen=True)
class Step:
    """The interview's next ``Action`` plus what the UI needs to carry it out.

    Attributes:
        action: the engine's ``Action`` (speak, listen or report).
        audio_path: where the answer's audio goes when the action is a listen.
        context_prompt: the question text, to help Whisper with the vocabulary.
    """

    action: Any
    audio_path: Path | None = None
    context_prompt: str = ""

    @property
    def kind(self) -> str:
        return str(getattr(self.action, "kind", "report"))


@dataclass(frozen=True)
class Prepared:
    session: Any
    speaker: Any
    speaker_error: str | None
    llm_grader: Any
    first: Step


@dataclass(frozen=True)
class TurnOutcome:
    """What a finished turn leads to.

    Attributes:
        step: the interview's next step.
        captured: the answer as transcribed (None when nothing was captured).
        save_error: why the session could not be saved, if it could not.
        probe: the LLM-worded probe being streamed (``SpokenProbe``), when the action is a
            follow-up worded by the LLM; ``first_sentence`` is what to speak first.
    """

    step: Step
    captured: CapturedAnswer | None
    save_error: str | None
    probe: Any = None
    first_sentence: str = ""


def _step(owner: Any, action: Any) -> Step:
    """Wrap ``action``; a listen gets the audio path of the turn it will record."""
    if getattr(action, "kind", "") != "listen":
        return Step(action)
    from engine.store.sessions import turn_audio_path

    session = owner.session
    question = getattr(owner.interview, "current_question", None)
    path = turn_audio_path(session, session.next_turn_index())
    return Step(action, path, getattr(question, "prompt", "") or "")


def _make_speaker(plan: InterviewPlan) -> tuple[Any, str | None]:
    """The interviewer's voice, or None plus the reason when speech output is impossible."""
    from engine.errors import MockInterviewError
    from engine.speech.voice import Speaker

    try:
        return (
            Speaker(voice=plan.voice or None, rate=plan.voice_rate, device=plan.output_device),
            None,
        )
    except MockInterviewError as exc:
        return None, str(exc)


def _warm_live_pacing(plan: InterviewPlan) -> None:
    """Run the live pacing once here, off the UI thread.

    The interview screen reads the live transcript once a second on the UI thread
    (``LivePacingView``); the first read compiles the concept lexicon, which froze the window
    for ~80 ms mid-answer (bench/ui_stall.py). Later reads use the compiled patterns.
    """
    from engine.grading.live_pacing import LivePacer

    LivePacer(plan.questions[0].category, None).update(
        "First the users and their goal, then the metric and a simple baseline.", 5.0
    )


def prepare_interview(owner: Any, plan: InterviewPlan) -> Prepared:
    """Create the session folder, the grader, the voice and the interview (owner thread)."""
    from engine.engines import make_grader
    from engine.interviewer.state_machine import Interview
    from engine.store.sessions import create_session

    title = plan.questions[0].prompt if len(plan.questions) == 1 else "interview"
    session = create_session(kind="interview", settings=plan.session_settings(), title=title)
    grader = make_grader(plan.engine)
    interview = Interview(
        list(plan.questions), plan.interview_settings(), grader, session, live_llm=True
    )
    owner.interview, owner.session = interview, session
    speaker, speaker_error = _make_speaker(plan)
    first = interview.start()
    _warm_live_pacing(plan)
    return Prepared(session, speaker, speaker_error, interview.llm_grader, _step(owner, first))


def spoken(owner: Any) -> Step:
    """The interviewer finished speaking (or was cut short by Space)."""
    return _step(owner, owner.interview.on_spoken())


def cut_short(owner: Any) -> Step:
    """The candidate pressed Space while the interviewer spoke: listen now, and say so later."""
    return _step(owner, owner.interview.on_spoken(interrupted=True))


def repeat(owner: Any) -> Step:
    """Say the current question or follow-up again."""
    return _step(owner, owner.interview.repeat())


def skip(owner: Any) -> Step:
    """Move on to the next question."""
    return _step(owner, owner.interview.skip())


def reword_follow_up(owner: Any, text: str, worded_by: str, fallback_reason: str) -> None:
    """Record how the follow-up was really worded (the LLM's streamed probe)."""
    owner.interview.reword_follow_up(text, worded_by, fallback_reason)


def attach_llm_gradings(owner: Any, results: list[tuple[Any, Any]]) -> None:
    """Add finished background LLM gradings to their turns."""
    for pending, grade in results:
        owner.interview.attach_llm_grading(pending, grade)


def _save(session: Any) -> str | None:
    """Save the session after a turn; a storage problem is reported, never fatal."""
    from engine.errors import SessionError
    from engine.store.sessions import save_session

    try:
        save_session(session)
    except SessionError as exc:
        return str(exc)
    return None


def _after_answer(interview: Any, gradings: Any, *, probe_wanted: bool = True) -> tuple[Any, str]:
    """Start the LLM wording of a decided probe, queue LLM gradings, await the first sentence.

    The probe starts before the gradings are queued so it holds them back: the candidate is
    waiting for it, while a grading can finish any time before the report.
    """
    from engine.interviewer.live_llm import SpokenProbe

    wording = interview.take_probe_wording()
    llm = interview.llm_grader
    probe = None
    if probe_wanted and wording is not None and llm is not None:
        probe = SpokenProbe(llm, wording, gradings=gradings).start()
    for pending in interview.take_pending_gradings():
        if gradings is not None:
            gradings.submit(pending)
    first = probe.first_sentence() if probe is not None else ""
    return probe, first


def complete_turn(owner: Any, capture: AnswerCapture, gradings: Any = None) -> TurnOutcome:
    """Finish transcribing the answer, let the engine grade it and decide, save."""
    interview = owner.interview
    captured = capture.finish()
    action = interview.on_answer(captured.transcript, captured.audio_path, captured.duration_s)
    probe, first = _after_answer(interview, gradings)
    return TurnOutcome(_step(owner, action), captured, _save(owner.session), probe, first)


def complete_typed_turn(
    owner: Any, text: str, duration_s: float, gradings: Any = None
) -> TurnOutcome:
    """A typed answer goes through the same grading path as a spoken one."""
    from engine.transcript import Transcript

    interview = owner.interview
    transcript = Transcript.from_text(text, duration_s=duration_s)
    action = interview.on_answer(transcript, None, duration_s)
    probe, first = _after_answer(interview, gradings)
    captured = CapturedAnswer(transcript, Path(), duration_s)
    return TurnOutcome(_step(owner, action), captured, _save(owner.session), probe, first)


def end_early(
    owner: Any, capture: AnswerCapture | None, typed_text: str = "", gradings: Any = None
) -> TurnOutcome:
    """Keep and grade an answer in progress, then close the interview."""
    from engine.transcript import Transcript

    interview = owner.interview
    captured = None
    if typed_text.strip() and interview.phase == "listening":
        transcript = Transcript.from_text(typed_text)
        interview.on_answer(transcript, None, None)
        captured = CapturedAnswer(transcript, Path(), 0.0)
    elif capture is not None:
        captured = capture.finish()
        if captured.transcript.text.strip():
            interview.on_answer(captured.transcript, captured.audio_path, captured.duration_s)
    _after_answer(interview, gradings, probe_wanted=False)
    action = interview.end_early()
    return TurnOutcome(Step(action), captured, _save(owner.session))


def close_interview(owner: Any, capture: AnswerCapture | None, typed_text: str = "") -> str | None:
    """The window is closing: keep the answer in progress, end the interview, save.

    Runs after every job queued before it (an answer being graded lands in the session
    first). Closing is a deliberate end, so the session gets a report rather than a recovery.
    Returns why saving failed, or None.
    """
    if owner.interview is None:  # closed before the session existed: nothing to keep
        if capture is not None:
            capture.cancel()
        return None
    if owner.interview.phase == "done":  # already ended: only the save is left
        return _save(owner.session)
    return end_early(owner, capture, typed_text).save_error


def save_final(owner: Any) -> str | None:
    """Save the finished session; returns a message when the disk refused it."""
    return _save(owner.session)
