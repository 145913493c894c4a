"""The interview as a state machine: ask, listen, answer clarifications, probe, move on, report.

The same machine runs ``mockinterview demo`` and the desktop app, so it never does I/O itself:
no audio, no disk, no clock. The host (the demo, or the desktop controller) performs each
``Action`` it returns and reports back:

    start() ────────────► speak(question)
    on_spoken() ────────► listen                       (host records and transcribes)
    on_answer(...) ─────► speak(clarification_reply)    the turn was a question to us
                     ├──► speak(follow_up)              a probe on this answer
                     ├──► speak(redirect)               off topic, the question read back, or
                     │                                  "just tell me the answer": restate it
                     ├──► speak(question)               the next question (after a wrap-up
                     │                                  when the answer ran past its limit)
                     ├──► speak(repeat)                 nothing heard, or "say that again?"
                     └──► speak(closing)                after the last question
    on_spoken() after a closing ──► report

``repeat()``, ``skip()`` and ``end_early()`` may be called whenever the candidate asks for them.
Grading happens inside ``on_answer`` (a GUI calls it from a worker thread); it fills the session's
questions, turns and gradings, and the host saves the session when it likes.

Live LLM mode (``live_llm=True`` with an LLM engine; see ``engine.interviewer.live_llm``):
``on_answer`` grades with the engine's offline grader only, so every decision is the offline one
and is made at once. The host then takes ``take_probe_wording()`` (the decided probe, for the LLM
to word; ``reword_follow_up`` records what was really spoken) and ``take_pending_gradings()``
(answers to grade with the LLM in the background; ``attach_llm_grading`` adds each result to its
turn). Without ``live_llm`` (the demo, the CLI) the engine grades synchronously as before.

Thread-safety: an ``Interview`` is not locked. Exactly one thread may drive it at a time (the
desktop serialises calls through its controller: it calls ``on_answer`` on a worker and nothing
else until that returns). Reading properties from another thread while a call runs is unsafe.

Redirects (``engine.interviewer.redirects``): an answer that does not address the question, or
only reads it back, is graded and kept, but instead of a probe the question is restated; a request
for the solution gets a neutral reply and the question again, never its expected points. At
most ``MAX_REDIRECTS`` per question, then the interview moves on. What happened (silence for a
whole turn, an interrupted question, a wrap-up, a redirect) is noted in ``session.notes``, which
every report shows.

Timing: a question's *answer limit* comes from the settings (or the question). Each follow-up
answer gets ``follow_up_limit_s`` on top, and the whole question may use the answer limit plus
those allowances; what remains of that is ``time_left_s`` for the follow-up policy, so a candidate
who overruns badly is not probed further. A limit of zero or less means untimed practice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import ConfigError, MockInterviewError
from engine.filler_words import FILLED_PAUSES
from engine.grading.base import Grader, GradeRequest
from engine.grading.result import DimensionScore, FollowUpSuggestion, Grade
from engine.interviewer.actions import (
    PHASE_DONE,
    PHASE_GRADING,
    PHASE_IDLE,
    PHASE_LISTENING,
    PHASE_SPEAKING,
    Action,
    InterviewSettings,
    InterviewStateError,
    follow_up_limit_s,
)
from engine.interviewer.clarifications import (
    REPEAT_REQUEST,
    THINKING_REPLY,
    answer_clarification,
    candidate_request,
    is_clarifying_question,
)
from engine.interviewer.follow_ups import (
    MIN_TIME_FOR_PROBE_S,
    SOLID_SCORE,
    choose_follow_up,
    probe_key,
)
from engine.interviewer.live_llm import PendingGrading, ProbeWording, split_engine
from engine.interviewer.phrasing import join_sentences, spoken
from engine.interviewer.redirects import (
    ECHO_REPLY,
    GENERIC_LEAD,
    SOLUTION_REPLY,
    WRAP_UP_LINE,
    come_back_line,
    echoes_question,
    grade_is_off_topic,
    is_generic_answer,
    is_solution_request,
    ran_over,
    without_annotations,
)
from engine.questions.model import FollowUp, Question
from engine.store.model import (
    ROLE_ANSWER,
    ROLE_CLARIFICATION,
    ROLE_FOLLOW_UP,
    STATUS_COMPLETE,
    STATUS_ENDED_EARLY,
    STATUS_IN_PROGRESS,
    GradingRecord,
    QuestionRecord,
    Session,
    Turn,
)
from engine.transcript import Transcript

__all__ = [
    "Action",
    "Interview",
    "InterviewSettings",
    "InterviewStateError",
    "follow_up_limit_s",
]

MIN_ANSWER_LIMIT_S = 30.0
"""No answer window is ever shorter than this, even when the question's time is nearly used."""

