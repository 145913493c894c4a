"""Drives one spoken interview: the engine's ``Interview`` plus voice, microphone and Whisper.

The engine's state machine decides what happens next (speak a question, listen, speak a follow-up,
answer a clarifying question, show the report); this controller carries each ``Action`` out with
real audio and reports progress to the interview screen by signals. Everything slow (speech
synthesis and playback, opening the microphone, finishing the transcription, grading inside
``Interview.on_answer``, saving the session) runs in ``desktop.workers``; the signals and every
call into the ``Interview`` object happen on the UI thread or inside exactly one worker at a time,
so the engine never sees two threads at once.

States: idle -> preparing -> speaking <-> listening -> thinking -> ... -> finished; "paused" can
interrupt speaking or listening.

With the LLM engine (``engine.interviewer.live_llm``) the next step is decided from the offline
grade at once; a probe worded by the LLM is spoken sentence by sentence as it streams (the first
sentence is awaited for at most a few seconds, else the offline wording is spoken), and each
answer's LLM grading runs on a background thread and is attached to its turn on the UI thread
when no turn job is running. At the end the report waits for outstanding LLM gradings, showing
"Grading with <model>…", and never longer than ``LLM_REPORT_WAIT_S``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.controllers import interview_jobs as jobs
from desktop.controllers.answer_capture import AnswerCapture
from desktop.controllers.interview_jobs import InterviewPlan
from desktop.controllers.speech_model import SpeechModelLoader, model_key
from desktop.workers import run_in_background, wait_for_all

IDLE = "idle"
PREPARING = "preparing"
SPEAKING = "speaking"
LISTENING = "listening"
PAUSED = "paused"
THINKING = "thinking"
FINISHED = "finished"

_POLL_MS = 100  # level meter refresh
_PARTIAL_EVERY = 3  # poll ticks between live-transcript refreshes (~300 ms)
LLM_REPORT_WAIT_S = 120.0  # longest the report waits for background LLM gradings


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

    # Emitted from the audio thread when the interviewer's voice ends; queued to the UI thread.
    _speech_ended = Signal(int)
    _speech_failed = Signal(int, object)
    # Emitted from the LLM grading thread when an answer's LLM grading is done.
    _llm_graded = Signal(object, object)

    def __init__(self, model_loader: SpeechModelLoader, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._loader = model_loader
        self._loader.ready.connect(self._on_model_ready)
        self._loader.failed.connect(self._on_model_failed)
        self._speech_ended.connect(self._on_speech_ended)
        self._speech_failed.connect(self._on_voice_failed)
        self._llm_graded.connect(self._on_llm_graded)
        self._state = IDLE
        self._plan: InterviewPlan | None = None
        self._interview: Any = None
        self._session: Any = None
        self._speaker: Any = None
        self._capture: AnswerCapture | None = None
        self._typed_mode = False
        self._recording = False  # the microphone is open for the current answer
        self._speech_token = 0
        self._current_speech: Any = None  # the Action being spoken (for resume after pause)
        self._current_listen: Any = None  # the listen Action in progress
        self._paused_from: str | None = None
        self._listen_started_at = 0.0
        self._poll_ticks = 0
        self._last_partial: tuple[str, str] = ("", "")
        self._chime_path: Path | None = None
        self._gradings: Any = None  # BackgroundGradings with the LLM engine
        self._llm_results: list[tuple[Any, Any]] = []  # graded, not yet attached
        self._job_running = False  # a turn/final job may be reading or writing the session
        self._probe: Any = None  # the LLM-worded probe being spoken (SpokenProbe)
        self._probe_first = ""
        self._probe_rest_asked = False
        self._probe_paused_rest: str | None = None  # rest that arrived while paused
        self._waited_for_llm = False
        self._poll = QTimer(self)
        self._poll.setInterval(_POLL_MS)
        self._poll.timeout.connect(self._on_poll)

    # -- read-only state ------------------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    @property
    def session(self) -> Any:
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
        return self._capture

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
        run_in_background(
            jobs.prepare_interview,
            plan,
            on_finished=self._on_prepared,
            on_failed=self._on_prepare_failed,
        )

    def start_answer_now(self) -> None:
        """Space while the interviewer speaks: stop the voice and start listening at once."""
        if self._state != SPEAKING:
            return
        self._stop_voice()
        self._settle_probe()
        self._handle(self._interview.on_spoken(interrupted=True))  # the report notes it

    def finish_answer(self) -> None:
        """Space/Enter while listening: the answer is complete; transcribe and grade it."""
        if self._state != LISTENING or self._typed_mode or self._capture is None:
            return
        if not self._recording:
            self.notice.emit(
                "The microphone is still opening — start speaking in a moment.", "info"
            )
            return
        capture, self._capture = self._capture, None
        self._stop_listening_ui()
        self._set_state(THINKING)
        self._job_running = True
        run_in_background(
            jobs.complete_turn,
            self._interview,
            capture,
            self._gradings,
            on_finished=self._on_turn_done,
            on_failed=self._on_turn_failed,
        )

    def submit_typed_answer(self, text: str) -> None:
        """The typed answer (no microphone) becomes the transcript of this turn."""
        if self._state != LISTENING or not self._typed_mode:
            return
        if not text.strip():
            self.notice.emit("Type your answer first, then submit it.", "warning")
            return
        duration = max(0.0, time.monotonic() - self._listen_started_at)
        self._stop_listening_ui()
        self._set_state(THINKING)
        self._job_running = True
        run_in_background(
            jobs.complete_typed_turn,
            self._interview,
            text,
            duration,
            self._gradings,
            on_finished=self._on_turn_done,
            on_failed=self._on_turn_failed,
        )

    def repeat_question(self) -> None:
        """Say the current question (or follow-up) again; an answer in progress is dropped."""
        if self._state not in (SPEAKING, LISTENING, PAUSED) or self._interview is None:
            return
        self._abandon_turn()
        self._handle(self._interview.repeat())

    def skip_question(self) -> None:
        """Move on to the next question without answering this one."""
        if self._state not in (SPEAKING, LISTENING, PAUSED) or self._interview is None:
            return
        self._abandon_turn()
        self.notice.emit("Question skipped.", "info")
        self._handle(self._interview.skip())

    def toggle_pause(self) -> None:
        """Pause or resume: the clock, the recording and the interviewer's voice all stop."""
        if self._state == PAUSED:
            self._resume()
        elif self._state in (SPEAKING, LISTENING):
            self._pause()

    def end_interview(self, typed_text: str = "") -> None:
        """End now and still get a report; an answer in progress is kept and graded.

        Args:
            typed_text: the typed answer so far, when answering without a microphone.
        """
        if self._state not in (SPEAKING, LISTENING, PAUSED) or self._interview is None:
            return
        typed = typed_text if self._typed_mode and self._state == LISTENING else ""
        self._settle_probe()
        self._stop_voice()
        capture, self._capture = self._capture, None
        self._stop_listening_ui()
        self._set_state(THINKING)
        self._job_running = True
        run_in_background(
            jobs.end_early,
            self._interview,
            capture,
            typed,
            self._gradings,
            on_finished=self._on_turn_done,
            on_failed=self._on_turn_failed,
        )

    def play_chime(self) -> None:
        """The soft pacing chime, when the candidate turned it on (never blocks the UI)."""
        if self._plan is None or not self._plan.chime or self._state != LISTENING:
            return
        run_in_background(self._play_chime, on_failed=lambda exc: None)

    def shutdown(self) -> None:
        """Stop voice, microphone and timers (window closing); saves what was said so far."""
        self._poll.stop()
        self._speech_token += 1
        if self._gradings is not None:
            self._gradings.close()
        speaker, self._speaker = self._speaker, None
        if speaker is not None:
            jobs.quietly(speaker.stop)
        capture, self._capture = self._capture, None
        if capture is not None:
            jobs.quietly(capture.cancel)
        if self._session is not None and self._state not in (IDLE, FINISHED):
            from engine.store.sessions import save_session

            if self._state == THINKING:
                wait_for_all(10_000)  # let the answer being graded land in the session first
            # Closing the window is a deliberate end: the session gets a report, not a recovery.
            jobs.quietly(self._interview.end_early)
            jobs.quietly(save_session, self._session)
        self._state = IDLE

    # -- the Action loop --------------------------------------------------------------------------
    def _handle(self, action: Any) -> None:
        kind = getattr(action, "kind", "report")
        if kind == "speak":
            self._speak(action)
        elif kind == "listen":
            self._listen(action)
        else:
            self._finish()

    def _speak(self, action: Any) -> None:
        if self._probe is not None and action.purpose == "follow_up":
            # An LLM-worded probe: speak its first sentence now, the rest when it has streamed.
            action = replace(action, text=self._probe_first)
        else:
            self._probe = None
        self._current_speech = action
        self._set_state(SPEAKING)
        self.interviewer_said.emit(action.text, action.purpose, int(action.question_index))
        self._say(action.text)

    def _say(self, text: str) -> None:
        self._speech_token += 1
        token = self._speech_token
        if self._speaker is None:
            # No voice output: the text is on screen; carry on as if it had been spoken.
            QTimer.singleShot(0, lambda: self._speech_ended.emit(token))
            return
        speaker = self._speaker

        def done() -> None:
            # Called on the playback thread; the signal queues it to the UI thread.
            self._speech_ended.emit(token)

        def broke(exc: Exception) -> None:
            self._speech_failed.emit(token, exc)

        # Speaker.speak checks the output device first, so even starting it stays off the UI.
        run_in_background(
            lambda: speaker.speak(text, on_finished=done, on_error=broke),
            on_failed=lambda exc: self._on_voice_failed(token, exc),
        )

    def _on_voice_failed(self, token: int, exc: BaseException) -> None:
        from engine.errors import PlaybackError

        if token != self._speech_token:
            return
        if isinstance(exc, PlaybackError):
            self.notice.emit(
                f"{exc} — read the question on screen; the interview continues.", "warning"
            )
            self._speaker = None
        else:
            self.notice.emit(f"The interviewer's voice failed: {jobs.user_message(exc)}", "warning")
        self._speech_ended.emit(token)

    def _on_speech_ended(self, token: int) -> None:
        if token != self._speech_token or self._state != SPEAKING:
            return  # a stale callback: the voice was stopped, paused or replaced
        probe = self._probe
        if probe is not None and not self._probe_rest_asked:
            self._probe_rest_asked = True
            if self._probe_paused_rest is not None:
                rest, self._probe_paused_rest = self._probe_paused_rest, None
                self._on_probe_rest(probe, rest)
                return
            run_in_background(
                probe.rest,
                on_finished=lambda rest: self._on_probe_rest(probe, rest),
                on_failed=lambda _exc: self._on_probe_rest(probe, ""),
            )
            return
        self._settle_probe()
        self._handle(self._interview.on_spoken())

    def _on_probe_rest(self, probe: Any, rest: str) -> None:
        """The rest of a streamed probe arrived: speak it, or start listening if there is none."""
        if probe is self._probe and self._state == PAUSED:
            self._probe_paused_rest, self._probe_rest_asked = rest, False
            return  # spoken once the resumed sentence ends
        if probe is not self._probe or self._state != SPEAKING:
            return  # skipped, repeated or answered early meanwhile
        if not rest.strip():
            self._settle_probe()
            self._handle(self._interview.on_spoken())
            return
        action = self._current_speech
        self._current_speech = replace(action, text=rest)
        self.interviewer_said.emit(probe.text, action.purpose, int(action.question_index))
        self._say(rest)

    def _settle_probe(self) -> None:
        """Tell the interview how the probe was really worded (once it is a whole question)."""
        probe, self._probe = self._probe, None
        if probe is None or self._interview is None:
            return
        if probe.text.rstrip().endswith("?"):
            self._interview.reword_follow_up(probe.text, probe.worded_by, probe.fallback_reason)
        if probe.fallback_reason:
            self.notice.emit(f"Follow-up worded offline: {probe.fallback_reason}.", "info")

    def _on_llm_graded(self, pending: Any, grade: Any) -> None:
        """An answer's background LLM grading finished (queued here from its thread)."""
        self._llm_results.append((pending, grade))
        self._attach_llm_results()

    def _attach_llm_results(self) -> None:
        """Add finished LLM gradings to their turns while no job touches the session."""
        if self._job_running or self._interview is None:
            return
        results, self._llm_results = self._llm_results, []
        for pending, grade in results:
            self._interview.attach_llm_grading(pending, grade)

    def _listen(self, action: Any) -> None:
        from engine.store.sessions import turn_audio_path

        self._current_listen = action
        self._recording = False
        self._set_state(LISTENING)
        self._last_partial = ("", "")
        limit = float(getattr(action, "time_limit_s", 0) or 0)
        self._listen_started_at = time.monotonic()
        if self._typed_mode:
            self.listening_started.emit(limit)
            return
        plan = self._plan
        assert plan is not None
        question = getattr(self._interview, "current_question", None)
        capture = AnswerCapture(
            turn_audio_path(self._session, self._session.next_turn_index()),
            device=plan.input_device,
            model=plan.whisper_model,
            context_prompt=getattr(question, "prompt", "") or "",
        )
        self._capture = capture
        run_in_background(
            capture.start,
            on_finished=lambda _r: self._on_recording_started(capture, limit),
            on_failed=lambda exc: self._on_recording_failed(capture, exc),
        )

    def _on_recording_started(self, capture: AnswerCapture, limit: float) -> None:
        if capture is not self._capture:
            jobs.quietly(capture.cancel)  # skipped or ended while the mic was opening
            return
        self._listen_started_at = time.monotonic()
        self._recording = True
        self.listening_started.emit(limit)
        self._poll_ticks = 0
        self._poll.start()
        plan = self._plan
        if plan is not None and self._loader.is_ready(plan.whisper_model):
            run_in_background(capture.attach_stream, on_failed=self._on_stream_failed)
        else:
            self.notice.emit(
                "Speech model is still loading… your answer is being recorded and will be "
                "transcribed when it is ready.",
                "info",
            )

    def _on_recording_failed(self, capture: AnswerCapture, exc: BaseException) -> None:
        from engine.errors import MicrophoneError

        if capture is not self._capture:
            return
        self._capture = None
        self._typed_mode = True
        message = str(exc) if isinstance(exc, MicrophoneError) else jobs.user_message(exc)
        self._listen_started_at = time.monotonic()
        self.microphone_missing.emit(message)
        limit = float(getattr(self._current_listen, "time_limit_s", 0) or 0)
        self.listening_started.emit(limit)

    def _on_model_ready(self, key: str, _display: str) -> None:
        capture = self._capture
        plan = self._plan
        if capture is None or plan is None or capture.is_streaming:
            return
        if model_key(plan.whisper_model) == key and self._state in (LISTENING, PAUSED):
            run_in_background(
                capture.attach_stream,
                on_finished=lambda _r: self.notice.emit(
                    "Speech model ready — your answer is being transcribed.", "success"
                ),
                on_failed=self._on_stream_failed,
            )

    def _on_model_failed(self, key: str, message: str) -> None:
        if self._plan is not None and model_key(self._plan.whisper_model) == key and self.is_active:
            self.notice.emit(
                f"{message}. Your answers are still recorded; choose another speech model and "
                "re-transcribe them from the Library.",
                "error",
            )

    def _on_stream_failed(self, exc: BaseException) -> None:
        self.notice.emit(
            f"Live transcription stopped ({jobs.user_message(exc)}); the recording continues and "
            "is transcribed when you finish.",
            "warning",
        )

    def _on_poll(self) -> None:
        capture = self._capture
        if capture is None or self._state != LISTENING:
            return
        self.level_changed.emit(capture.level)
        self._poll_ticks += 1
        if self._poll_ticks % _PARTIAL_EVERY == 0:
            try:
                partial = capture.partial()
            except Exception:  # noqa: BLE001 - a live preview must never break the answer
                partial = self._last_partial
            if partial != self._last_partial:
                self._last_partial = partial
                self.partial_transcript.emit(*partial)
        plan = self._plan
        if (
            plan is not None
            and plan.auto_finish_silence_s > 0
            and capture.silence_s() >= plan.auto_finish_silence_s
        ):
            self.notice.emit("You went quiet, so your answer was finished for you.", "info")
            self.finish_answer()

    def _on_turn_done(self, outcome: jobs.TurnOutcome) -> None:
        self._job_running = False
        self._attach_llm_results()
        if self._state != THINKING:
            return
        self._probe = outcome.probe
        self._probe_first = outcome.first_sentence
        self._probe_rest_asked = False
        self._probe_paused_rest = None
        if outcome.captured is not None:
            self.answer_transcribed.emit(outcome.captured.transcript.text)
            if outcome.captured.device_lost:
                self.notice.emit(
                    "The microphone disconnected during your answer; what was recorded before "
                    "that is kept.",
                    "warning",
                )
        if outcome.save_error:
            self.notice.emit(outcome.save_error, "error")
        self._handle(outcome.action)

    def _on_turn_failed(self, exc: BaseException) -> None:
        self._job_running = False
        self._attach_llm_results()
        self.notice.emit(
            f"{jobs.user_message(exc)} The recording stays in the session folder; the interview "
            "moves on.",
            "error",
        )
        # Never strand the candidate: move to the next question, or at worst to the report.
        self._set_state(SPEAKING)
        for step in (self._interview.skip, self._interview.end_early):
            try:
                action = step()
            except Exception:  # noqa: BLE001 - try the next way out
                continue
            self._handle(action)
            return
        self.failed.emit("The interview cannot go on; its answers so far are saved.")
        self._finish()

    def _finish(self) -> None:
        self._stop_listening_ui()
        self._set_state(THINKING)
        gradings = self._gradings
        if gradings is not None and gradings.unfinished and not self._waited_for_llm:
            # The report waits for the LLM gradings, visibly; the UI thread stays free.
            self._waited_for_llm = True
            self.notice.emit(
                f"Grading with {gradings.model_name}… your report opens when it is done.", "info"
            )
            run_in_background(
                gradings.wait,
                LLM_REPORT_WAIT_S,
                on_finished=lambda _done: self._finish(),
                on_failed=lambda _exc: self._finish(),
            )
            return
        self._attach_llm_results()
        self._job_running = True
        run_in_background(
            jobs.save_final,
            self._session,
            on_finished=self._on_saved_final,
            on_failed=lambda exc: self._on_saved_final(jobs.user_message(exc)),
        )

    def _on_saved_final(self, error: str | None) -> None:
        self._job_running = False
        if error:
            self.notice.emit(error, "error")
        self._set_state(FINISHED)
        self.finished.emit(self._session)

    # -- preparation ------------------------------------------------------------------------------
    def _on_prepared(self, prepared: jobs.Prepared) -> None:
        if self._state != PREPARING:
            return
        self._interview = prepared.interview
        self._session = prepared.session
        self._speaker = prepared.speaker
        self._waited_for_llm = False
        self._llm_results = []
        self._gradings = None
        llm = getattr(prepared.interview, "llm_grader", None)
        if llm is not None:
            from engine.interviewer.live_llm import BackgroundGradings

            self._gradings = BackgroundGradings(llm, on_done=self._llm_graded.emit)
        if prepared.speaker_error:
            self.notice.emit(
                f"{prepared.speaker_error} — the questions are shown as text instead.", "warning"
            )
        self.session_started.emit(self._session)
        self._handle(prepared.first_action)

    def _on_prepare_failed(self, exc: BaseException) -> None:
        self._set_state(IDLE)
        self.failed.emit(jobs.user_message(exc))

    # -- pause / abandon helpers ------------------------------------------------------------------
    def _pause(self) -> None:
        self._paused_from = self._state
        if self._state == SPEAKING:
            self._stop_voice()
        elif self._capture is not None:
            self._poll.stop()
            run_in_background(self._capture.pause, on_failed=self._on_pause_failed)
        self._set_state(PAUSED)
        self.paused_changed.emit(True)

    def _resume(self) -> None:
        resumed_from, self._paused_from = self._paused_from, None
        self.paused_changed.emit(False)
        if resumed_from == SPEAKING and self._current_speech is not None:
            self._set_state(SPEAKING)
            self._say(self._current_speech.text)
            return
        self._set_state(LISTENING)
        if self._capture is not None:
            run_in_background(self._capture.resume, on_failed=self._on_pause_failed)
            self._poll.start()

    def _on_pause_failed(self, exc: BaseException) -> None:
        self.notice.emit(jobs.user_message(exc), "error")

    def _abandon_turn(self) -> None:
        self._settle_probe()
        self._stop_voice()
        capture, self._capture = self._capture, None
        self._stop_listening_ui()
        if capture is not None:
            run_in_background(capture.cancel, on_failed=lambda exc: None)
        if self._state == PAUSED:
            self._paused_from = None
            self.paused_changed.emit(False)

    def _stop_voice(self) -> None:
        self._speech_token += 1
        if self._speaker is not None:
            run_in_background(self._speaker.stop, on_failed=lambda exc: None)

    def _stop_listening_ui(self) -> None:
        self._poll.stop()
        self.level_changed.emit(0.0)

    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def _play_chime(self) -> None:
        from desktop.widgets.countdown import write_chime_wav
        from engine.speech.playback import Player

        if self._chime_path is None or not self._chime_path.exists():
            self._chime_path = write_chime_wav()
        device = self._plan.output_device if self._plan else None
        player = jobs.make_player(Player, device)
        player.play(self._chime_path)
