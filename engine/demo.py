"""A complete spoken interview with no microphone, speakers or display: ``mockinterview demo``.

The demo proves the whole product loop on any machine, CI included, with every real part in
place: the interviewer's lines are spoken to WAV files by the default (neural) voice, the
candidate's answers (written in ``assets/demo/answers.yaml``) by the same voice at a slower pace
so the two are easy to tell apart, stored as the turn's
recording, streamed through Whisper in microphone-sized chunks as in the app, and handed to the
real interview state machine, which answers a clarifying question, grades every answer, asks
follow-ups and moves on. The session is saved like any other and its report is written next to
it, so the demo doubles as a sample of what a user gets.

Nothing is played, so the demo renders each line when it is said and does not render ahead
(on two busy cores, rendering lines that may never be said only slows it down).

Only the candidate is synthetic; nothing else is faked. The demo plays the host role that the
desktop controller plays in the app (speak, record, transcribe, save), so it is also the
reference for how a host drives ``engine.interviewer.state_machine.Interview``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.candidate_script import (
    CandidateScript,
    SampleAnswers,
    ScriptedTurn,
    load_candidate_script,
)
from engine.errors import ConfigError, MockInterviewError, SessionError
from engine.interviewer.state_machine import Action, Interview, InterviewSettings
from engine.paths import DATA_DIR_ENV, asset_path
from engine.questions.model import FollowUp, Question
from engine.store.model import STATUS_ENDED_EARLY, Session
from engine.transcript import Transcript

if TYPE_CHECKING:
    import numpy as np

    from engine.speech.transcriber import Transcriber

DEMO_QUESTION_IDS: tuple[str, ...] = (
    "diagnose-feed-engagement-drop",
    "design-short-video-feed",
    "metrics-ai-writing-assistant",
)
"""Questions the demo knows how to answer, in the order it asks them."""

SAMPLE_ANSWERS_PATH = asset_path("demo", "answers.yaml")

CANDIDATE_RATE = 150
"""Words per minute for the candidate's voice: conversational, and clear enough for tiny.en.
There is one neural voice, so the candidate is told apart from the interviewer (at the default
175) by pace."""

LEAD_IN_S = 0.8
"""Silence before the candidate's first word, like a real breath before answering."""

CHUNK_S = 0.5
"""Audio is fed to the streaming transcriber in microphone-sized chunks."""

SYNTHESIS_ATTEMPTS = 3
"""How often one line is rendered before a TTS failure is reported (see ``_synthesize``)."""

Progress = Callable[[str], None]
Capture = Callable[["np.ndarray"], Transcript]
"""Turns a candidate's rendered audio into a transcript some other way than the default
chunked stream (``bench/interviewer_quality.py --real-mic`` plays it into a virtual mic)."""


def load_sample_answers(path: Path = SAMPLE_ANSWERS_PATH) -> dict[str, SampleAnswers]:
    """Read the demo's candidate answers, keyed by question id.

    Raises:
        ConfigError: the file is missing or malformed (a broken installation).
    """
    return load_candidate_script(path).answers


def demo_questions(count: int, samples: dict[str, SampleAnswers]) -> list[Question]:
    """The first ``count`` demo questions that are both in the bundled bank and answerable.

    Raises:
        ConfigError: ``count`` is below one or above what the demo can answer.
    """
    from engine.questions.bank import QuestionBank

    if count < 1:
        raise ConfigError("the demo needs at least one question (--questions 1 or more)")
    bank = QuestionBank.load(include_user=False)
    known = {q.id: q for q in bank.questions}
    available = [known[qid] for qid in DEMO_QUESTION_IDS if qid in known and qid in samples]
    if not available:
        raise ConfigError(
            "none of the demo's questions are in the bundled question bank "
            f"({', '.join(DEMO_QUESTION_IDS)}); the installation looks incomplete"
        )
    if count > len(available):
        raise ConfigError(
            f"the demo has sample answers for {len(available)} question(s); "
            f"ask for at most {len(available)}"
        )
    return available[:count]


