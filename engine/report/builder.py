"""Turn a stored session into the timed rubric report that every output format renders.

A question may have several answer turns (the main answer and answers to follow-up probes). The
candidate gets credit for what they showed anywhere in that exchange, so each dimension shows the
best score across the turns, with evidence tagged by turn and time, and a point counts as missing
only if no turn covered it. Delivery stays per answer: each answer has its own duration, limit,
pace and stage timeline. HTML, Markdown, PDF, the desktop report screen and the library index all
read this one structure, so they can never disagree about a score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.clock import mmss
from engine.grading.result import FollowUpSuggestion, Grade, Pacing, Stage
from engine.grading.verdict import overall_score
from engine.rubric import DIMENSION_BY_ID, applicable_dimensions, dimension_label
from engine.store.model import (
    ROLE_CLARIFICATION,
    ROLE_FOLLOW_UP,
    GradingRecord,
    QuestionRecord,
    Session,
    Turn,
)
from engine.transcript import Transcript

# The heading every format uses for matched red flags (users look for it by name).
RED_FLAGS_HEADING = "What would worry an interviewer"

# Conversational speech is about 130-160 words per minute (DOMAIN.md); a little slack either way.
SLOW_WPM = 115.0
FAST_WPM = 175.0


@dataclass(frozen=True)
class EvidenceItem:
    """A verbatim quote, the answer turn it came from and when in that turn's audio."""

    quote: str
    turn_index: int
    start_s: float | None


@dataclass(frozen=True)
class RedFlagItem:
    """A mistake an interviewer would mark down, with the quote, its turn and time."""

    text: str
    quote: str
    turn_index: int
    start_s: float | None
    dimension: str


@dataclass(frozen=True)
class DimensionView:
    """One rubric dimension for a question, combined over all its answer turns."""

    id: str
    label: str
    score: int | None
    best_turn_index: int | None
    evidence: tuple[EvidenceItem, ...]
    missing: tuple[str, ...]
    per_turn: tuple[tuple[int, int | None], ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class AnswerPacing:
    """Delivery of one answer: how long against the limit, how fast, how fluent, where time went."""

    turn_index: int
    duration_s: float
    time_limit_s: float | None
    over_limit_s: float
    words: int
    wpm: float
    filler_count: int
    fillers: dict[str, int]
    long_pauses: int
    time_to_first_word_s: float | None
    stages: tuple[Stage, ...]
    verdict: str
    filler_times: tuple[tuple[float, str], ...] = ()  # (start_s, kind) of each timed filler

    @property
    def filler_times_text(self) -> str:
        """Each timed filler as "um 0:12, uh 0:40" (empty when none has a time)."""
        return ", ".join(f"{kind} {mmss(start)}" for start, kind in self.filler_times)


@dataclass(frozen=True)
class AnswerView:
    """One spoken turn as the report shows it, with its current grade (if any)."""

    turn_index: int
    role: str
    prompt: str
    audio: str | None
    transcript: Transcript | None
    grade: Grade | None
    pacing: AnswerPacing | None
    gradings: tuple[GradingRecord, ...]
    current_grading: int | None

    @property
    def text(self) -> str:
        return "" if self.transcript is None else self.transcript.text

    @property
    def warnings(self) -> tuple[str, ...]:
        """The grader's caveats (too short to grade, not English, instructions ignored...)."""
        return () if self.grade is None else self.grade.warnings


@dataclass(frozen=True)
class FollowUpExchange:
    """A probe the interviewer asked and how the candidate answered it."""

    turn_index: int
    probe: str
    dimension: str
    constraint: str | None
    answer_text: str
    grade: Grade | None


@dataclass(frozen=True)
class Clarification:
    """A clarifying question from the candidate and the interviewer's reply."""

    turn_index: int
    asked: str
    reply: str


@dataclass(frozen=True)
class QuestionReport:
    """Everything the report says about one question."""

    number: int
    question_id: str | None
    text: str
    category: str
    time_limit_s: float | None
    dimensions: tuple[DimensionView, ...]
    overall: float | None
    answers: tuple[AnswerView, ...]
    follow_ups: tuple[FollowUpExchange, ...]
    clarifications: tuple[Clarification, ...]
    fallback_notices: tuple[str, ...]
    engines: tuple[str, ...]
    next_probe: FollowUpSuggestion | None = None
    red_flags: tuple[RedFlagItem, ...] = ()
    relevance_notices: tuple[str, ...] = ()

    def dimension(self, dimension_id: str) -> DimensionView | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)


