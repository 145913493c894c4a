"""Fixtures for the grading tests: one offline grader and a helper that grades plain text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from grading_calibration import QUESTIONS

from engine.engines import make_grader
from engine.grading.base import GradeRequest
from engine.grading.offline import OfflineGrader
from engine.grading.result import Grade
from engine.transcript import Transcript


@pytest.fixture(scope="session")
def grader() -> OfflineGrader:
    return make_grader("offline")


@pytest.fixture(scope="session")
def grade_text(grader: OfflineGrader) -> Callable[..., Grade]:
    """Grade a plain-text answer to a calibration question (extra kwargs go to GradeRequest)."""

    def _grade(question_id: str, text: str, **kwargs: Any) -> Grade:
        question = QUESTIONS[question_id]
        return grader.grade(GradeRequest(question, Transcript.from_text(text), **kwargs))

    return _grade
