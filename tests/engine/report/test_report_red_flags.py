"""Red flags and the off-topic verdict in the report: the builder, HTML, Markdown and PDF, and
grades stored before these fields existed."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess

import pytest

from engine.grading.result import Grade, RedFlagHit
from engine.report.builder import RED_FLAGS_HEADING, build_report
from engine.report.export import export_report
from engine.report.html import render_html
from engine.report.markdown import render_markdown
from engine.store.model import GradingRecord
from tests.engine.store.factories import MAIN_SCORES, build_interview_session, make_grade

FLAG = RedFlagHit(
    text="ships after three days of data",
    quote="I would ship it after three days because the lift is big",
    start_s=12.4,
    dimension="experimentation",
)


def _with_grade(**changes):
    session = build_interview_session(save=False)
    grade = dataclasses.replace(make_grade(MAIN_SCORES), **changes)
    session.turns[0].add_grading(GradingRecord(grade))
    return session


def test_red_flags_are_listed_per_question_with_quote_turn_and_time():
    session = _with_grade(red_flags=(FLAG,), relevance=0.9)
    question = build_report(session).questions[0]
    assert len(question.red_flags) == 1
    item = question.red_flags[0]
    assert (item.text, item.quote, item.start_s, item.dimension) == (
        FLAG.text,
        FLAG.quote,
        FLAG.start_s,
        FLAG.dimension,
    )
    assert item.turn_index == session.turns[0].index
    assert question.relevance_notices == ()


def test_exports_show_what_would_worry_an_interviewer(tmp_path):
    session = _with_grade(red_flags=(FLAG,), relevance=0.9)
    html = render_html(session)
    assert RED_FLAGS_HEADING in html
    assert "ships after three days of data" in html and "0:12" in html
    assert "&ldquo;I would ship it after three days because the lift is big&rdquo;" in html
    md = render_markdown(session)
    assert f"### {RED_FLAGS_HEADING}" in md
    assert "- **ships after three days of data** (Experimentation" in md
    if shutil.which("pdftotext"):
        pdf = export_report(session, "pdf", tmp_path / "flags.pdf")
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert RED_FLAGS_HEADING in text
        assert "ships after three days of data" in text


def test_an_off_topic_answer_is_called_off_topic_in_every_format(tmp_path):
    session = _with_grade(relevance=0.2)
    question = build_report(session).questions[0]
    assert len(question.relevance_notices) == 1
    assert "did not address the question that was asked" in question.relevance_notices[0]
    assert "did not address the question" in render_html(session)
    assert "**Off topic:**" in render_markdown(session)
    if shutil.which("pdftotext"):
        pdf = export_report(session, "pdf", tmp_path / "off.pdf")
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "did not address the question" in text


def test_no_red_flags_means_no_heading():
    session = _with_grade(relevance=1.0)
    assert RED_FLAGS_HEADING not in render_html(session)
    assert RED_FLAGS_HEADING not in render_markdown(session)


def test_grade_json_round_trips_relevance_and_red_flags():
    grade = dataclasses.replace(make_grade(MAIN_SCORES), relevance=0.734, red_flags=(FLAG,))
    data = grade.to_dict()
    assert data["relevance"] == 0.73
    assert data["red_flags"] == [
        {
            "text": FLAG.text,
            "quote": FLAG.quote,
            "start_s": 12.4,
            "dimension": "experimentation",
        }
    ]
    back = Grade.from_dict(data)
    assert back.red_flags == (FLAG,) and back.relevance == pytest.approx(0.73)


def test_a_grade_stored_before_relevance_existed_still_loads_and_reports():
    data = make_grade(MAIN_SCORES).to_dict()
    del data["relevance"], data["red_flags"]
    old = Grade.from_dict(data)
    assert old.relevance is None and old.red_flags == () and not old.off_topic
    session = build_interview_session(save=False)
    session.turns[0].add_grading(GradingRecord(old))
    question = build_report(session).questions[0]
    assert question.red_flags == () and question.relevance_notices == ()
    assert RED_FLAGS_HEADING not in render_html(session)


def test_the_terminal_text_shows_relevance_and_red_flags():
    from engine.grading.text_report import render_grade_text

    grade = dataclasses.replace(make_grade(MAIN_SCORES), relevance=0.2, red_flags=(FLAG,))
    text = render_grade_text(grade)
    assert "Relevance: 0.20 (did NOT address the question)" in text
    assert "What would worry an interviewer" in text
    assert f'"{FLAG.quote}" (0:12)' in text