@dataclass(frozen=True)
class SessionReport:
    """The whole timed rubric report of a session."""

    session_id: str
    title: str
    created_at: str
    status: str
    kind: str
    questions: tuple[QuestionReport, ...]
    overall: float | None
    engines: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def answer_count(self) -> int:
        return sum(len(q.answers) for q in self.questions)

    def dimension_averages(self) -> dict[str, float]:
        """Mean combined score per dimension over the questions that scored it (for charts)."""
        totals: dict[str, list[int]] = {}
        for question in self.questions:
            for dim in question.dimensions:
                if dim.score is not None:
                    totals.setdefault(dim.id, []).append(dim.score)
        return {k: sum(v) / len(v) for k, v in totals.items()}


def pacing_verdict(pacing: Pacing, duration_s: float, limit: float | None) -> str:
    """One or two sentences a candidate can act on: time against the limit, then pace."""
    parts: list[str] = []
    if limit:
        over = duration_s - limit
        if over > 0:
            parts.append(f"{mmss(over)} over the {mmss(limit)} limit.")
        else:
            parts.append(f"Within the {mmss(limit)} limit ({mmss(-over)} to spare).")
    if pacing.words:
        if pacing.wpm < SLOW_WPM:
            parts.append(f"Slow pace ({pacing.wpm:.0f} wpm).")
        elif pacing.wpm > FAST_WPM:
            parts.append(f"Fast pace ({pacing.wpm:.0f} wpm).")
        else:
            parts.append(f"Conversational pace ({pacing.wpm:.0f} wpm).")
    if pacing.allocation_verdict:
        parts.append(pacing.allocation_verdict)
    return " ".join(parts)


def relevance_verdict(turn_index: int, grade: Grade) -> str:
    """The plain sentence every report shows when an answer did not address its question."""
    relevance = grade.relevance if grade.relevance is not None else 0.0
    return (
        f"Answer {turn_index} did not address the question that was asked (relevance "
        f"{relevance:.2f} of 1), so it was scored as off topic."
    )


def _answer_pacing(turn: Turn, grade: Grade | None, limit: float | None) -> AnswerPacing | None:
    if grade is None:
        if turn.duration_s <= 0:
            return None
        over = max(0.0, turn.duration_s - limit) if limit else 0.0
        verdict = f"{mmss(over)} over the limit." if over else ""
        return AnswerPacing(
            turn.index, turn.duration_s, limit, over, 0, 0.0, 0, {}, 0, None, (), verdict
        )
    pacing = grade.pacing
    limit = pacing.time_limit_s if pacing.time_limit_s is not None else limit
    duration = pacing.duration_s or turn.duration_s
    over = max(0.0, duration - limit) if limit else 0.0
    return AnswerPacing(
        turn_index=turn.index,
        duration_s=duration,
        time_limit_s=limit,
        over_limit_s=over,
        words=pacing.words,
        wpm=pacing.wpm,
        filler_count=pacing.filler_count,
        fillers=dict(pacing.fillers),
        long_pauses=pacing.long_pauses,
        time_to_first_word_s=pacing.time_to_first_word_s,
        stages=pacing.stages,
        verdict=pacing_verdict(pacing, duration, limit),
        filler_times=tuple((e.start_s, e.kind) for e in pacing.filler_events),
    )


def _combine_dimensions(
    category: str, graded: list[tuple[Turn, Grade]]
) -> tuple[DimensionView, ...]:
    """Best score per dimension over the turns; a point is missing only if every turn missed it."""
    ids: list[str] = []
    for _turn, grade in graded:
        for dim in grade.dimensions:
            if dim.id not in ids:
                ids.append(dim.id)
    if not ids:
        return ()
    order = {d: i for i, d in enumerate(applicable_dimensions(category) + tuple(DIMENSION_BY_ID))}
    ids.sort(key=lambda d: order.get(d, len(order)))
    views = []
    for dim_id in ids:
        per_turn: list[tuple[int, int | None]] = []
        evidence: list[EvidenceItem] = []
        missing: list[str] | None = None
        notes: list[str] = []
        best: tuple[int, int] | None = None  # (score, turn index)
        for turn, grade in graded:
            score = grade.dimension(dim_id)
            if score is None:
                continue
            per_turn.append((turn.index, score.score))
            if score.note and score.note not in notes:
                notes.append(score.note)
            evidence.extend(EvidenceItem(e.quote, turn.index, e.start_s) for e in score.evidence)
            if score.score is not None:
                if best is None or score.score > best[0]:
                    best = (score.score, turn.index)
                gaps = list(score.missing)
                missing = gaps if missing is None else [m for m in missing if m in gaps]
        if best is None and not evidence and not missing:
            continue  # not applicable in any answer (e.g. diagnosis on a design question)
        views.append(
            DimensionView(
                id=dim_id,
                label=dimension_label(dim_id),
                score=None if best is None else best[0],
                best_turn_index=None if best is None else best[1],
                evidence=tuple(evidence),
                missing=tuple(missing or ()),
                per_turn=tuple(per_turn),
                notes=tuple(notes),
            )
        )
    return tuple(views)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _question_overall(
    category: str, dimensions: tuple[DimensionView, ...], graded: list[tuple[Turn, Grade]]
) -> float | None:
    """A single answer keeps its grader's overall; an exchange weighs its combined dimensions.

    The combined scores of an answer and its follow-ups are weighed the way the grader weighs
    one answer's (``engine.grading.verdict``), so a question's overall means the same whether
    or not it was probed.
    """
    if not graded:
        return None
    if len(graded) == 1:
        return round(graded[0][1].overall, 2)
    scores = {d.id: int(d.score) for d in dimensions if d.score is not None}
    if not scores:
        return round(graded[0][1].overall, 2)
    flagged = [flag.dimension for _turn, grade in graded for flag in grade.red_flags]
    return round(overall_score(category, scores, flagged), 2)


