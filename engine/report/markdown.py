"""The timed rubric report as Markdown, for notes apps, gists and plain-text diffs.

Same content as the HTML report (scores, evidence with m:ss timestamps, what was missed, the
follow-up exchange, pacing per answer with time per stage, the full transcript), without charts.
Table cells are escaped so a ``|`` in a transcript cannot break the table.
"""

from __future__ import annotations

from collections.abc import Sequence

from engine.clock import mmss
from engine.report.appendix import ReportSection
from engine.report.builder import (
    RED_FLAGS_HEADING,
    AnswerView,
    QuestionReport,
    SessionReport,
    build_report,
    dimension_label,
)
from engine.report.compare import compare_gradings
from engine.rubric import SCORE_LABELS
from engine.store.model import ROLE_FOLLOW_UP, Session, Turn


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _score(score: int | None) -> str:
    return "n/a" if score is None else f"{score}/4 {SCORE_LABELS.get(score, '')}".strip()


def _overall(value: float | None) -> str:
    return "not graded" if value is None else f"{value:.2f} / 4"


def _dimensions_md(question: QuestionReport) -> list[str]:
    lines = ["| Dimension | Score | Evidence | Missed |", "|---|---|---|---|"]
    for dim in question.dimensions:
        evidence = "<br>".join(
            _cell(f"{mmss(e.start_s)} (answer {e.turn_index}) \u201c{e.quote}\u201d")
            for e in dim.evidence
        )
        missing = "<br>".join(_cell(m) for m in dim.missing)
        lines.append(f"| {dim.label} | {_score(dim.score)} | {evidence} | {missing} |")
    return lines


def _pacing_md(answer: AnswerView) -> list[str]:
    pacing = answer.pacing
    if pacing is None:
        return ["_No timing for this answer._"]
    limit = mmss(pacing.time_limit_s) if pacing.time_limit_s else "none"
    over = f" ({mmss(pacing.over_limit_s)} over)" if pacing.over_limit_s > 0 else ""
    fillers = ", ".join(f"{k} x{v}" for k, v in pacing.fillers.items())
    lines = [
        f"- Duration: {mmss(pacing.duration_s)} / limit {limit}{over}",
        f"- Pace: {pacing.wpm:.0f} words per minute ({pacing.words} words)",
        f"- Fillers: {pacing.filler_count}" + (f" ({fillers})" if fillers else ""),
        *([f"- Fillers at: {pacing.filler_times_text}"] if pacing.filler_times else []),
        f"- Long pauses: {pacing.long_pauses}; first word after "
        f"{mmss(pacing.time_to_first_word_s)}",
    ]
    if pacing.verdict:
        lines.append(f"- Verdict: {pacing.verdict}")
    if pacing.stages:
        lines.append("- Time per stage:")
        lines.extend(
            f"  - {mmss(s.start_s)}-{mmss(s.end_s)} "
            f"{dimension_label(s.dimension)} ({s.end_s - s.start_s:.0f}s)"
            for s in pacing.stages
        )
    return lines


def _transcript_md(answer: AnswerView) -> list[str]:
    transcript = answer.transcript
    if transcript is None or not transcript.text:
        return ["_No transcript (not transcribed yet, or nothing was said)._"]
    lines = []
    for segment in transcript.segments:
        stamp = f"`[{mmss(segment.start)}]` " if transcript.has_word_timings else ""
        lines.append(f"> {stamp}{segment.text.strip()}")
        lines.append(">")
    return lines[:-1]


def _comparison_md(turn: Turn) -> list[str]:
    if len(turn.gradings) < 2:
        return []
    comp = compare_gradings(turn)

    def head(record_engine: str, model: str, current: bool) -> str:
        return f"{record_engine}{', ' + model if model else ''}{' (current)' if current else ''}"

    lines = [
        "",
        f"**Gradings side by side** ({len(turn.gradings)} kept)",
        "",
        f"| Dimension | {head(comp.left.engine, comp.left.whisper_model, comp.left_is_current)} "
        f"| {head(comp.right.engine, comp.right.whisper_model, comp.right_is_current)} | Change |",
        "|---|---|---|---|",
    ]
    for row in comp.rows:
        delta = "" if row.delta is None else f"{row.delta:+d}"
        lines.append(f"| {row.label} | {_score(row.left)} | {_score(row.right)} | {delta} |")
    lines.append(
        f"| Overall | {comp.left.grade.overall:.2f} | {comp.right.grade.overall:.2f} "
        f"| {comp.overall_delta:+.2f} |"
    )
    return lines