def script_questions(
    script: CandidateScript, question_ids: Sequence[str] = ()
) -> list[tuple[Question, SampleAnswers]]:
    """The questions a candidate file answers (all of them in file order, or ``question_ids``).

    A bank id is looked up in the bundled bank; an entry with a ``question`` is a free question.

    Raises:
        ConfigError: an id the file has no answers for.
        UnknownQuestionError: a bank id that is not in the bank.
    """
    from engine.questions.bank import QuestionBank

    ids = list(question_ids) or list(script.answers)
    bank = None
    chosen = []
    for question_id in ids:
        entry = script.answers.get(question_id)
        if entry is None:
            known = ", ".join(script.answers)
            raise ConfigError(f"{script.path}: no answers for question {question_id!r} ({known})")
        if entry.free is not None:
            chosen.append((entry.free, entry))
            continue
        bank = bank or QuestionBank.load(include_user=False)
        chosen.append((bank.get(question_id), entry))
    return chosen


def exchange_record(
    listened: Action,
    asked: Action | None,
    turn: ScriptedTurn,
    heard: Transcript,
    duration_s: float,
    reply: Action,
    probe: FollowUp | None,
    quote: str,
) -> dict[str, Any]:
    """One exchange for ``demo --json``: what was asked, said and heard, and the reply."""
    from engine.interviewer.redirects import WRAP_UP_LINE

    behaviour = "speech" if turn.text else "noise" if turn.noise_s > 0 else "silence"
    is_probe = reply.kind == "speak" and reply.purpose == "follow_up" and probe is not None
    return {
        "question_index": listened.question_index,
        "asked": asked.text if asked is not None else "",
        "asked_purpose": asked.purpose if asked is not None else "",
        "interrupted": turn.interrupt,
        "behaviour": behaviour,
        "said": turn.spoken_text,
        "heard": heard.text,
        "duration_s": round(duration_s, 2),
        "window_s": listened.time_limit_s,
        "reply": reply.text,
        "reply_purpose": reply.purpose if reply.kind == "speak" else reply.kind,
        "probe_dimension": probe.dimension if is_probe else None,
        "probe_constraint": (probe.constraint or None) if is_probe else None,
        "probe_quote": quote if is_probe and quote else None,
        "redirect": reply.kind == "speak" and reply.purpose == "redirect",
        "wrap_up": reply.text.startswith(WRAP_UP_LINE),
    }


@contextlib.contextmanager
def _data_dir(out_dir: Path | None) -> Iterator[None]:
    """Point the data dir at ``out_dir`` for the duration of the demo, then restore it.

    The store creates sessions under the data dir and has no per-call folder argument, so
    ``--out`` works by redirecting the data dir; the session lands in ``out_dir/sessions/``.
    """
    if out_dir is None:
        yield
        return
    out_dir = Path(out_dir).expanduser()
    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"--out {out_dir}: is a file, not a folder")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SessionError(f"--out {out_dir}: cannot create it ({exc.strerror or exc})") from exc
    previous = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(out_dir.resolve())
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DATA_DIR_ENV, None)
        else:
            os.environ[DATA_DIR_ENV] = previous