def build_question_report(number: int, record: QuestionRecord) -> QuestionReport:
    """The report section of one question (also used by the desktop after each question)."""
    question = record.question
    category = str(question.get("category") or "design")
    limit_raw = question.get("time_limit_s")
    limit = None if limit_raw is None else float(limit_raw)
    answers: list[AnswerView] = []
    follow_ups: list[FollowUpExchange] = []
    clarifications: list[Clarification] = []
    graded: list[tuple[Turn, Grade]] = []
    notices: list[str] = []
    engines: list[str] = []
    red_flags: list[RedFlagItem] = []
    relevance_notices: list[str] = []
    for turn in record.turns:
        if turn.role == ROLE_CLARIFICATION:
            asked = turn.transcript.text if turn.transcript else turn.prompt
            clarifications.append(Clarification(turn.index, asked, turn.interviewer_reply or ""))
            continue
        grade = turn.grade
        if grade is not None:
            graded.append((turn, grade))
            if grade.engine not in engines:
                engines.append(grade.engine)
            if grade.fallback:
                reason = str(grade.fallback.get("reason") or "the LLM engine was unavailable")
                notices.append(f"Answer {turn.index} was graded by the offline engine: {reason}")
            red_flags.extend(
                RedFlagItem(r.text, r.quote, turn.index, r.start_s, r.dimension)
                for r in grade.red_flags
            )
            if grade.off_topic:
                relevance_notices.append(relevance_verdict(turn.index, grade))
        answers.append(
            AnswerView(
                turn_index=turn.index,
                role=turn.role,
                prompt=turn.prompt,
                audio=turn.audio,
                transcript=turn.transcript,
                grade=grade,
                pacing=_answer_pacing(turn, grade, limit),
                gradings=tuple(turn.gradings),
                current_grading=turn.current_grading,
            )
        )
        if turn.role == ROLE_FOLLOW_UP:
            probe: dict[str, Any] = turn.follow_up or {}
            follow_ups.append(
                FollowUpExchange(
                    turn_index=turn.index,
                    probe=str(probe.get("text") or turn.prompt),
                    dimension=str(probe.get("dimension") or ""),
                    constraint=probe.get("constraint"),
                    answer_text=turn.transcript.text if turn.transcript else "",
                    grade=grade,
                )
            )
    dimensions = _combine_dimensions(category, graded)
    # The probe the grader proposed after the last answer was never asked: worth practising.
    last = answers[-1] if answers else None
    next_probe = last.grade.follow_up if last is not None and last.grade is not None else None
    return QuestionReport(
        number=number,
        question_id=question.get("id") or None,
        text=str(question.get("text") or ""),
        category=category,
        time_limit_s=limit,
        dimensions=dimensions,
        overall=_question_overall(category, dimensions, graded),
        answers=tuple(answers),
        follow_ups=tuple(follow_ups),
        clarifications=tuple(clarifications),
        fallback_notices=tuple(notices),
        engines=tuple(engines),
        next_probe=next_probe,
        red_flags=tuple(red_flags),
        relevance_notices=tuple(relevance_notices),
    )


def session_title(session: Session) -> str:
    """The human title: the one given at creation, else the first question, else the id."""
    title = str(session.settings.get("title") or "")
    if title:
        return title
    if session.questions:
        return str(session.questions[0].question.get("text") or session.id)
    return session.id


def build_report(session: Session) -> SessionReport:
    """The full report of ``session``; works on unfinished and ungraded sessions too."""
    questions = tuple(
        build_question_report(number, record)
        for number, record in enumerate(session.questions, start=1)
    )
    engines: list[str] = []
    for question in questions:
        engines.extend(e for e in question.engines if e not in engines)
    return SessionReport(
        session_id=session.id,
        title=session_title(session),
        created_at=session.created_at,
        status=session.status,
        kind=session.kind,
        questions=questions,
        overall=_mean([q.overall for q in questions if q.overall is not None]),
        engines=tuple(engines),
        notes=tuple(session.notes),
    )