CLARIFICATIONS_BEFORE_NUDGE = 3
"""After this many clarifying questions on one question, the interviewer nudges to start."""

PREPARED_PROBES = 6
"""Bank follow-ups rendered ahead while the candidate answers (each is a second or two of audio)."""

CLOSING_LINE = "That's all the questions I have. Thank you, your report is ready."
NUDGE_LINE = "Let's get going now. Make reasonable assumptions where you need them, and start."
NOTHING_HEARD_LINE = "Sorry, I didn't catch anything there. Here it is again."
MOVE_ON_LINE = "Let's move on. Next question."

MAX_REDIRECTS = 2
"""Redirects on one question before the interviewer moves on: steering back twice is patient,
a third time would trap the candidate in a loop."""

OFFLINE_ENGINE = "offline"
"""``Grade.engine`` of the offline grader, whose probes come from ``choose_follow_up`` itself."""


@dataclass
class _QuestionState:
    """Book-keeping for the question being asked; lives only while it is current."""

    question: Question
    record: QuestionRecord
    follow_up: FollowUp | None = None
    follow_up_wording: dict[str, Any] = field(default_factory=dict)
    follow_ups_asked: int = 0
    clarifications: list[str] = field(default_factory=list)
    time_used_s: float = 0.0
    silent_retries: int = 0
    redirects: int = 0


