"""The exported reports: one self-contained HTML file, Markdown, and a PDF whose text (read back
with pdftotext) holds the scores, evidence with timestamps, pacing and the transcript."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.errors import ConfigError, SessionError
from engine.report.builder import build_report
from engine.report.export import export_report
from engine.report.html import render_html
from engine.report.markdown import render_markdown
from engine.report.pdf import pdf_safe
from engine.store.model import GradingRecord
from tests.engine.store.factories import MAIN_SCORES, build_interview_session, make_grade


@pytest.fixture
def session():
    return build_interview_session()


def _overall(session) -> str:
    """The session's overall as every export prints it (the builder computes it)."""
    return f"{build_report(session).overall:.2f}"


def test_html_is_self_contained(session):
    html = render_html(session)
    assert html.startswith("<!DOCTYPE html>")
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", html)
    assert html.count("<svg") >= 3  # score bars + one timeline per answer
    assert "limit 2:00" in html


def test_html_shows_scores_evidence_timestamps_pacing_and_transcript(session):
    html = render_html(session)
    assert f"Session overall {_overall(session)} / 4" in html
    assert "4/4 strong" in html
    assert '<span class="ts">0:04</span> answer 3: &ldquo;reserve some traffic' in html
    assert "a guardrail metric" in html
    assert "Conversational pace (140 wpm)" in html
    assert "Clicks are noisy so I would not trust them alone." in html
    assert "How do you avoid a feedback loop?" in html
    assert "Assume fifty million daily users." in html


def test_html_escapes_what_the_candidate_said():
    session = build_interview_session(save=False)
    session.questions[0].question["text"] = "<script>alert(1)</script> & more"
    html = render_html(session)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html


def test_fallback_grade_shows_a_notice(session):
    turn = session.turns[0]
    turn.add_grading(
        GradingRecord(make_grade(MAIN_SCORES, fallback={"reason": "the LLM server timed out"}))
    )
    html = render_html(session)
    assert "graded by the offline engine: the LLM server timed out" in html
    assert "timed out" in render_markdown(session)


def test_two_gradings_are_shown_side_by_side_with_the_current_one(session, tmp_path):
    turn = session.turns[0]
    turn.add_grading(GradingRecord(make_grade({**MAIN_SCORES, "metrics": 4}, engine="llm:tiny")))
    html = render_html(session)
    assert "Gradings side by side (2 kept)" in html
    assert "llm:tiny" in html and "(current)" in html
    md = render_markdown(session)
    assert "| Metrics | 2/4 weak | 4/4 strong | +2 |" in md

    if shutil.which("pdftotext"):
        pdf = export_report(session, "pdf", tmp_path / "cmp.pdf")
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Gradings side by side (2 kept)" in text
        assert "Metrics: A 2 / B 4 (+2)" in text and "[current]" in text


def test_markdown_has_tables_timestamps_and_transcript(session):
    md = render_markdown(session)
    assert md.startswith("# feed practice")
    assert f"**Session overall: {_overall(session)} / 4**" in md
    assert "| User signals | 4/4 strong |" in md
    assert "0:04 (answer 3) \u201creserve some traffic for exploration\u201d" in md
    assert "- Duration: 0:30 / limit 2:00" in md
    assert "> `[0:00]` First I would clarify who the users are." in md


def test_markdown_table_survives_a_pipe_in_a_quote():
    session = build_interview_session(save=False)
    turn = session.turns[0]
    turn.add_grading(
        GradingRecord(make_grade(MAIN_SCORES, evidence={"metrics": [("CTR | dwell", 1.0)]}))
    )
    assert "CTR \\| dwell" in render_markdown(session)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_pdf_holds_scores_evidence_pacing_and_transcript(session, tmp_path):
    session.notes.append("Unicode \u201cquotes\u201d \u2014 \u65e5\u672c \u2192 emoji \U0001f600")
    path = export_report(session, "pdf", tmp_path / "report.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Session overall {_overall(session)} / 4" in text
    assert re.search(r"User signals\s+4/4 strong", text)
    assert re.search(r"System design\s+1/4 missing", text)
    assert '0:04 (answer 3) "reserve some traffic for exploration"' in text
    assert "Missed: a guardrail metric" in text
    assert "0:30 / limit 2:00" in text and "140 wpm" in text
    assert "Clicks are noisy so" in text
    assert 'Unicode "quotes" - ?? -> emoji ?' in text


def test_pdf_safe_replaces_what_core_fonts_cannot_draw():
    assert pdf_safe("caf\u00e9 \u2014 \u201cok\u201d \u2026 \u4e2d") == 'caf\u00e9 - "ok" ... ?'


def test_export_writes_each_format_and_refuses_bad_targets(session, tmp_path):
    for fmt in ("html", "md", "pdf"):
        out = export_report(session, fmt, tmp_path / f"r.{fmt}")
        assert out.stat().st_size > 500
    with pytest.raises(ConfigError, match="unknown report format"):
        export_report(session, "docx", tmp_path / "r.docx")
    with pytest.raises(SessionError, match="does not exist"):
        export_report(session, "md", tmp_path / "missing" / "r.md")
    with pytest.raises(SessionError, match="it is a folder"):
        export_report(session, "md", tmp_path)


def test_empty_session_renders_in_every_format(tmp_path):
    from engine.store.sessions import create_session

    empty = create_session(title="nothing said")
    assert "No question was answered" in render_html(empty)
    assert "No question was answered" in render_markdown(empty)
    assert Path(export_report(empty, "pdf", tmp_path / "e.pdf")).stat().st_size > 0


def test_grader_caveats_and_the_unasked_probe_are_reported():
    from dataclasses import replace

    session = build_interview_session(save=False)
    record = session.questions[0]
    record.turns = record.turns[:1]  # only the main answer: its proposed probe was never asked
    turn = record.turns[0]
    caveat = "The answer is empty or too short to grade (3 words); every dimension scored 1."
    grade = replace(turn.grade, warnings=(caveat,))
    turn.add_grading(GradingRecord(grade))
    html = render_html(session)
    assert "too short to grade (3 words)" in html
    assert "Practise next:" in html and "How do you avoid a feedback loop?" in html
    md = render_markdown(session)
    assert f"> **Caveat:** {caveat}" in md
    assert "**Practise next:** an interviewer would now ask" in md


def test_dimensions_not_applicable_anywhere_are_left_out():
    session = build_interview_session(save=False)
    turn = session.turns[0]
    turn.add_grading(GradingRecord(make_grade({**MAIN_SCORES, "diagnosis": None})))
    html = render_html(session)
    assert "Diagnosis" not in html
