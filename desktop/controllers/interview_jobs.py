"""The work an interview does in the thread pool, and the plan it starts from.

Pure functions with no Qt in them: each takes the engine objects it needs, does the slow part
(create the session, finish a transcription, grade, save) and returns a plain result.
``InterviewController`` runs them through ``desktop.workers`` one at a time, so the engine's
``Interview`` is only ever touched by one thread.

With the LLM engine the interview runs in live mode (``engine.interviewer.live_llm``): a turn is
decided from the offline grade, the LLM-worded probe's first sentence is awaited here (bounded),
and the answer's LLM grading is queued to run in the background.
"""

from __future__ import annotations

import contextlib
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
class Prepared:
    interview: Any
    session: Any
    speaker: Any
    speaker_error: str | None
    first_action: Any


@dataclass(frozen=True)
class TurnOutcome:
    """What a finished turn leads to.

    Attributes:
        action: the interview's next ``Action``.
        captured: the answer as transcribed (None when nothing was captured).
        save_error: why the session could not be saved, if it could not.
        probe: the LLM-worded probe being streamed (``SpokenProbe``), when the action is a
            follow-up worded by the LLM; ``first_sentence`` is what to speak first.
    """

    action: Any
    captured: CapturedAnswer | None
    save_error: str | None
    probe: Any = None
    first_sentence: str = ""


def user_message(exc: BaseException) -> str:
    """A message for the banner: engine errors as they are, anything else labelled a bug."""
    from engine.errors import MockInterviewError

    if isinstance(exc, MockInterviewError):
        return str(exc)
    return f"Something went wrong ({type(exc).__name__}: {exc})."


def make_player(player_cls: Any, device: str | None) -> Any:
    """A ``Player`` on the chosen output device (the system default when none is chosen)."""
    try:
        return player_cls(device=device) if device else player_cls()
    except TypeError:
        return player_cls()


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


def prepare_interview(plan: InterviewPlan) -> Prepared:
    """Create the session folder, the grader, the voice and the interview (worker thread)."""
    from engine.grading.engines import make_grader
    from engine.interviewer.state_machine import Interview
    from engine.store.sessions import create_session

    title = plan.questions[0].prompt if len(plan.questions) == 1 else "interview"
    session = create_session(kind="interview", settings=plan.session_settings(), title=title)
    grader = make_grader(plan.engine)
    interview = Interview(
        list(plan.questions), plan.interview_settings(), grader, session, live_llm=True
    )
    speaker, speaker_error = _make_speaker(plan)
    first = interview.start()
    return Prepared(interview, session, speaker, speaker_error, first)


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


def complete_turn(interview: Any, capture: AnswerCapture, gradings: Any = None) -> TurnOutcome:
    """Finish transcribing the answer, let the engine grade it and decide, save (worker)."""
    captured = capture.finish()
    action = interview.on_answer(captured.transcript, captured.audio_path, captured.duration_s)
    probe, first = _after_answer(interview, gradings)
    return TurnOutcome(action, captured, _save(interview.session), probe, first)


def complete_typed_turn(
    interview: Any, text: str, duration_s: float, gradings: Any = None
) -> TurnOutcome:
    """A typed answer goes through the same grading path as a spoken one (worker)."""
    from engine.transcript import Transcript

    transcript = Transcript.from_text(text, duration_s=duration_s)
    action = interview.on_answer(transcript, None, duration_s)
    probe, first = _after_answer(interview, gradings)
    captured = CapturedAnswer(transcript, Path(), duration_s)
    return TurnOutcome(action, captured, _save(interview.session), probe, first)


def end_early(
    interview: Any, capture: AnswerCapture | None, typed_text: str = "", gradings: Any = None
) -> TurnOutcome:
    """Keep and grade an answer in progress, then close the interview (worker)."""
    from engine.transcript import Transcript

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
    return TurnOutcome(action, captured, _save(interview.session))


def save_final(session: Any) -> str | None:
    """Save the finished session; returns a message when the disk refused it."""
    return _save(session)


def quietly(fn: Any, *args: Any) -> None:
    """Best-effort cleanup on close: a failing device must not keep the window open."""
    with contextlib.suppress(Exception):  # shutting down; nothing useful to show any more
        fn(*args)