class Interview:
    """One interview over ``questions``, driven by events from a host (see the module docstring).

    Args:
        questions: the questions to ask, in order (at least one).
        settings: limits and engine choice; defaults to ``InterviewSettings()``.
        grader: the grading engine; built with ``make_grader(settings.engine)`` when None.
        session: the session to fill (from ``engine.store.sessions.create_session``, so it has a
            folder); an in-memory session is made when None.
        live_llm: with an LLM engine, decide from the offline grade at once and leave the LLM's
            wording and grading to the host (see the module docstring).

    Raises:
        ConfigError: no questions, a negative follow-up count, or an unknown engine.
    """

    def __init__(
        self,
        questions: Sequence[Question],
        settings: InterviewSettings | None = None,
        grader: Grader | None = None,
        session: Session | None = None,
        *,
        live_llm: bool = False,
    ) -> None:
        if not questions:
            raise ConfigError("an interview needs at least one question")
        self._settings = settings or InterviewSettings()
        if self._settings.follow_ups_per_question < 0:
            raise ConfigError("follow-ups per question cannot be negative")
        if grader is None:
            # The engine registry sits above the interviewer (it knows the LLM engine, which
            # builds on the interviewer's probes), so only the offline default is made here.
            if self._settings.engine != "offline":
                raise ConfigError(
                    f"an interview graded by the {self._settings.engine!r} engine needs that "
                    "grader passed in (engine.engines.make_grader)"
                )
            from engine.grading.offline import OfflineGrader
            from engine.interviewer.follow_ups import choose_follow_up

            grader = OfflineGrader(probe_policy=choose_follow_up)
        self._questions = tuple(questions)
        self._grader = grader
        self._llm_grader: Any = None
        if live_llm:
            self._grader, self._llm_grader = split_engine(grader)
        self._probe_wording: ProbeWording | None = None
        self._pending_gradings: list[PendingGrading] = []
        self._worded_probes: list[str] = []
        self._session = session if session is not None else Session(id="interview")
        if not self._session.settings:
            self._session.settings = {
                **self._settings.to_dict(),
                "question_ids": [q.id for q in self._questions],
            }
        self._phase = PHASE_IDLE
        self._index = -1
        self._state: _QuestionState | None = None
        self._asked_probes: list[str] = []
        self._last_speak: Action | None = None

    # ----------------------------------------------------------------------------- properties
    @property
    def phase(self) -> str:
        """``idle``, ``speaking``, ``listening``, ``grading`` or ``done``."""
        return self._phase

    @property
    def session(self) -> Session:
        return self._session

    @property
    def settings(self) -> InterviewSettings:
        return self._settings

    @property
    def questions(self) -> tuple[Question, ...]:
        return self._questions

    @property
    def question_index(self) -> int:
        """0-based index of the current question (-1 before ``start``)."""
        return self._index

    @property
    def current_question(self) -> Question | None:
        return None if self._state is None else self._state.question

    @property
    def current_follow_up(self) -> FollowUp | None:
        """The probe being answered, or None while the main question is being answered."""
        return None if self._state is None else self._state.follow_up

    @property
    def current_probe_quote(self) -> str:
        """The candidate's words the pending probe quotes (verbatim from the transcript), or ""."""
        if self._state is None or self._state.follow_up is None:
            return ""
        return str(self._state.follow_up_wording.get("quote", ""))

    @property
    def follow_ups_asked(self) -> int:
        """Probes asked so far on the current question."""
        return 0 if self._state is None else self._state.follow_ups_asked

    @property
    def asked_probes(self) -> tuple[str, ...]:
        """Every probe asked this session, in order."""
        return tuple(self._asked_probes)

    @property
    def llm_grader(self) -> Any:
        """The LLM grader a live-mode host words probes and grades with (None otherwise)."""
        return self._llm_grader

    @property
    def current_prompt_text(self) -> str:
        """What the candidate is answering right now: the question or the pending probe."""
        if self._state is None:
            return ""
        if self._state.follow_up is not None:
            return self._state.follow_up.text
        return self._state.question.prompt

    def lines_to_prepare(self) -> list[str]:
        """Lines the interviewer may say next that are known already, for a voice to render ahead.

        They are the current question's bank follow-ups not asked yet (which one comes depends
        on the answer, but they are few and short), the transitions, the next question (context
        and prompt) and the closing, in the order they may be needed. Probes the LLM words are
        known only after the answer. The voice caches by sentence, so these parts are found again
        inside the full line that is finally spoken.
        """
        lines: list[str] = []
        if self._state is not None:
            asked = set(self.asked_probes)
            bank = self._state.question.follow_ups
            probes = [spoken(f.text) for f in bank if f.text not in asked]
            lines += [probe for probe in probes if probe not in asked][:PREPARED_PROBES]
        lines += ["Thanks. Next question.", "Thanks. Last question."]
        following = self._index + 1
        if 0 <= following < len(self._questions):
            question = self._questions[following]
            lines.append(join_sentences(spoken(question.context), spoken(question.prompt)))
        lines.append(CLOSING_LINE)
        return lines

    def answer_limit_s(self, question: Question | None = None) -> float | None:
        """The main-answer limit for ``question`` (the current one by default); None if untimed."""
        question = question or self.current_question
        if question is None:
            return None
        limit = self._settings.time_limit_s
        limit = float(question.time_limit_s) if limit is None else float(limit)
        return None if limit <= 0 else limit

    def time_left_s(self) -> float | None:
        """Time left on the current question's whole budget (answer plus probes)."""
        limit = self.answer_limit_s()
        if limit is None or self._state is None:
            return None
        budget = limit + self._settings.follow_ups_per_question * follow_up_limit_s(limit)
        return max(0.0, budget - self._state.time_used_s)

    def time_limit_for_current(self) -> float | None:
        """The answer window for what is being answered now (None when untimed)."""
        limit = self.answer_limit_s()
        if limit is None or self._state is None:
            return None
        if self._state.follow_up is None:
            window = limit - self._state.time_used_s
        else:
            window = min(follow_up_limit_s(limit), self.time_left_s() or 0.0)
        return max(MIN_ANSWER_LIMIT_S, window)

    # --------------------------------------------------------------------------------- events
    def start(self) -> Action:
        """Ask the first question."""
        if self._phase != PHASE_IDLE:
            raise InterviewStateError("the interview has already started")
        self._session.status = STATUS_IN_PROGRESS
        several = len(self._questions) > 1
        opening = f"Let's begin. Here is your {'first ' if several else ''}question."
        return self._ask_question(0, opening)

    def on_spoken(self, interrupted: bool = False) -> Action:
        """The host finished speaking the last line: listen, or report after the closing.

        Args:
            interrupted: the candidate started answering before the line was fully spoken
                (they pressed Space, or started talking); the interview carries on, and the
                report notes it so a low score on a half-heard question can be understood.
        """
        if self._phase != PHASE_SPEAKING or self._last_speak is None:
            raise InterviewStateError(f"nothing was being spoken (phase {self._phase})")
        if interrupted and self._last_speak.purpose in ("question", "follow_up"):
            what = "question" if self._last_speak.purpose == "question" else "follow-up"
            self._note(f"the candidate started answering before the {what} was fully spoken.")
        if self._last_speak.purpose == "closing":
            self._phase = PHASE_DONE
            return Action("report", purpose="closing", question_index=self._index)
        self._phase = PHASE_LISTENING
        purpose = "follow_up" if self.current_follow_up is not None else "question"
        return Action(
            "listen",
            text=self.current_prompt_text,
            purpose=purpose,
            question_index=self._index,
            time_limit_s=self.time_limit_for_current(),
        )

    def on_answer(
        self,
        transcript: Transcript,
        audio_path: str | Path | None = None,
        duration_s: float | None = None,
    ) -> Action:
        """The candidate finished a turn: answer it, grade it, and decide what comes next.

        Args:
            transcript: the turn's transcript (from the streaming transcriber's ``finish``).
            audio_path: where the host stored the turn's audio (``turn_audio_path``), if any.
            duration_s: the turn's recorded length; the transcript's duration when None.

        Raises:
            InterviewStateError: the interview was not listening.
        """
        if self._phase != PHASE_LISTENING or self._state is None:
            raise InterviewStateError(f"not listening for an answer (phase {self._phase})")
        state = self._state
        self._probe_wording = None
        duration = float(duration_s if duration_s is not None else transcript.duration_s)
        window = self.time_limit_for_current()  # what the candidate was given for this turn
        state.time_used_s += max(0.0, duration)
        text = without_annotations(transcript.text).strip()

        if not _has_content(text):
            if state.silent_retries == 0:
                state.silent_retries += 1
                line = join_sentences(NOTHING_HEARD_LINE, spoken(self.current_prompt_text))
                return self._speak(line, "repeat")
            self._note(
                "nothing was heard in answer to the "
                f"{'follow-up' if state.follow_up is not None else 'question'}, twice; "
                "it was scored as missing and the interview moved on."
            )

        if text and is_solution_request(text):
            return self._answer_solution_request(transcript, audio_path, duration)
        request = candidate_request(text) if text else None
        if request is not None:
            return self._answer_request(request, transcript, audio_path, duration)
        if text and is_clarifying_question(text) and not echoes_question(text, state.question):
            return self._answer_clarification(transcript, audio_path, duration)

        self._phase = PHASE_GRADING
        turns_before = len(state.record.turns)
        try:
            return self._take_answer(transcript, audio_path, duration, window)
        except BaseException:
            # An unexpected failure (a bug, or the worker being torn down): undo this turn so the
            # host can report it and offer the same answer again without a duplicate.
            del state.record.turns[turns_before:]
            state.time_used_s -= max(0.0, duration)
            self._phase = PHASE_LISTENING
            raise

    def repeat(self) -> Action:
        """Say the current prompt again; the candidate keeps answering the same thing."""
        if not self._in_a_question():
            raise InterviewStateError(f"nothing to repeat (phase {self._phase})")
        return self._speak(join_sentences("Sure", spoken(self.current_prompt_text)), "repeat")

    def skip(self) -> Action:
        """Leave the current question and ask the next one (or close the interview).

        A question skipped before any answer stays in the session, marked ``skipped``, with no
        turns, so the report can say it was not answered.
        """
        if not self._in_a_question():
            raise InterviewStateError(f"nothing to skip (phase {self._phase})")
        if not self._state.record.answer_turns:
            self._state.record.question["skipped"] = True
        return self._next_question("Okay, let's move on. Next question.")

    def end_early(self) -> Action:
        """Stop now; everything answered so far stays in the session and goes to the report."""
        if self._phase == PHASE_GRADING:
            raise InterviewStateError("wait for the answer being graded before ending")
        if self._session.status != STATUS_COMPLETE:  # every question done: not "early"
            self._session.status = STATUS_ENDED_EARLY
        self._phase = PHASE_DONE
        return Action("report", purpose="closing", question_index=max(self._index, 0))

    # --------------------------------------------------------------------- live LLM mode
    def take_probe_wording(self) -> ProbeWording | None:
        """The probe just decided, for the LLM to word (live mode; at most once per answer)."""
        wording, self._probe_wording = self._probe_wording, None
        return wording

    def take_pending_gradings(self) -> list[PendingGrading]:
        """Answers waiting for an LLM grading (live mode); each is handed out once."""
        pending, self._pending_gradings = self._pending_gradings, []
        return pending

    def reword_follow_up(self, text: str, worded_by: str, fallback_reason: str = "") -> None:
        """Record how the pending probe was really spoken.

        Args:
            text: the probe as spoken (the LLM's wording, or the offline one).
            worded_by: the engine that worded it (``llm:<model>`` or ``offline``).
            fallback_reason: why the offline wording was used, when the LLM was asked.
        """
        state = self._state
        if state is None or state.follow_up is None or not text.strip():
            return
        text = " ".join(text.split())
        if text != state.follow_up.text:
            self._worded_probes.append(state.follow_up.text)  # never asked again either
            if self._asked_probes and self._asked_probes[-1] == state.follow_up.text:
                self._asked_probes[-1] = text
            state.follow_up = FollowUp(
                text=text,
                dimension=state.follow_up.dimension,
                triggers=state.follow_up.triggers,
                constraint=state.follow_up.constraint,
            )
        state.follow_up_wording = {"worded_by": worded_by}
        if fallback_reason:
            state.follow_up_wording["wording_fallback"] = fallback_reason

    @staticmethod
    def attach_llm_grading(pending: PendingGrading, grade: Grade) -> None:
        """Add a finished background LLM grading to its turn and make it current.

        A fallback grade is attached too: the report then shows why the LLM grade is absent.
        Call it from the thread that drives the interview.
        """
        pending.turn.add_grading(GradingRecord(grade=grade, whisper_model=pending.whisper_model))

    # ------------------------------------------------------------------------------ internals
    def _in_a_question(self) -> bool:
        """A question is being asked or answered (not before start, not at the closing)."""
        closing = self._last_speak is not None and self._last_speak.purpose == "closing"
        in_phase = self._phase in (PHASE_SPEAKING, PHASE_LISTENING)
        return (
            in_phase and self._state is not None and not (closing and self._phase == PHASE_SPEAKING)
        )

    def _speak(self, text: str, purpose: str) -> Action:
        self._phase = PHASE_SPEAKING
        limit = None if purpose == "closing" else self.time_limit_for_current()
        action = Action("speak", text, purpose, max(self._index, 0), limit)
        self._last_speak = action
        return action

    def _ask_question(self, index: int, transition: str) -> Action:
        question = self._questions[index]
        record = QuestionRecord(
            question={
                "id": question.id or None,
                "text": question.prompt,
                "category": question.category,
                "time_limit_s": self.answer_limit_s(question),
            }
        )
        self._session.questions.append(record)
        self._index = index
        self._state = _QuestionState(question=question, record=record)
        line = join_sentences(transition, spoken(question.context), spoken(question.prompt))
        return self._speak(line, "question")

    def _next_question(self, transition: str, wrap_up: bool = False) -> Action:
        if self._index + 1 < len(self._questions):
            is_last = self._index + 2 == len(self._questions)
            if is_last and len(self._questions) > 2:
                transition = transition.replace("Next question.", "Last question.")
            return self._ask_question(self._index + 1, transition)
        self._session.status = STATUS_COMPLETE
        closing = join_sentences(WRAP_UP_LINE, CLOSING_LINE) if wrap_up else CLOSING_LINE
        return self._speak(closing, "closing")

    def _new_turn(
        self, role: str, transcript: Transcript, audio_path: str | Path | None, duration: float
    ) -> Turn:
        assert self._state is not None
        follow_up = self._state.follow_up
        turn = Turn(
            index=self._session.next_turn_index(),
            role=role,
            prompt=self.current_prompt_text,
            audio=self._relative_audio(audio_path),
            duration_s=duration,
            transcript=transcript,
            follow_up=None
            if follow_up is None
            else {**_follow_up_dict(follow_up), **self._state.follow_up_wording},
        )
        self._state.record.turns.append(turn)
        return turn

    def _answer_clarification(
        self, transcript: Transcript, audio_path: str | Path | None, duration: float
    ) -> Action:
        assert self._state is not None
        text = transcript.text.strip()
        reply = answer_clarification(self._state.question, text)
        self._state.clarifications.append(text)
        if len(self._state.clarifications) >= CLARIFICATIONS_BEFORE_NUDGE:
            reply = join_sentences(reply, NUDGE_LINE)
        turn = self._new_turn(ROLE_CLARIFICATION, transcript, audio_path, duration)
        turn.interviewer_reply = reply
        return self._speak(reply, "clarification_reply")

    def _answer_solution_request(
        self, transcript: Transcript, audio_path: str | Path | None, duration: float
    ) -> Action:
        """A request for the solution: a neutral reply and the question again, never the points."""
        state = self._state
        assert state is not None
        turn = self._new_turn(ROLE_CLARIFICATION, transcript, audio_path, duration)
        self._note("the candidate asked for the answer instead of giving one.")
        if state.redirects >= MAX_REDIRECTS:
            turn.interviewer_reply = MOVE_ON_LINE
            return self._next_question(MOVE_ON_LINE)
        state.redirects += 1
        if state.follow_up is not None:
            reply = join_sentences(SOLUTION_REPLY, spoken(state.follow_up.text))
        else:
            reply = come_back_line(state.question, SOLUTION_REPLY)
        turn.interviewer_reply = reply
        return self._speak(reply, "redirect")

    def _answer_request(
        self,
        request: str,
        transcript: Transcript,
        audio_path: str | Path | None,
        duration: float,
    ) -> Action:
        """Repeat the prompt or grant thinking time; kept as a turn, but not a clarification.

        These turns are recorded (the audio exists and the report shows the exchange) but are
        not passed to grading as clarifying questions: they say nothing about framing.
        """
        if request == REPEAT_REQUEST:
            reply, purpose = join_sentences("Sure", spoken(self.current_prompt_text)), "repeat"
        else:
            reply, purpose = THINKING_REPLY, "clarification_reply"
        turn = self._new_turn(ROLE_CLARIFICATION, transcript, audio_path, duration)
        turn.interviewer_reply = reply
        return self._speak(reply, purpose)

    def _take_answer(
        self,
        transcript: Transcript,
        audio_path: str | Path | None,
        duration: float,
        window: float | None,
    ) -> Action:
        state = self._state
        assert state is not None
        previous = tuple(
            t.transcript for t in state.record.answer_turns if t.transcript is not None
        )
        role = ROLE_FOLLOW_UP if state.follow_up is not None else ROLE_ANSWER
        turn = self._new_turn(role, transcript, audio_path, duration)
        request = GradeRequest(
            question=state.question,
            transcript=transcript,
            time_limit_s=window,
            prompt=state.follow_up,
            previous_answers=previous,
            asked_probes=frozenset((*self._asked_probes, *self._worded_probes)),
            follow_ups_left=self._settings.follow_ups_per_question - state.follow_ups_asked,
            time_left_s=self.time_left_s(),
            clarifications_asked=tuple(state.clarifications),
        )
        try:
            grade = self._grader.grade(request)
        except MockInterviewError as exc:
            # Keep the answer and carry on; the report shows the note and regrade can retry.
            self._session.notes.append(f"Answer {turn.index} could not be graded: {exc}")
            return self._next_question("Thanks. Next question.")
        whisper = self._settings.whisper_model or transcript.model
        turn.add_grading(GradingRecord(grade=grade, whisper_model=whisper))
        if self._llm_grader is not None:
            self._pending_gradings.append(PendingGrading(turn, request, whisper))

        if ran_over(duration, window):
            self._note(
                f"an answer ran past its limit ({duration:.0f} s of {window:.0f} s); "
                "the interviewer wrapped up instead of probing further."
            )
            return self._next_question(f"{WRAP_UP_LINE} Next question.", wrap_up=True)
        redirect = self._redirect_for(state, text_of(transcript), grade)
        if redirect is not None:
            return redirect

        suggestion = self._vetted_follow_up(request, grade)
        if suggestion is None:
            return self._next_question("Thanks. Next question.")
        state.follow_ups_asked += 1
        state.silent_retries = 0
        state.follow_up = self._follow_up_for(state.question, suggestion)
        quote = getattr(suggestion, "quote", "")
        state.follow_up_wording = {"quote": quote} if quote else {}
        self._asked_probes.append(suggestion.text)
        if self._llm_grader is not None and not suggestion.constraint:
            scores = self._combined_scores(grade) if request.previous_answers else grade.dimensions
            self._probe_wording = ProbeWording(request, tuple(scores), suggestion)
        line = spoken(suggestion.text)
        if role == ROLE_ANSWER and is_generic_answer(grade, text_of(transcript)):
            # Generic on the question (else it was redirected above): ask for it made concrete.
            line = join_sentences(GENERIC_LEAD, line)
        return self._speak(line, "follow_up")

    def _redirect_for(self, state: _QuestionState, text: str, grade: Grade) -> Action | None:
        """Restate the question when a main answer misses it or only reads it back."""
        if state.follow_up is not None or not text:
            return None
        echo = echoes_question(text, state.question)
        if not echo and not grade_is_off_topic(grade, text):
            return None
        if state.redirects >= MAX_REDIRECTS:
            return None
        state.redirects += 1
        if echo:
            self._note("the answer only repeated the question back; it was asked again.")
            line = join_sentences(ECHO_REPLY, spoken(state.question.prompt))
        else:
            self._note("the answer did not address the question; it was asked again.")
            line = come_back_line(state.question)
        return self._speak(line, "redirect")

    def _note(self, text: str) -> None:
        """A line for the report about what happened on the current question (once each)."""
        line = f"Question {max(self._index, 0) + 1}: {text}"
        if line not in self._session.notes:
            self._session.notes.append(line)

    def _vetted_follow_up(self, request: GradeRequest, grade: Grade) -> FollowUpSuggestion | None:
        """The grader's probe, checked against the interview's own rules.

        The grader sees one answer; the interview sees the whole question. A probe is dropped when
        the per-question limit is reached, when it was already asked, or when time is short. On a
        follow-up answer the dimension scores of that short answer alone understate what the
        candidate has shown, so the offline engine's probe (which is this same policy applied to
        that one answer) is chosen again over the best scores of all answers on the question; an
        LLM engine's probe is kept unless it targets a dimension already solid, which is never
        probed (the policy chooses instead).
        """
        suggestion = grade.follow_up
        if suggestion is None or request.follow_ups_left <= 0:
            return None
        if request.time_left_s is not None and request.time_left_s < MIN_TIME_FOR_PROBE_S:
            return None
        combined = self._combined_scores(grade)
        covered = {s.id for s in combined if s.score is not None and s.score >= SOLID_SCORE}
        on_solid = not suggestion.constraint and suggestion.dimension in covered
        if on_solid or (request.previous_answers and grade.engine == OFFLINE_ENGINE):
            suggestion = choose_follow_up(request, combined)
        if suggestion is None:
            return None
        if probe_key(suggestion.text) in {probe_key(p) for p in self._asked_probes}:
            return None
        return suggestion

    def _combined_scores(self, grade: Grade) -> list[DimensionScore]:
        """Best score per dimension over every graded answer on the current question."""
        assert self._state is not None
        best: dict[str, DimensionScore] = {}
        grades = [t.grade for t in self._state.record.answer_turns if t.grade is not None]
        for graded in (*grades, grade):
            for score in graded.dimensions:
                held = best.get(score.id)
                if held is None or (score.score or 0) > (held.score or 0):
                    best[score.id] = score
        return list(best.values())

    @staticmethod
    def _follow_up_for(question: Question, suggestion: FollowUpSuggestion) -> FollowUp:
        """The bank follow-up behind a suggestion (keeps its triggers), or one built from it."""
        key = probe_key(suggestion.text)
        for follow_up in question.follow_ups:
            if probe_key(follow_up.text) == key:
                return FollowUp(
                    text=suggestion.text,
                    dimension=follow_up.dimension,
                    triggers=follow_up.triggers,
                    constraint=follow_up.constraint,
                )
        return FollowUp(suggestion.text, suggestion.dimension, constraint=suggestion.constraint)

    def _relative_audio(self, audio_path: str | Path | None) -> str | None:
        """Audio paths are stored relative to the session folder so sessions can be moved."""
        if audio_path is None:
            return None
        path = Path(audio_path)
        folder = self._session.folder
        if folder is not None:
            try:
                return path.resolve().relative_to(Path(folder).resolve()).as_posix()
            except ValueError:
                pass
        return str(path)


_FILLER_ONLY = frozenset(FILLED_PAUSES) | {
    *("okay", "ok", "so", "well", "yeah", "yes", "right", "like", "alright", "sorry")
}


def text_of(transcript: Transcript) -> str:
    """A turn's words without Whisper's non-speech annotations."""
    return without_annotations(transcript.text).strip()


def _has_content(text: str) -> bool:
    """False for silence and for turns of fillers only ("Um... okay."): nothing to grade yet."""
    words = [w.strip(".,!?;:'\"-").lower() for w in text.split()]
    return any(w and w not in _FILLER_ONLY for w in words)


def _follow_up_dict(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "text": follow_up.text,
        "dimension": follow_up.dimension,
        "constraint": follow_up.constraint,
    }