class _DemoHost:
    """Plays the part of the desktop controller: speaks, 'records', transcribes and saves."""

    def __init__(
        self,
        session: Session,
        interview: Interview,
        samples: Sequence[SampleAnswers],
        transcriber: Transcriber,
        progress: Progress,
        log: list[dict[str, Any]] | None = None,
        capture: Capture | None = None,
    ) -> None:
        self.session = session
        self.interview = interview
        self.samples = samples  # one per question, in the interview's order
        self.log = log
        self.capture = capture
        self.cursor: dict[int, int] = {}  # question index -> scripted turns used
        self.last_line: Action | None = None
        self.transcriber = transcriber
        self.progress = progress
        self.folder = Path(session.folder)
        self.candidate_voice: str | None = None  # the default voice, at CANDIDATE_RATE
        self.interviewer_voice: str | None = None
        self.interviewer_lines = 0
        self.clarified: set[int] = set()
        self.fallback_reported = False

    def run(self) -> None:
        action = self.interview.start()
        while action.kind != "report":
            if action.kind == "speak":
                self.speak(action)
                self.last_line = action
                action = self.interview.on_spoken(interrupted=self._interrupts(action))
            else:
                action = self.answer(action)

    def speak(self, action: Action) -> None:
        if action.purpose == "question":
            number = action.question_index + 1
            total = len(self.interview.questions)
            question = self.interview.current_question
            self.progress(f"Question {number} of {total}: {question.id if question else ''}")
        self.interviewer_lines += 1
        path = self.folder / "audio" / f"interviewer-{self.interviewer_lines:02d}.wav"
        _synthesize(action.text, path, voice=self.interviewer_voice)
        label = "Interviewer" if action.purpose != "follow_up" else "Interviewer follow-up"
        self.progress(f"  {label}: {_shorten(action.text)}")

    def answer(self, action: Action) -> Action:
        from engine.speech.audio_io import SAMPLE_RATE
        from engine.store.sessions import save_session, turn_audio_path

        question = self.interview.current_question
        assert question is not None
        samples = self.samples[action.question_index]
        probe = self.interview.current_follow_up
        scripted = self._next_scripted(action.question_index)
        clarify = (
            scripted is None
            and action.question_index == 0
            and probe is None
            and samples.clarifying_question
            and action.question_index not in self.clarified
        )
        if scripted is not None:
            turn, kind = scripted, "scripted turn"
        elif clarify:
            self.clarified.add(action.question_index)
            turn, kind = ScriptedTurn(samples.clarifying_question), "clarifying question"
        elif probe is not None:
            turn, kind = ScriptedTurn(samples.answer_to(probe)), "follow-up answer"
        else:
            turn, kind = ScriptedTurn(samples.answer), "answer"

        turns_before = len(self.session.turns)
        path = turn_audio_path(self.session, self.session.next_turn_index())
        audio = self._record(turn, path, action.time_limit_s)
        if self.capture is not None:
            began = time.perf_counter()
            transcript = self.capture(audio)
            took_s = time.perf_counter() - began
        else:
            transcript, took_s = self._transcribe(audio)
        duration = len(audio) / SAMPLE_RATE
        words = len(transcript.text.split())
        self.progress(
            f"  Candidate {kind}: {duration:.1f} s of speech, {words} words transcribed "
            f"in {took_s:.1f} s"
        )
        next_action = self.interview.on_answer(transcript, path, duration)
        new_turns = self.session.turns[turns_before:]
        grade = new_turns[-1].grade if new_turns else None
        if self.log is not None:
            probe_now = self.interview.current_follow_up
            quote = self.interview.current_probe_quote
            record = exchange_record(
                action, self.last_line, turn, transcript, duration, next_action, probe_now, quote
            )
            record["turn"] = new_turns[-1].index if new_turns else None
            self.log.append(record)
        if grade is not None:
            self.progress(f"  Graded by {grade.engine}: overall {grade.overall:.1f}/4")
            if grade.fallback and not self.fallback_reported:
                self.fallback_reported = True
                reason = grade.fallback.get("reason") or "no reason given"
                self.progress(
                    f"  (the LLM engine did not answer, so the offline one did: {reason})"
                )
        save_session(self.session)
        return next_action

    def _next_scripted(self, question_index: int) -> ScriptedTurn | None:
        """The candidate's next scripted turn on this question, if any are left."""
        turns = self.samples[question_index].turns
        used = self.cursor.get(question_index, 0)
        if used >= len(turns):
            return None
        self.cursor[question_index] = used + 1
        return turns[used]

    def _interrupts(self, action: Action) -> bool:
        """Whether the candidate's next scripted turn cuts into the line just spoken."""
        if action.purpose not in ("question", "follow_up"):
            return False
        turns = self.samples[action.question_index].turns
        used = self.cursor.get(action.question_index, 0)
        return used < len(turns) and turns[used].interrupt

    def _record(self, turn: ScriptedTurn, path: Path, window_s: float | None) -> np.ndarray:
        """Render the candidate's turn and store it as the turn's 16 kHz recording.

        Speech is spoken by the TTS voice once and repeated for a monologue; a silence lasts
        its seconds (``silence: limit`` the whole window); noise is quiet seeded white noise,
        the same on every run.
        """
        import numpy as np

        from engine.speech.audio_io import SAMPLE_RATE, load_audio, write_wav

        path.parent.mkdir(parents=True, exist_ok=True)
        silence = np.zeros(int(LEAD_IN_S * SAMPLE_RATE), dtype=np.float32)
        if turn.text:
            with tempfile.TemporaryDirectory(prefix="mockinterview-demo-") as scratch:
                raw = Path(scratch) / "candidate.wav"
                _synthesize(turn.text, raw, voice=self.candidate_voice, rate=CANDIDATE_RATE)
                speech = load_audio(raw).astype(np.float32)
            pieces = [silence]
            for _ in range(turn.repeat):
                pieces += [speech, silence]
            audio = np.concatenate(pieces)
        elif turn.noise_s > 0:
            noise = np.random.default_rng(7).normal(0.0, 0.03, int(turn.noise_s * SAMPLE_RATE))
            audio = np.concatenate([silence, noise.astype(np.float32), silence])
        else:
            seconds = turn.silence_s if turn.silence_s is not None else 0.0
            if seconds == float("inf"):
                seconds = window_s if window_s is not None else 60.0
            audio = np.zeros(int(max(seconds, LEAD_IN_S) * SAMPLE_RATE), dtype=np.float32)
        write_wav(path, audio)
        return audio

    def _transcribe(self, audio: np.ndarray) -> tuple[Transcript, float]:
        """Stream the recording through Whisper in microphone-sized chunks, then finish.

        The chunks go in as fast as the worker takes them (no real-time pacing, which would
        only make the demo slower) and without the live preview's tentative passes, since no
        one is watching a live transcript here.

        Returns:
            The transcript, and the seconds spent transcribing.
        """
        from engine.speech.audio_io import SAMPLE_RATE

        began = time.perf_counter()
        stream = self.transcriber.stream(tentative=False)
        step = int(CHUNK_S * SAMPLE_RATE)
        try:
            for start in range(0, len(audio), step):
                stream.feed(audio[start : start + step])
            transcript = stream.finish()
        except BaseException:
            stream.cancel()
            raise
        return transcript, time.perf_counter() - began


