"""Drives one spoken interview: the engine's action loop carried out with voice and microphone.

The engine's state machine decides what happens next (speak a question, listen, speak a follow-up,
answer a clarifying question, show the report); this controller carries each ``Action`` out and
reports progress to the interview screen by signals. It is the action loop and nothing else; the
other jobs have their own parts:

- ``InterviewOwner``: the one thread that owns the engine's ``Interview`` and ``Session``; every
  call into them (stepping, grading, saving) is a job on its queue, never on the UI thread;
- ``CaptureLifetime``: the microphone capture of the answer being given;
- ``InterviewerVoice``: speaking lines and the pacing chime;
- ``LlmAttachment``: the LLM-worded probe and the background LLM gradings.

States: idle -> preparing -> speaking <-> listening -> thinking -> ... -> finished; "paused" can
interrupt speaking or listening; "closing" while the window waits for the last save.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from desktop.controllers import interview_jobs as jobs
from desktop.controllers.answer_capture import AnswerCapture
from desktop.controllers.capture_lifetime import CaptureLifetime
from desktop.controllers.interview_jobs import InterviewPlan
from desktop.controllers.interview_owner import InterviewOwner
from desktop.controllers.interviewer_voice import InterviewerVoice
from desktop.controllers.llm_attachment import LLM_REPORT_WAIT_S, LlmAttachment
from desktop.controllers.speech_model import SpeechModelLoader, model_key
from desktop.errors import SEVERE, report_error, user_message

log = logging.getLogger("mockinterview.interview")

__all__ = ["LLM_REPORT_WAIT_S", "InterviewController", "InterviewPlan"]

IDLE = "idle"
PREPARING = "preparing"
SPEAKING = "speaking"
LISTENING = "listening"
PAUSED = "paused"
THINKING = "thinking"
FINISHED = "finished"
CLOSING = "closing"


class InterviewController(QObject):
    """Runs one interview at a time; the interview screen is its only view.

    Signals:
        state_changed(str): one of the state constants above.
        session_started(object): the new ``Session`` (already on disk).
        interviewer_said(str text, str purpose, int question_index): show this text now.
        listening_started(float limit_s): recording runs; limit 0 means no limit.
        level_changed(float): the microphone level, ~10 times a second while listening.
        partial_transcript(str committed, str tentative): the live transcript.
        answer_transcribed(str text): the final transcript of the answer just given.
        paused_changed(bool): pause on/off.
        microphone_missing(str): no usable mic; the screen offers a typed answer.
        notice(str message, str level): a non-modal message for the banner.
        finished(object): the session is complete and saved; show its report.
        failed(str): the interview cannot go on (e.g. the session folder cannot be created).
        closed(): ``shutdown`` finished saving; the window may close now.
    """

    state_changed = Signal(str)
    session_started = Signal(object)
    interviewer_said = Signal(str, str, int)
    listening_started = Signal(float)
    level_changed = Signal(float)
    partial_transcript = Signal(str, str)
    answer_transcribed = Signal(str)
    paused_changed = Signal(bool)
    microphone_missing = Signal(str)
    notice = Signal(str, str)
    finished = Signal(object)
    failed = Signal(str)
    closed = Signal()

    def __init__(self, model_loader: SpeechModelLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loader = model_loader
        self._loader.failed.connect(self._on_model_failed)
        self._owner = InterviewOwner()
        self._voice = InterviewerVoice(self)
        self._capture = CaptureLifetime(self._owner, model_loader, self)
        self._llm = LlmAttachment(self._owner, self)
        self._voice.ended.connect(self._on_speech_ended)
        self._capture.recording.connect(self._on_recording)
        self._capture.open_failed.connect(self._on_recording_failed)
        self._capture.went_quiet.connect(self._on_went_quiet)
        self._capture.microphone_stopped.connect(self._on_microphone_stopped)
        self._capture.level_changed.connect(self.level_changed)
        self._capture.partial_transcript.connect(self.partial_transcript)
        for part in (self._voice, self._capture, self._llm):
            part.notice.connect(self.notice)
        self._state = IDLE
        self._plan: InterviewPlan | None = None
        self._session: Any = None
        self._typed_mode = False
        self._step_pending = False  # a step job runs; commands wait for its action
        self._current_speech: Any = None  # the Action being spoken (for resume after pause)
        self._current_listen: Any = None  # the listen Action in progress
        self._listen_limit = 0.0
        self._paused_from: str | None = None
        self._listen_started_at = 0.0

    # -- read-only state ------------------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    @property
    def session(self) -> Any:
        """The session on disk (read-only here: the owner thread writes it)."""
        return self._session

    @property
    def plan(self) -> InterviewPlan | None:
        return self._plan

    @property
    def typed_mode(self) -> bool:
        """True when the answer is typed because no microphone could be opened."""
        return self._typed_mode

    @property
    def capture(self) -> AnswerCapture | None:
        return self._capture.capture

    @property
    def listening_purpose(self) -> str:
        """What the current answer responds to: "question", "follow_up" (or "" when idle)."""
        action = self._current_listen
        return "" if action is None else str(action.purpose)

    @property
    def speech_limit_s(self) -> float | None:
        """The answer limit of what the interviewer is saying now (for the idle clock)."""
        action = self._current_speech
        return None if action is None else action.time_limit_s

    @property
    def is_active(self) -> bool:
        return self._state not in (IDLE, FINISHED)

    def _can_command(self, *states: str) -> bool:
        return self._state in states and not self._step_pending

    # -- commands from the screen ----------------------------------------------------------------
    def start(self, plan: InterviewPlan) -> None:
        """Create the session and begin with the first question."""
        if self.is_active:
            self.notice.emit("An interview is already running.", "warning")
            return
        if not plan.questions:
            self.failed.emit("Choose at least one question to start an interview.")
            return
        self._plan = plan
        self._typed_mode = False
        self._loader.ensure_loaded(plan.whisper_model)
        self._set_state(PREPARING)
        self._owner.submit(
            jobs.prepare_interview,
            plan,
            on_finished=self._on_prepared,
            on_failed=self._on_prepare_failed,
            error_context="Preparing the interview",
        )

    def start_answer_now(self) -> None:
        """Space while the interviewer speaks: stop the voice and start listening at once."""
        if not self._can_command(SPEAKING):
            return
        self._voice.stop()
        self._llm.settle()
        self._step(jobs.cut_short)  # the report notes that the question was cut short

    def finish_answer(self) -> None:
        """Space/Enter while listening: the answer is complete; transcribe and grade it."""
        if not self._can_command(LISTENING) or self._typed_mode or self._capture.capture is None:
            return
        if not self._capture.is_recording:
            self.notice.emit(
                "The microphone is still opening — start speaking in a moment.", "info"
            )
            return
        capture = self._capture.take()
        self._set_state(THINKING)
        self._owner.submit(
            jobs.complete_turn,
            capture,
            self._llm.gradings,
            on_finished=self._on_turn_done,
            on_failed=self._on_turn_failed,
            error_context="Transcribing and grading the answer",
        )

    def submit_typed_answer(self, text: str) -> None:
        """The typed answer (no microphone) becomes the transcript of this turn."""
        if not self._can_command(LISTENING) or not self._typed_mode:
            return
        if not text.strip():
            self.notice.emit("Type your answer first, then submit it.", "warning")
            return
        duration = max(0.0, time.monotonic() - self._listen_started_at)
        self._set_state(THINKING)
        self._owner.submit(
            jobs.complete_typed_turn,
            text,
            duration,
            self._llm.gradings,
            on_finished=self._on_turn_done,
            on_failed=self._on_turn_failed,
            error_context="Grading the typed answer",
        )

    def repeat_question(self) -> None:
        """Say the current question (or follow-up) again; an answer in progress is dropped."""
        if not self._can_command(SPEAKING, LISTENING, PAUSED):
            return
        self._abandon_turn()
        self._step(jobs.repeat)

    def skip_question(self) -> None:
        """Move on to the next question without answering this one."""
        if not self._can_command(SPEAKING, LISTENING, PAUSED):
            return
        self._abandon_turn()
        self.notice.emit("Question skipped.", "info")
        self._step(jobs.skip)

    def toggle_pause(self) -> None:
        """Pause or resume: the clock, the recording and the interviewer's voice all stop."""
        if self._step_pending:
            return
        if self._state == PAUSED:
            self._resume()
        elif self._state in (SPEAKING, LISTENING):
            self._pause()

    def end_interview(self, typed_text: str = "") -> None:
        """End now and still get a report; an answer in progress is kept and graded.

        Args:
            typed_text: the typed answer so far, when answering without a microphone.
        """
        if not self._can_command(SPEAKING, LISTENING, PAUSED):
            return
        typed = typed_text if self._typed_mode and self._state == LISTENING else ""
        self._llm.settle()
        self._voice.stop()
        capture = self._capture.take()
        self._set_state(THINKING)
        self._owner.submit(
            jobs.end_early,
            capture,
            typed,
            self._llm.gradings,
            on_finished=self._on_turn_done,
            on_failed=self._on_turn_failed,
            error_context="Ending the interview early",
        )

    def play_chime(self) -> None:
        """The soft pacing chime, when the candidate turned it on (never blocks the UI)."""
        if self._plan is None or not self._plan.chime or self._state != LISTENING:
            return
        self._voice.play_chime(self._plan.output_device)

    def shutdown(self, typed_text: str = "") -> bool:
        """The window is closing: stop what runs and save what was said, off the UI thread.

        Voice, microphone polling and pending LLM gradings stop at once; the answer being given
        (spoken or ``typed_text``) is kept, and the owner thread ends the interview and saves
        after any job already queued (an answer being graded lands first).

        Returns:
            True when nothing needed saving (close now); False when saving runs and ``closed``
            follows once it is done.
        """
        if self._state == CLOSING:
            return False
        self._voice.shutdown()
        self._llm.close()
        if self._state in (IDLE, FINISHED):
            self._set_state(IDLE)
            return True
        typed = typed_text if self._typed_mode and self._state == LISTENING else ""
        capture = self._capture.take()
        self._set_state(CLOSING)
        self._owner.submit(
            jobs.close_interview,
            capture,
            typed,
            on_finished=self._on_closed,
            on_failed=self._on_close_failed,
            error_context="Saving the interview on close",
        )
        return False

    # -- the Action loop --------------------------------------------------------------------------
    def _step(self, job: Any) -> None:
        """Ask the owner for the next action (``jobs.spoken``, ``repeat``, ``skip``)."""
        self._step_pending = True
        self._owner.submit(
            job,
            on_finished=self._on_step,
            on_failed=self._on_turn_failed,
            error_context="Moving the interview on",
        )

    def _on_step(self, step: jobs.Step) -> None:
        self._step_pending = False
        if self._state in (CLOSING, IDLE):
            return
        self._handle(step)

    def _handle(self, step: jobs.Step) -> None:
        if step.kind == "speak":
            self._speak(step.action)
        elif step.kind == "listen":
            self._listen(step)
        else:
            self._finish()

    def _speak(self, action: Any) -> None:
        action = self._llm.wording_of(action)
        self._current_speech = action
        self._set_state(SPEAKING)
        self.interviewer_said.emit(action.text, action.purpose, int(action.question_index))
        self._voice.say(action.text)

    def _on_speech_ended(self) -> None:
        if self._state != SPEAKING or self._step_pending:
            return  # a stale callback: paused, skipped or closing meanwhile
        if self._llm.continue_probe(self._on_probe_rest):
            return
        self._llm.settle()
        self._step(jobs.spoken)

    def _on_probe_rest(self, probe: Any, rest: str) -> None:
        """The rest of a streamed probe arrived: speak it, or start listening if there is none."""
        if self._llm.is_current(probe) and self._state == PAUSED:
            self._llm.keep_for_resume(rest)
            return  # spoken once the resumed sentence ends
        if not self._llm.is_current(probe) or self._state != SPEAKING:
            return  # skipped, repeated or answered early meanwhile
        if not rest.strip():
            self._llm.settle()
            self._step(jobs.spoken)
            return
        action = self._current_speech
        self._current_speech = replace(action, text=rest)
        self.interviewer_said.emit(probe.text, action.purpose, int(action.question_index))
        self._voice.say(rest)

    def _listen(self, step: jobs.Step) -> None:
        action = step.action
        self._current_listen = action
        self._set_state(LISTENING)
        self._listen_limit = float(getattr(action, "time_limit_s", 0) or 0)
        self._listen_started_at = time.monotonic()
        if self._typed_mode or step.audio_path is None:
            self.listening_started.emit(self._listen_limit)
            return
        plan = self._plan
        assert plan is not None
        self._capture.open(
            step.audio_path,
            step.context_prompt,
            device=plan.input_device,
            model=plan.whisper_model,
            auto_finish_s=plan.auto_finish_silence_s,
        )

    def _on_recording(self) -> None:
        if self._state not in (LISTENING, PAUSED):
            return
        self._listen_started_at = time.monotonic()
        self.listening_started.emit(self._listen_limit)

    def _on_recording_failed(self, exc: BaseException) -> None:
        from engine.errors import MicrophoneError

        if self._state not in (LISTENING, PAUSED):
            return
        self._typed_mode = True
        message = str(exc) if isinstance(exc, MicrophoneError) else user_message(exc)
        self._listen_started_at = time.monotonic()
        self.microphone_missing.emit(message)
        self.listening_started.emit(self._listen_limit)

    def _on_went_quiet(self) -> None:
        self.notice.emit("You went quiet, so your answer was finished for you.", "info")
        self.finish_answer()

    def _on_microphone_stopped(self, message: str) -> None:
        """The microphone broke mid-answer: keep what was recorded and grade it."""
        log.warning("%s", message)
        self.notice.emit(message, "error")
        self.finish_answer()

    def _on_model_failed(self, key: str, message: str) -> None:
        if self._plan is not None and model_key(self._plan.whisper_model) == key and self.is_active:
            self.notice.emit(
                f"{message}. Your answers are still recorded; choose another speech model and "
                "re-transcribe them from the Library.",
                "error",
            )

    def _on_turn_done(self, outcome: jobs.TurnOutcome) -> None:
        if self._state != THINKING:
            return
        self._llm.start_probe(outcome.probe, outcome.first_sentence)
        captured = outcome.captured
        if captured is not None:
            self.answer_transcribed.emit(captured.transcript.text)
            if captured.device_lost and not captured.problem:
                self.notice.emit(
                    "The microphone disconnected during your answer; what was recorded before "
                    "that is kept.",
                    "warning",
                )
        if outcome.save_error:
            self.notice.emit(outcome.save_error, "error")
        self._handle(outcome.step)

    def _on_turn_failed(self, exc: BaseException) -> None:
        """A job of the action loop failed: say so and never strand the candidate."""
        self._step_pending = False
        if self._state in (CLOSING, IDLE):
            return
        self.notice.emit(
            f"{user_message(exc)} The recording stays in the session folder; the interview "
            "moves on.",
            "error",
        )
        self._set_state(THINKING)
        self._owner.submit(
            _skip_or_end,
            on_finished=self._handle,
            on_failed=self._on_cannot_go_on,
            error_context="Recovering from a failed turn",
        )

    def _on_cannot_go_on(self, exc: BaseException) -> None:
        report_error(exc, "The interview cannot go on", SEVERE)
        self.failed.emit("The interview cannot go on; its answers so far are saved.")
        self._save_and_finish()

    def _finish(self) -> None:
        self._capture.take()
        self._set_state(THINKING)
        if self._llm.wait_before_report(self._finish):
            return  # the report waits for the LLM gradings, visibly; the UI thread stays free
        self._save_and_finish()

    def _save_and_finish(self) -> None:
        self._owner.submit(
            jobs.save_final,
            on_finished=self._on_saved_final,
            on_failed=lambda exc: self._on_saved_final(user_message(exc)),
            error_context="Saving the finished interview",
        )

    def _on_saved_final(self, error: str | None) -> None:
        if self._state == CLOSING:
            return
        if error:
            self.notice.emit(error, "error")
        self._set_state(FINISHED)
        self.finished.emit(self._session)

    def _on_closed(self, error: str | None) -> None:
        if error:
            self.notice.emit(error, "error")
        self._set_state(IDLE)
        self.closed.emit()

    def _on_close_failed(self, exc: BaseException) -> None:
        report_error(exc, "Saving the interview on close", SEVERE, show=False)
        self._set_state(IDLE)
        self.closed.emit()

    # -- preparation ------------------------------------------------------------------------------
    def _on_prepared(self, prepared: jobs.Prepared) -> None:
        if self._state != PREPARING:
            return
        self._session = prepared.session
        self._voice.set_speaker(prepared.speaker)
        self._llm.begin(prepared.llm_grader)
        if prepared.speaker_error:
            self.notice.emit(
                f"{prepared.speaker_error} — the questions are shown as text instead.", "warning"
            )
        self.session_started.emit(self._session)
        self._handle(prepared.first)

    def _on_prepare_failed(self, exc: BaseException) -> None:
        if self._state == CLOSING:
            return
        self._set_state(IDLE)
        self.failed.emit(user_message(exc))

    # -- pause / abandon helpers ------------------------------------------------------------------
    def _pause(self) -> None:
        self._paused_from = self._state
        if self._state == SPEAKING:
            self._voice.stop()
        else:
            self._capture.pause()
        self._set_state(PAUSED)
        self.paused_changed.emit(True)

    def _resume(self) -> None:
        resumed_from, self._paused_from = self._paused_from, None
        self.paused_changed.emit(False)
        if resumed_from == SPEAKING and self._current_speech is not None:
            self._set_state(SPEAKING)
            self._voice.say(self._current_speech.text)
            return
        self._set_state(LISTENING)
        self._capture.resume()

    def _abandon_turn(self) -> None:
        self._llm.settle()
        self._voice.stop()
        self._capture.cancel()
        if self._state == PAUSED:
            self._paused_from = None
            self.paused_changed.emit(False)

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)


def _skip_or_end(owner: InterviewOwner) -> jobs.Step:
    """After a failed turn: the next question if the interview allows it, else the report."""
    from engine.errors import MockInterviewError

    try:
        return jobs.skip(owner)
    except MockInterviewError as exc:  # e.g. InterviewStateError: no question to move on to
        report_error(exc, "Skipping after a failed turn", show=False)
        return jobs.Step(owner.interview.end_early())
