"""The follow-up policy against labelled targets: the corpus's ``probe_ok`` on the tuning half.

Every answer in the grading corpus that a human labelled below solid carries ``probe_ok``: the
dimensions an interviewer could acceptably probe next. The policy sees what the interviewer sees
in an interview, the real offline grader's grade of that answer (and its text, for ties), and
its choice must be one of those dimensions. Only the tuning half is used here; the report half is
measured by ``bench/grading_quality.py`` through ``chosen_probe_dimension``.
"""

from __future__ import annotations

from bench.grading_corpus import load_corpus
from engine.engines import make_grader
from engine.grading.base import GradeRequest
from engine.interviewer.follow_ups import chosen_probe_dimension
from engine.questions.bank import QuestionBank
from engine.questions.model import Question, free_question
from engine.transcript import Transcript

TARGET_SHARE = 0.90


def test_the_policy_probes_an_acceptable_dimension_for_answers_below_solid() -> None:
    bank = {q.id: q for q in QuestionBank.load(include_user=False).questions}
    grader = make_grader("offline")
    below_solid = [a for a in load_corpus("tune") if a.label < 3 and a.probe_ok]
    assert len(below_solid) >= 30, "the tuning half should hold enough labelled targets"
    misses = []
    for answer in below_solid:
        question: Question = (
            bank[answer.question_id]
            if answer.question_id
            else free_question(answer.question_text, answer.category)
        )
        transcript = Transcript.from_text(answer.text, 120.0)
        grade = grader.grade(GradeRequest(question=question, transcript=transcript))
        chosen = chosen_probe_dimension(question, grade, answer.text)
        if chosen not in answer.probe_ok:
            misses.append(f"{answer.id}: chose {chosen}, acceptable {list(answer.probe_ok)}")
    share = 1 - len(misses) / len(below_solid)
    assert share >= TARGET_SHARE, f"{share:.0%} on target; misses:\n" + "\n".join(misses)