def _synthesize(text: str, path: Path, voice: str | None = None, rate: int | None = None) -> None:
    """Render speech to ``path``, retrying when espeak hands back no audio.

    Why: through pyttsx3's espeak driver, the first rendering in a fresh process sometimes ends
    without any audio (about one run in six here); a second attempt in the same process works.
    A persistent failure is still raised.
    """
    from engine.errors import SpeechSynthesisError
    from engine.speech.voice import synthesize

    for attempt in range(1, SYNTHESIS_ATTEMPTS + 1):
        try:
            synthesize(text, path, voice=voice, rate=rate)
            return
        except SpeechSynthesisError:
            if attempt == SYNTHESIS_ATTEMPTS:
                raise


def _shorten(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _write_report(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise SessionError(f"cannot write the report {path}: {exc.strerror or exc}") from exc


def report_path(session: Session, suffix: str = "html") -> Path:
    """Where the demo writes the session's report (``report.html`` / ``report.md``)."""
    return Path(session.folder) / f"report.{suffix}"


def run_demo(
    out_dir: Path | None = None,
    engine: str = "offline",
    question_count: int = 2,
    model: str | None = None,
    progress: Progress | None = None,
    loop: str | None = None,
    answers: Path | None = None,
    question_ids: Sequence[str] = (),
    log: list[dict[str, Any]] | None = None,
    capture: Capture | None = None,
) -> Session:
    """Run a full spoken interview headlessly and write its session folder and report.

    Args:
        out_dir: folder to hold the session (under ``out_dir/sessions/``); the data dir when None.
        engine: grading engine, ``offline`` or ``llm``.
        question_count: how many demo questions to ask (one to three).
        model: Whisper model folder or name; the bundled tiny.en when None.
        progress: called with one human-readable line per step.
        loop: a loop format id (``engine.practice.loop.LOOP_FORMATS``): run the demo questions
            as one timed round in the loop's slot order and end with the loop report.
        answers: a candidate file (``assets/README.md``) to replay instead of the demo's own
            answers; its ``candidate`` settings (time limit, probes per question) apply.
        question_ids: the questions to ask, in order (ids, or entry names for free questions);
            every question in the file when empty. ``question_count`` is then ignored.
        log: when given, one ``exchange_record`` per candidate turn is appended to it.
        capture: how the candidate's audio becomes a transcript (default: streamed in chunks).

    Returns:
        The finished session; ``report_path(session)`` is its HTML report.

    Raises:
        ConfigError: a bad count, engine name or broken installation.
        ModelError: the Whisper model cannot be loaded.
        SessionError: the session cannot be written.
    """
    from engine.engines import make_grader
    from engine.report.html import render_html
    from engine.report.markdown import render_markdown
    from engine.speech.transcriber import get_transcriber
    from engine.speech.voice import resolve_voice, take_fallback_notice
    from engine.store.sessions import create_session, save_session

    say = progress or (lambda _line: None)
    script = load_candidate_script(answers or SAMPLE_ANSWERS_PATH)
    samples = script.answers
    fmt = None
    if loop is not None:
        from engine.practice.loop import loop_format, pick_loop_questions

        fmt = loop_format(loop)
        answerable = demo_questions(len(DEMO_QUESTION_IDS), samples)
        # The demo can only answer its own questions: one per slot, in the loop's order.
        questions = pick_loop_questions(fmt, answerable, set(), date.today())
        scripted = [samples[q.id] for q in questions]
    elif answers is not None or question_ids:
        pairs = script_questions(script, question_ids)
        questions, scripted = [q for q, _ in pairs], [a for _, a in pairs]
    else:
        questions = demo_questions(question_count, samples)
        scripted = [samples[q.id] for q in questions]
    grader = make_grader(engine)
    with _data_dir(out_dir):
        transcriber = get_transcriber(model)
        say(f"Loading Whisper model {transcriber.model_name}")
        transcriber.load()
        settings = InterviewSettings(engine=engine, whisper_model=transcriber.model_name)
        if script.time_limit_s is not None:
            settings = replace(settings, time_limit_s=script.time_limit_s)
        if script.follow_ups_per_question is not None:
            settings = replace(settings, follow_ups_per_question=script.follow_ups_per_question)
        extra: dict = {"question_ids": [q.id for q in questions]}
        if fmt is not None:
            from engine.practice.loop import loop_settings

            extra["loop"] = loop_settings(fmt, questions)
        session = create_session(
            kind="demo",
            settings={**settings.to_dict(), **extra},
            title="demo interview loop" if fmt else "demo interview",
        )
        say(f"Session folder: {session.folder}")
        voice = resolve_voice(None)
        say(f"Voice: {voice.voice_id or 'system default'} ({voice.engine})")
        notice = take_fallback_notice()
        if notice:
            say(f"Warning: {notice}")
        interview = Interview(questions, settings, grader, session)
        try:
            _DemoHost(session, interview, scripted, transcriber, say, log, capture).run()
        except BaseException as exc:  # an error or Ctrl+C: keep what was recorded, then re-raise
            # Marked as stopped, so the folder is not left "in progress" for recovery to find.
            session.status = STATUS_ENDED_EARLY
            reason = str(exc) if isinstance(exc, MockInterviewError) else type(exc).__name__
            session.notes.append(f"The demo stopped early: {reason}")
            with contextlib.suppress(MockInterviewError):  # the original error matters more
                save_session(session)
            raise
        save_session(session)
        from engine.practice.report_sections import practice_sections

        appendix = practice_sections(session)  # the loop report, for a --loop demo
        _write_report(report_path(session, "html"), render_html(session, appendix))
        _write_report(report_path(session, "md"), render_markdown(session, appendix))
    if fmt is not None:
        from engine.practice.loop import build_loop_report, format_loop_report

        loop_report = build_loop_report(session)
        if loop_report is not None:
            for line in format_loop_report(loop_report).splitlines():
                say(line)
    say(f"Report written: {report_path(session, 'html')}")
    return session