def _question_md(question: QuestionReport, turns: dict[int, Turn]) -> list[str]:
    meta = [question.category]
    if question.question_id:
        meta.append(question.question_id)
    if question.time_limit_s:
        meta.append(f"limit {mmss(question.time_limit_s)}")
    lines = [
        f"## Question {question.number}: {question.text}",
        "",
        f"_{' · '.join(meta)}_",
        "",
    ]
    lines.extend(f"> **Off topic:** {notice}\n" for notice in question.relevance_notices)
    lines.extend(f"> **Note:** {notice}\n" for notice in question.fallback_notices)
    lines += [f"**Overall: {_overall(question.overall)}**", ""]
    if question.dimensions:
        lines += _dimensions_md(question) + [""]
    if question.red_flags:
        lines += [f"### {RED_FLAGS_HEADING}", ""]
        for r in question.red_flags:
            when = f", {mmss(r.start_s)}" if r.start_s is not None else ""
            lines.append(
                f"- **{r.text}** ({dimension_label(r.dimension)}, answer {r.turn_index}{when}): "
                f"\u201c{r.quote}\u201d"
            )
        lines.append("")
    if question.follow_ups:
        lines += ["### Follow-up exchange", ""]
        for f in question.follow_ups:
            target = dimension_label(f.dimension) if f.dimension else "probe"
            constraint = f", new constraint: {f.constraint}" if f.constraint else ""
            graded = f" — graded {f.grade.overall:.2f}" if f.grade else ""
            lines.append(f"- **{f.probe}** ({target}{constraint}){graded}")
            lines.append(f"  - Answer: {f.answer_text or '_no answer transcribed_'}")
        lines.append("")
    if question.clarifications:
        lines += ["### Clarifying questions", ""]
        lines += [f"- \u201c{c.asked}\u201d → {c.reply}" for c in question.clarifications]
        lines.append("")
    if question.next_probe is not None:
        probe = question.next_probe
        lines += [
            f"**Practise next:** an interviewer would now ask \u201c{probe.text}\u201d "
            f"({dimension_label(probe.dimension)})",
            "",
        ]
    for answer in question.answers:
        kind = "Follow-up answer" if answer.role == ROLE_FOLLOW_UP else "Answer"
        grade = answer.grade
        graded = f" — overall {grade.overall:.2f} by {grade.engine}" if grade else " — not graded"
        lines += [f"### {kind} {answer.turn_index}{graded}", ""]
        if answer.prompt:
            lines += [f"_Asked:_ {answer.prompt}", ""]
        if grade and grade.feedback:
            lines += [grade.feedback, ""]
        lines += [f"> **Caveat:** {warning}\n" for warning in answer.warnings]
        lines += ["**Pacing**", ""] + _pacing_md(answer) + [""]
        lines += ["**Transcript**", ""] + _transcript_md(answer)
        turn = turns.get(answer.turn_index)
        if turn is not None:
            lines += _comparison_md(turn)
        lines.append("")
    return lines


def render_report_markdown(
    report: SessionReport, session: Session, appendix: Sequence[ReportSection] = ()
) -> str:
    """Render an already built report as Markdown (``appendix`` sections at the end)."""
    turns = {t.index: t for t in session.turns}
    engines = ", ".join(report.engines) or "not graded"
    lines = [
        f"# {report.title}",
        "",
        f"Session `{report.session_id}` · {report.created_at} · {report.status} · "
        f"graded by {engines}",
        "",
        f"**Session overall: {_overall(report.overall)}**",
        "",
    ]
    lines.extend(f"> {note}\n" for note in report.notes)
    if not report.questions:
        lines.append("No question was answered in this session.")
    for question in report.questions:
        lines += _question_md(question, turns)
    for section in appendix:
        lines += [f"## {section.title}", ""]
        lines += [f"- {_cell(line)}" for line in section.lines]
        lines.append("")
    lines.append(
        "_Scores: 1 missing, 2 weak, 3 solid, 4 strong. Times are m:ss from the start of each "
        "answer._"
    )
    return "\n".join(lines).rstrip() + "\n"


def render_markdown(session: Session, appendix: Sequence[ReportSection] = ()) -> str:
    """The session's timed rubric report as Markdown."""
    return render_report_markdown(build_report(session), session, appendix)
