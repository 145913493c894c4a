"""A grade as plain text for a terminal: what ``mockinterview grade`` prints without ``--json``.

It reads top to bottom like the report screen: the overall score, each dimension with its
quotes (and when they were said) and what was missed, then delivery and the stage timeline,
then the probe the interviewer would ask next.
"""

from __future__ import annotations

from engine.clock import mmss
from engine.grading.allocation import stage_name
from engine.grading.result import Grade, Pacing
from engine.rubric import DIMENSION_BY_ID, SCORE_LABELS, dimension_label

_LABEL_WIDTH = 18


def _dimension_lines(grade: Grade) -> list[str]:
    lines: list[str] = []
    for dim in grade.dimensions:
        label = dimension_label(dim.id)
        if dim.score is None:
            lines.append(f"{label:<{_LABEL_WIDTH}} n/a (not scored for this category)")
            continue
        lines.append(f"{label:<{_LABEL_WIDTH}} {dim.score}/4 {SCORE_LABELS.get(dim.score, '')}")
        for evidence in dim.evidence:
            when = f" ({mmss(evidence.start_s)})" if evidence.start_s is not None else ""
            lines.append(f'    "{evidence.quote}"{when}')
        if dim.note:
            lines.append(f"    Note: {dim.note}")
        for point in dim.missing:
            lines.append(f"    Missing: {point}")
    return lines


def _pacing_lines(pacing: Pacing) -> list[str]:
    limit = f" of a {mmss(pacing.time_limit_s)} limit" if pacing.time_limit_s else ""
    speed = f", {pacing.wpm:.0f} words per minute" if pacing.wpm > 0 else ""
    first = (
        f", first word after {pacing.time_to_first_word_s:.1f} s"
        if pacing.time_to_first_word_s is not None
        else ""
    )
    lines = [f"  Duration {mmss(pacing.duration_s)}{limit}, {pacing.words} words{speed}{first}"]
    if pacing.fillers:
        detail = ", ".join(f"{name} {count}" for name, count in pacing.fillers.items())
        lines.append(f"  Filler words: {pacing.filler_count} ({detail})")
    else:
        lines.append("  Filler words: none")
    if pacing.pause_spans:
        spans = ", ".join(f"{mmss(a)}-{mmss(b)}" for a, b in pacing.pause_spans[:6])
        lines.append(f"  Long pauses: {pacing.long_pauses} ({spans})")
    if pacing.stages:
        timeline = " | ".join(
            f"{stage_name(s.dimension)} {mmss(s.start_s)}-{mmss(s.end_s)}" for s in pacing.stages
        )
        lines.append(f"  Stages: {timeline}")
    if pacing.allocation_verdict:
        lines.append(f"  Verdict: {pacing.allocation_verdict}")
    return lines


def render_grade_text(grade: Grade) -> str:
    """The whole grade as readable text (ends with a newline)."""
    question = grade.question
    ref = (
        f" [{question.get('id')}, {question.get('category')}]"
        if question.get("id")
        else (f" [{question.get('category')}]")
    )
    version = f" {grade.engine_version}" if grade.engine_version else ""
    lines = [
        f"Question: {question.get('text', '')}{ref}",
        f"Engine: {grade.engine}{version}",
    ]
    if grade.fallback:
        lines.append(f"Fell back to the offline engine: {grade.fallback.get('reason', '')}")
    for warning in grade.warnings:
        lines.append(f"Warning: {warning}")
    lines += ["", f"Overall: {grade.overall:.1f} / 4"]
    if grade.relevance is not None:
        verdict = "did NOT address the question" if grade.off_topic else "addresses the question"
        lines.append(f"Relevance: {grade.relevance:.2f} ({verdict})")
    lines.append("")
    lines += _dimension_lines(grade)
    if grade.red_flags:
        lines += ["", "What would worry an interviewer"]
        for flag in grade.red_flags:
            when = f" ({mmss(flag.start_s)})" if flag.start_s is not None else ""
            lines.append(f"  {flag.text} [{flag.dimension}]")
            lines.append(f'    "{flag.quote}"{when}')
    lines += ["", "Pacing"] + _pacing_lines(grade.pacing)
    if grade.follow_up is not None:
        dimension = DIMENSION_BY_ID.get(grade.follow_up.dimension)
        label = dimension.label.lower() if dimension else grade.follow_up.dimension
        lines += ["", f"Next probe ({label}): {grade.follow_up.text}"]
    if grade.feedback:
        lines += ["", f"Feedback: {grade.feedback}"]
    return "\n".join(lines) + "\n"
