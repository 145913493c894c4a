"""The timed rubric report as ONE self-contained HTML file (inline CSS and SVG, nothing fetched).

A user can mail the file or open it years later offline; it has no scripts, no web fonts and no
external images. Every piece of text from the session is escaped, since transcripts and free
question texts are user input.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from engine.clock import mmss
from engine.report.appendix import ReportSection
from engine.report.builder import (
    RED_FLAGS_HEADING,
    AnswerView,
    DimensionView,
    QuestionReport,
    SessionReport,
    build_report,
    dimension_label,
)
from engine.report.charts import score_bars_svg, stage_legend_html, stage_timeline_svg
from engine.report.compare import compare_gradings
from engine.rubric import SCORE_LABELS
from engine.store.model import ROLE_FOLLOW_UP, GradingRecord, Session, Turn

_CSS = """
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:60rem;color:#222;line-height:1.45;padding:0 1rem}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #4e79a7;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin-top:1.6rem}.meta{color:#666}.overall{font-size:1.4rem;font-weight:600}
table{border-collapse:collapse;width:100%;margin:.6rem 0}th,td{border:1px solid #ddd;
padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f5f7fa}
.score{font-weight:700;white-space:nowrap}.s1{color:#c9302c}.s2{color:#d58512}
.s3{color:#31b0d5}.s4{color:#449d44}.na{color:#888}
.notice{background:#fff4e5;border-left:4px solid #f0ad4e;padding:.5rem .8rem;margin:.6rem 0}
.note{background:#eef4fb;border-left:4px solid #4e79a7;padding:.5rem .8rem;margin:.6rem 0}
.ts{font-family:ui-monospace,Menlo,Consolas,monospace;color:#4e79a7;font-size:.9em}
blockquote{margin:.3rem 0;padding-left:.8rem;border-left:3px solid #ccc;color:#333}
.transcript p{margin:.25rem 0}.missing li{color:#8a3b12}
.legend{display:inline-block;margin-right:.8rem;font-size:.85em}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.3em;border-radius:2px}
.current{font-weight:600;color:#449d44}svg.chart{max-width:100%;height:auto}
@media print{h2{page-break-before:auto}}
"""


def _score_html(score: int | None) -> str:
    if score is None:
        return '<span class="score na">n/a</span>'
    label = SCORE_LABELS.get(score, "")
    return f'<span class="score s{score}">{score}/4 {escape(label)}</span>'


def _overall_html(value: float | None) -> str:
    return "not graded" if value is None else f"{value:.2f} / 4"


def _dimension_rows(question: QuestionReport) -> str:
    rows = []
    for dim in question.dimensions:
        evidence = "".join(
            f'<li><span class="ts">{mmss(e.start_s)}</span> answer {e.turn_index}: '
            f"&ldquo;{escape(e.quote)}&rdquo;</li>"
            for e in dim.evidence
        )
        missing = "".join(f"<li>{escape(m)}</li>" for m in dim.missing)
        rows.append(
            f"<tr><td>{escape(dim.label)}</td><td>{_score_html(dim.score)}"
            f"{_best_turn_note(dim, question)}</td>"
            f"<td><ul>{evidence}</ul></td><td><ul class='missing'>{missing}</ul></td></tr>"
        )
    return (
        "<table><tr><th>Dimension</th><th>Score</th><th>Evidence</th><th>Missed</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _best_turn_note(dim: DimensionView, question: QuestionReport) -> str:
    if dim.best_turn_index is None or len(question.answers) < 2:
        return ""
    return f'<br><span class="meta">best in answer {dim.best_turn_index}</span>'


def _pacing_html(answer: AnswerView) -> str:
    pacing = answer.pacing
    if pacing is None:
        return "<p class='meta'>No timing for this answer.</p>"
    limit = mmss(pacing.time_limit_s) if pacing.time_limit_s else "none"
    over = (
        f' <strong class="s1">({mmss(pacing.over_limit_s)} over)</strong>'
        if pacing.over_limit_s > 0
        else ""
    )
    fillers = ", ".join(f"{escape(k)} &times;{v}" for k, v in pacing.fillers.items())
    first = mmss(pacing.time_to_first_word_s)
    table = (
        "<table><tr><th>Duration / limit</th><th>Words per minute</th><th>Fillers</th>"
        "<th>Long pauses</th><th>First word after</th></tr>"
        f"<tr><td>{mmss(pacing.duration_s)} / {limit}{over}</td>"
        f"<td>{pacing.wpm:.0f}</td><td>{pacing.filler_count}"
        f"{' (' + fillers + ')' if fillers else ''}</td><td>{pacing.long_pauses}</td>"
        f"<td>{first}</td></tr></table>"
    )
    verdict = f"<p>{escape(pacing.verdict)}</p>" if pacing.verdict else ""
    if pacing.filler_times:
        verdict = f"<p class='meta'>Fillers at: {escape(pacing.filler_times_text)}</p>" + verdict
    timeline = ""
    if pacing.stages or pacing.time_limit_s:
        timeline = (
            stage_timeline_svg(pacing.stages, pacing.duration_s, pacing.time_limit_s)
            + f"<div>{stage_legend_html(pacing.stages)}</div>"
        )
    return table + verdict + timeline


def _transcript_html(answer: AnswerView) -> str:
    transcript = answer.transcript
    if transcript is None or not transcript.text:
        return "<p class='meta'>No transcript (not transcribed yet, or nothing was said).</p>"
    lines = []
    for segment in transcript.segments:
        stamp = mmss(segment.start) if transcript.has_word_timings else ""
        prefix = f'<span class="ts">[{stamp}]</span> ' if stamp else ""
        lines.append(f"<p>{prefix}{escape(segment.text.strip())}</p>")
    return f'<div class="transcript">{"".join(lines)}</div>'


def _comparison_html(turn: Turn) -> str:
    if len(turn.gradings) < 2:
        return ""
    comparison = compare_gradings(turn)

    def head(record: GradingRecord, current: bool) -> str:
        mark = ' <span class="current">(current)</span>' if current else ""
        model = f", Whisper {escape(record.whisper_model)}" if record.whisper_model else ""
        when = f"<br><span class='meta'>{escape(record.graded_at)}</span>"
        return f"{escape(record.engine)}{model}{when}{mark}"

    rows = "".join(
        f"<tr><td>{escape(row.label)}</td><td>{_score_html(row.left)}</td>"
        f"<td>{_score_html(row.right)}</td>"
        f"<td>{'' if row.delta is None else f'{row.delta:+d}'}</td></tr>"
        for row in comparison.rows
    )
    return (
        f"<h4>Gradings side by side ({len(turn.gradings)} kept)</h4><table><tr><th>Dimension</th>"
        f"<th>{head(comparison.left, comparison.left_is_current)}</th>"
        f"<th>{head(comparison.right, comparison.right_is_current)}</th><th>Change</th></tr>"
        f"{rows}<tr><td>Overall</td><td>{comparison.left.grade.overall:.2f}</td>"
        f"<td>{comparison.right.grade.overall:.2f}</td><td>{comparison.overall_delta:+.2f}</td></tr>"
        "</table>"
    )


def _answer_html(answer: AnswerView, turn: Turn | None) -> str:
    kind = "Follow-up answer" if answer.role == ROLE_FOLLOW_UP else "Answer"
    grade = answer.grade
    graded = (
        f" &middot; overall {grade.overall:.2f} by {escape(grade.engine)}"
        if grade
        else " &middot; not graded"
    )
    prompt = f"<blockquote>{escape(answer.prompt)}</blockquote>" if answer.prompt else ""
    feedback = f"<p>{escape(grade.feedback)}</p>" if grade and grade.feedback else ""
    feedback += "".join(f'<div class="notice">{escape(w)}</div>' for w in answer.warnings)
    return (
        f"<h3>{kind} {answer.turn_index}{graded}</h3>{prompt}{feedback}"
        f"<h4>Pacing</h4>{_pacing_html(answer)}<h4>Transcript</h4>{_transcript_html(answer)}"
        f"{_comparison_html(turn) if turn else ''}"
    )


def _red_flags_html(question: QuestionReport) -> str:
    """The "What would worry an interviewer" list: each mistake with the words that show it."""
    if not question.red_flags:
        return ""
    items = "".join(
        f"<li><strong>{escape(r.text)}</strong> <span class='meta'>"
        f"({escape(dimension_label(r.dimension))}, answer {r.turn_index}"
        f"{', ' + mmss(r.start_s) if r.start_s is not None else ''})</span>"
        f"<blockquote>&ldquo;{escape(r.quote)}&rdquo;</blockquote></li>"
        for r in question.red_flags
    )
    return f"<h3>{RED_FLAGS_HEADING}</h3><ul>{items}</ul>"


def _question_html(question: QuestionReport, session: Session) -> str:
    turns = {t.index: t for t in session.turns}
    limit = f" &middot; limit {mmss(question.time_limit_s)}" if question.time_limit_s else ""
    qid = f" &middot; {escape(question.question_id)}" if question.question_id else ""
    notices = "".join(
        f'<div class="notice">{escape(n)}</div>'
        for n in question.relevance_notices + question.fallback_notices
    )
    parts = [
        f"<h2>Question {question.number}: {escape(question.text)}</h2>",
        f'<p class="meta">{escape(question.category)}{qid}{limit}</p>',
        notices,
        f'<p class="overall">Overall {_overall_html(question.overall)}</p>',
    ]
    if question.dimensions:
        parts.append(score_bars_svg(question.dimensions))
        parts.append(_dimension_rows(question))
    parts.append(_red_flags_html(question))
    if question.follow_ups:
        items = "".join(
            f"<li><strong>{escape(f.probe)}</strong> <span class='meta'>"
            f"({escape(dimension_label(f.dimension)) if f.dimension else 'probe'}"
            f"{', new constraint: ' + escape(f.constraint) if f.constraint else ''})</span>"
            f"<blockquote>{escape(f.answer_text) or '<em>no answer transcribed</em>'}</blockquote>"
            f"{'graded ' + format(f.grade.overall, '.2f') if f.grade else ''}</li>"
            for f in question.follow_ups
        )
        parts.append(f"<h3>Follow-up exchange</h3><ul>{items}</ul>")
    if question.clarifications:
        items = "".join(
            f"<li>&ldquo;{escape(c.asked)}&rdquo; &rarr; {escape(c.reply)}</li>"
            for c in question.clarifications
        )
        parts.append(f"<h3>Clarifying questions</h3><ul>{items}</ul>")
    if question.next_probe is not None:
        probe = question.next_probe
        parts.append(
            f'<div class="note"><strong>Practise next:</strong> an interviewer would now ask '
            f"&ldquo;{escape(probe.text)}&rdquo; ({escape(dimension_label(probe.dimension))})"
            "</div>"
        )
    parts.extend(_answer_html(a, turns.get(a.turn_index)) for a in question.answers)
    return "".join(parts)


def _appendix_html(appendix: Sequence[ReportSection]) -> str:
    return "".join(
        f"<section><h2>{escape(section.title)}</h2><ul>"
        + "".join(f"<li>{escape(line)}</li>" for line in section.lines)
        + "</ul></section>"
        for section in appendix
    )


def render_report_html(
    report: SessionReport, session: Session, appendix: Sequence[ReportSection] = ()
) -> str:
    """Render an already built report (the desktop reuses the report it has)."""
    notes = "".join(f'<div class="note">{escape(n)}</div>' for n in report.notes)
    engines = ", ".join(report.engines) or "not graded"
    body = "".join(_question_html(q, session) for q in report.questions)
    if not report.questions:
        body = "<p>No question was answered in this session.</p>"
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{escape(report.title)} - mockinterview report</title>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>{escape(report.title)}</h1>"
        f'<p class="meta">Session {escape(report.session_id)} &middot; {escape(report.created_at)}'
        f" &middot; {escape(report.status)} &middot; graded by {escape(engines)}</p>"
        f'<p class="overall">Session overall {_overall_html(report.overall)}</p>'
        f"{notes}{body}{_appendix_html(appendix)}"
        "<p class='meta'>Made by mockinterview; scores 1 missing, 2 weak, 3 solid, 4 strong. "
        "Times are m:ss from the start of each answer.</p></body></html>\n"
    )


def render_html(session: Session, appendix: Sequence[ReportSection] = ()) -> str:
    """The session's timed rubric report as one self-contained HTML document."""
    return render_report_html(build_report(session), session, appendix)
