"""The timed rubric report as a PDF, written with fpdf2 (no browser, no Qt).

fpdf2's built-in Helvetica needs no font file, so nothing is bundled; its encoding is latin-1,
so every string goes through ``pdf_safe`` first: typographic quotes, dashes, arrows and the like
become their plain equivalents and anything else outside latin-1 becomes "?" instead of failing
the export. Score bars and the stage timeline are drawn as vector shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from engine.clock import mmss
from engine.errors import SessionError
from engine.report.appendix import ReportSection
from engine.report.builder import (
    RED_FLAGS_HEADING,
    AnswerView,
    QuestionReport,
    SessionReport,
    build_report,
    dimension_label,
)
from engine.report.charts import SCORE_COLOURS, colour_of
from engine.report.compare import compare_gradings
from engine.rubric import SCORE_LABELS, SCORE_MAX
from engine.store.atomic import atomic_write_bytes
from engine.store.model import ROLE_FOLLOW_UP, GradingRecord, Session

_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2026": "...", "\u2192": "->", "\u2190": "<-",
    "\u2022": "-", "\u00a0": " ", "\u2009": " ", "\u200b": "", "\u2264": "<=", "\u2265": ">=",
}  # fmt: skip

PAGE_W = 210.0
MARGIN = 15.0
TEXT_W = PAGE_W - 2 * MARGIN


def pdf_safe(text: str) -> str:
    """Text the core PDF fonts can draw: plain replacements first, then latin-1 with '?'."""
    for src, dst in _REPLACEMENTS.items():
        text = text.replace(src, dst)
    return text.encode("latin-1", "replace").decode("latin-1")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


class _ReportPDF:
    """A thin writer over fpdf2 that knows the report's few text styles."""

    def __init__(self, title: str) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(format="A4")
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.set_auto_page_break(True, margin=MARGIN)
        self.pdf.set_title(pdf_safe(title))
        self.pdf.set_creator("mockinterview")
        self.pdf.add_page()

    def text(self, text: str, size: float = 10, style: str = "", height: float = 5.0,
             colour: tuple[int, int, int] = (34, 34, 34)) -> None:  # fmt: skip
        from fpdf.enums import XPos, YPos

        self.pdf.set_font("Helvetica", style, size)
        self.pdf.set_text_color(*colour)
        self.pdf.set_x(MARGIN)
        self.pdf.multi_cell(TEXT_W, height, pdf_safe(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def gap(self, mm: float = 2.0) -> None:
        self.pdf.ln(mm)

    def ensure_space(self, mm: float) -> None:
        if self.pdf.will_page_break(mm):
            self.pdf.add_page()

    def score_bars(self, question: QuestionReport) -> None:
        """One bar per dimension, drawn to scale 1-4, with the score written after it."""
        pdf = self.pdf
        label_w, bar_w, row_h = 45.0, 90.0, 6.0
        self.ensure_space(row_h * len(question.dimensions) + 4)
        for dim in question.dimensions:
            y = pdf.get_y()
            pdf.set_font("Helvetica", "", 9)
            pdf.set_text_color(34, 34, 34)
            pdf.set_xy(MARGIN, y)
            pdf.cell(label_w, row_h, pdf_safe(dim.label))
            pdf.set_fill_color(238, 238, 238)
            pdf.rect(MARGIN + label_w, y + 1, bar_w, row_h - 2, style="F")
            if dim.score is not None:
                pdf.set_fill_color(*_rgb(SCORE_COLOURS.get(dim.score, "#999999")))
                pdf.rect(MARGIN + label_w, y + 1, bar_w * dim.score / SCORE_MAX, row_h - 2, "F")
            pdf.set_xy(MARGIN + label_w + bar_w + 3, y)
            label = "n/a" if dim.score is None else f"{dim.score}/4 {SCORE_LABELS[dim.score]}"
            pdf.cell(40, row_h, label)
            pdf.set_xy(MARGIN, y + row_h)
        self.gap(2)

    def timeline(self, answer: AnswerView) -> None:
        """Stage spans on a time axis with the limit as a red line (like the HTML chart)."""
        pacing = answer.pacing
        if pacing is None or not (pacing.stages or pacing.time_limit_s):
            return
        pdf = self.pdf
        self.ensure_space(16)
        span = max(pacing.duration_s, pacing.time_limit_s or 0.0, 1.0) * 1.05
        y = pdf.get_y() + 1

        def x_of(t: float) -> float:
            return MARGIN + TEXT_W * max(0.0, t) / span

        pdf.set_fill_color(238, 238, 238)
        pdf.rect(MARGIN, y, x_of(pacing.duration_s) - MARGIN, 6, "F")
        for stage in pacing.stages:
            pdf.set_fill_color(*_rgb(colour_of(stage.dimension)))
            pdf.rect(x_of(stage.start_s), y, max(0.3, x_of(stage.end_s) - x_of(stage.start_s)), 6,
                     "F")  # fmt: skip
        pdf.set_font("Helvetica", "", 7)
        pdf.set_text_color(100, 100, 100)
        pdf.set_xy(MARGIN, y + 6.5)
        pdf.cell(20, 3, "0:00")
        if pacing.time_limit_s:
            x = x_of(pacing.time_limit_s)
            pdf.set_draw_color(201, 48, 44)
            pdf.set_line_width(0.6)
            pdf.line(x, y - 1, x, y + 7)
            pdf.set_text_color(201, 48, 44)
            pdf.set_xy(x - 12, y + 6.5)
            pdf.cell(24, 3, f"limit {mmss(pacing.time_limit_s)}", align="C")
            pdf.set_line_width(0.2)
            pdf.set_draw_color(0, 0, 0)
        pdf.set_xy(MARGIN, y + 11)
        legend = ", ".join(
            f"{dimension_label(s.dimension)} {mmss(s.start_s)}-{mmss(s.end_s)}"
            for s in pacing.stages
        )
        if legend:
            self.text(f"Stages: {legend}", size=8, colour=(90, 90, 90), height=4)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def _answer(writer: _ReportPDF, answer: AnswerView) -> None:
    kind = "Follow-up answer" if answer.role == ROLE_FOLLOW_UP else "Answer"
    grade = answer.grade
    graded = f" - overall {grade.overall:.2f} by {grade.engine}" if grade else " - not graded"
    writer.ensure_space(30)
    writer.text(f"{kind} {answer.turn_index}{graded}", size=12, style="B", height=7)
    if answer.prompt:
        writer.text(f"Asked: {answer.prompt}", size=9, style="I")
    for warning in answer.warnings:
        writer.text(f"Caveat: {warning}", size=9, style="I", colour=(160, 90, 0))
    if grade and grade.feedback:
        writer.text(grade.feedback, size=9)
    pacing = answer.pacing
    if pacing is not None:
        limit = mmss(pacing.time_limit_s) if pacing.time_limit_s else "none"
        over = f" ({mmss(pacing.over_limit_s)} over)" if pacing.over_limit_s > 0 else ""
        writer.text(
            f"Pacing: {mmss(pacing.duration_s)} / limit {limit}{over}; "
            f"{pacing.wpm:.0f} wpm; {pacing.filler_count} fillers; {pacing.long_pauses} long "
            f"pauses; first word after {mmss(pacing.time_to_first_word_s)}",
            size=9,
        )
        if pacing.verdict:
            writer.text(pacing.verdict, size=9, style="I")
        writer.timeline(answer)
    writer.text("Transcript", size=10, style="B")
    transcript = answer.transcript
    if transcript is None or not transcript.text:
        writer.text("No transcript (not transcribed yet, or nothing was said).", size=9)
    else:
        for segment in transcript.segments:
            stamp = f"[{mmss(segment.start)}] " if transcript.has_word_timings else ""
            writer.text(f"{stamp}{segment.text.strip()}", size=9)
    if len(answer.gradings) >= 2:
        _comparison(writer, answer)
    writer.gap(3)


def _comparison(writer: _ReportPDF, answer: AnswerView) -> None:
    comp = compare_gradings(answer)

    def name(record: GradingRecord, current: bool) -> str:
        model = f", Whisper {record.whisper_model}" if record.whisper_model else ""
        return f"{record.engine}{model} ({record.graded_at}){' [current]' if current else ''}"

    writer.ensure_space(20)
    writer.text(f"Gradings side by side ({len(answer.gradings)} kept)", size=10, style="B")
    writer.text(f"A: {name(comp.left, comp.left_is_current)}", size=8)
    writer.text(f"B: {name(comp.right, comp.right_is_current)}", size=8)
    for row in comp.rows:
        a = "n/a" if row.left is None else str(row.left)
        b = "n/a" if row.right is None else str(row.right)
        delta = "" if row.delta is None else f" ({row.delta:+d})"
        writer.text(f"  {row.label}: A {a} / B {b}{delta}", size=8)
    writer.text(
        f"  Overall: A {comp.left.grade.overall:.2f} / B {comp.right.grade.overall:.2f} "
        f"({comp.overall_delta:+.2f})",
        size=8,
    )


def _question(writer: _ReportPDF, question: QuestionReport) -> None:
    writer.ensure_space(40)
    writer.text(f"Question {question.number}: {question.text}", size=14, style="B", height=7)
    meta = [question.category]
    if question.question_id:
        meta.append(question.question_id)
    if question.time_limit_s:
        meta.append(f"limit {mmss(question.time_limit_s)}")
    writer.text(" - ".join(meta), size=9, colour=(100, 100, 100))
    for notice in question.relevance_notices:
        writer.text(f"Off topic: {notice}", size=10, style="B", colour=(160, 60, 0))
    for notice in question.fallback_notices:
        writer.text(f"Note: {notice}", size=9, style="I", colour=(160, 90, 0))
    overall = "not graded" if question.overall is None else f"{question.overall:.2f} / 4"
    writer.text(f"Overall {overall}", size=12, style="B", height=7)
    if question.dimensions:
        writer.score_bars(question)
    for dim in question.dimensions:
        score = "n/a" if dim.score is None else f"{dim.score}/4"
        writer.ensure_space(12)
        writer.text(f"{dim.label}: {score}", size=10, style="B")
        for e in dim.evidence:
            writer.text(f'  {mmss(e.start_s)} (answer {e.turn_index}) "{e.quote}"', size=9)
        if dim.missing:
            writer.text("  Missed: " + "; ".join(dim.missing), size=9, colour=(138, 59, 18))
    if question.red_flags:
        writer.ensure_space(14)
        writer.text(RED_FLAGS_HEADING, size=11, style="B", colour=(160, 60, 0))
        for r in question.red_flags:
            when = f", {mmss(r.start_s)}" if r.start_s is not None else ""
            writer.text(
                f"  {r.text} ({dimension_label(r.dimension)}, answer {r.turn_index}{when}): "
                f'"{r.quote}"',
                size=9,
            )
    for f in question.follow_ups:
        writer.ensure_space(14)
        target = dimension_label(f.dimension) if f.dimension else "probe"
        writer.text(f"Follow-up ({target}): {f.probe}", size=10, style="B")
        writer.text(f"Answer: {f.answer_text or 'no answer transcribed'}", size=9)
    for c in question.clarifications:
        writer.text(f'Clarifying question: "{c.asked}" -> {c.reply}', size=9)
    if question.next_probe is not None:
        probe = question.next_probe
        writer.text(
            f'Practise next: an interviewer would now ask "{probe.text}" '
            f"({dimension_label(probe.dimension)})",
            size=9,
            style="B",
        )
    writer.gap(2)
    for answer in question.answers:
        _answer(writer, answer)


def render_report_pdf(report: SessionReport, appendix: Sequence[ReportSection] = ()) -> bytes:
    """The PDF bytes of an already built report (``appendix`` sections at the end)."""
    writer = _ReportPDF(report.title)
    writer.text(report.title, size=18, style="B", height=9)
    engines = ", ".join(report.engines) or "not graded"
    writer.text(
        f"Session {report.session_id} - {report.created_at} - {report.status} - "
        f"graded by {engines}",
        size=9,
        colour=(100, 100, 100),
    )
    overall = "not graded" if report.overall is None else f"{report.overall:.2f} / 4"
    writer.text(f"Session overall {overall}", size=13, style="B", height=8)
    for note in report.notes:
        writer.text(note, size=9, style="I")
    if not report.questions:
        writer.text("No question was answered in this session.")
    for question in report.questions:
        writer.gap(3)
        _question(writer, question)
    for section in appendix:
        writer.gap(3)
        writer.text(section.title, size=13, style="B", height=8)
        for line in section.lines:
            writer.text(line, size=9)
    writer.text(
        "Scores: 1 missing, 2 weak, 3 solid, 4 strong. "
        "Times are m:ss from the start of each answer.",
        size=8,
        colour=(120, 120, 120),
    )
    return writer.output()


def write_pdf(session: Session, path: str | Path, appendix: Sequence[ReportSection] = ()) -> Path:
    """Write the session's timed rubric report as a PDF at ``path``.

    Raises:
        StorageFullError: the target disk is full or read-only.
        SessionError: the PDF could not be produced or written.
    """
    try:
        data = render_report_pdf(build_report(session), appendix)
    except (RuntimeError, ValueError) as exc:  # fpdf2 raises FPDFException (RuntimeError) etc.
        raise SessionError(f"cannot produce the PDF report: {exc}") from exc
    return atomic_write_bytes(path, data)
