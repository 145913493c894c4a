"""The offline grader against our calibration set: it must rank answers the way an interviewer
would, reward reasoning over vocabulary, and never be talked into a higher score."""

from __future__ import annotations

import pytest
from grading_calibration import ANSWERS, QUESTION_IDS, QUESTIONS, instruction_answer

from engine.engines import make_grader
from engine.grading.base import GradeRequest
from engine.grading.verdict import overall_score
from engine.rubric import CATEGORIES, applicable_dimensions
from engine.transcript import Transcript

KINDS = ("weak", "ok", "strong", "buzzword")


def test_calibration_set_covers_enough_ground():
    categories = {QUESTIONS[q].category for q in QUESTION_IDS}
    assert len(QUESTION_IDS) >= 6
    assert len(categories) >= 5 and categories <= set(CATEGORIES)
    for question_id in QUESTION_IDS:
        for kind in ("weak", "ok", "strong"):
            words = len(ANSWERS[question_id][kind].split())
            assert 120 <= words <= 600, (question_id, kind, words)


@pytest.mark.parametrize("question_id", QUESTION_IDS)
def test_weak_ok_strong_are_ranked_in_order(grade_text, question_id):
    entry = ANSWERS[question_id]
    weak, ok, strong = (grade_text(question_id, entry[k]).overall for k in ("weak", "ok", "strong"))
    assert weak < ok < strong, (weak, ok, strong)
    assert strong >= 2.8, "a strong answer should read as solid or better"
    assert weak <= 1.8, "a weak answer should read as weak"


@pytest.mark.parametrize("question_id", QUESTION_IDS)
def test_buzzword_list_scores_below_a_plain_reasoned_answer(grade_text, question_id):
    entry = ANSWERS[question_id]
    buzz = grade_text(question_id, entry["buzzword"])
    ok = grade_text(question_id, entry["ok"])
    assert buzz.overall < ok.overall
    assert buzz.overall <= 1.5
    assert buzz.dimension("communication").score == 1


@pytest.mark.parametrize("question_id", QUESTION_IDS)
def test_telling_the_grader_what_to_score_gains_nothing(grade_text, question_id):
    with_instruction, without = instruction_answer(ANSWERS[question_id])
    gamed = grade_text(question_id, with_instruction)
    plain = grade_text(question_id, without)
    assert gamed.overall <= plain.overall
    for gamed_dim, plain_dim in zip(gamed.dimensions, plain.dimensions, strict=True):
        if plain_dim.score is not None:
            assert gamed_dim.score <= plain_dim.score, gamed_dim.id
    assert any("addressed to the grader" in w for w in gamed.warnings)
    quotes = [e.quote for d in gamed.dimensions for e in d.evidence]
    assert not any("grader" in q.lower() or "full marks" in q.lower() for q in quotes)


@pytest.mark.parametrize("question_id", QUESTION_IDS)
@pytest.mark.parametrize("kind", ("ok", "strong"))
def test_saying_everything_twice_does_not_raise_the_score(grade_text, question_id, kind):
    answer = ANSWERS[question_id][kind]
    once = grade_text(question_id, answer)
    twice = grade_text(question_id, f"{answer} {answer}")
    assert twice.overall <= once.overall
    assert twice.dimension("communication").score <= once.dimension("communication").score


def test_filler_heavy_rambling_hurts_communication(grade_text):
    answer = ANSWERS["cal-design-podcast-home"]["ok"]
    rambling = " ".join(
        f"Um, so, like, {sentence.strip()} you know, basically, uh,"
        for sentence in answer.split(". ")
    )
    clean = grade_text("cal-design-podcast-home", answer).dimension("communication")
    messy = grade_text("cal-design-podcast-home", rambling).dimension("communication")
    assert messy.score < clean.score
    assert any("filler" in m for m in messy.missing)


@pytest.mark.parametrize("question_id", QUESTION_IDS)
def test_evidence_quotes_are_verbatim_and_untimed_for_text(grade_text, question_id):
    for kind in KINDS:
        text = ANSWERS[question_id][kind]
        grade = grade_text(question_id, text)
        transcript_text = Transcript.from_text(text).text
        for dim in grade.dimensions:
            for evidence in dim.evidence:
                assert evidence.quote in transcript_text, (kind, dim.id, evidence.quote)
                assert evidence.start_s is None


def test_strong_answer_cites_evidence_for_every_scored_dimension(grade_text):
    grade = grade_text("cal-exp-freshness-signal", ANSWERS["cal-exp-freshness-signal"]["strong"])
    for dim in grade.dimensions:
        if dim.score is not None and dim.score >= 3:
            assert dim.evidence, dim.id


def test_grading_is_deterministic():
    question = QUESTIONS["cal-design-podcast-home"]
    transcript = Transcript.from_text(ANSWERS["cal-design-podcast-home"]["ok"])
    first = make_grader("offline").grade(GradeRequest(question, transcript)).to_dict()
    second = make_grader("offline").grade(GradeRequest(question, transcript)).to_dict()
    assert first == second


@pytest.mark.parametrize("question_id", QUESTION_IDS)
def test_weak_answer_lists_the_expected_points_it_missed(grade_text, question_id):
    question = QUESTIONS[question_id]
    grade = grade_text(question_id, ANSWERS[question_id]["weak"])
    listed = [m for d in grade.dimensions for m in d.missing]
    expected = [p for points in question.expected.values() for p in points]
    assert sum(1 for p in expected if p in listed) >= len(expected) // 2
    weakest = min((d for d in grade.dimensions if d.score is not None), key=lambda d: d.score)
    assert weakest.missing


def test_strong_answer_misses_fewer_points_than_weak(grade_text):
    for question_id in QUESTION_IDS:
        entry = ANSWERS[question_id]
        weak = grade_text(question_id, entry["weak"])
        strong = grade_text(question_id, entry["strong"])
        count = lambda g: sum(len(d.missing) for d in g.dimensions)  # noqa: E731
        assert count(strong) < count(weak), question_id


@pytest.mark.parametrize("question_id", [q for q in QUESTION_IDS if "follow_up" in ANSWERS[q]])
def test_adapting_to_a_new_constraint_beats_repeating_the_design(grade_text, question_id):
    entry = ANSWERS[question_id]["follow_up"]
    question = QUESTIONS[question_id]
    prompt = question.follow_ups[entry["index"]]
    assert prompt.constraint, "the calibration follow-up must introduce a constraint"
    previous = (Transcript.from_text(ANSWERS[question_id][entry["previous"]]),)
    adapted = grade_text(question_id, entry["adapted"], prompt=prompt, previous_answers=previous)
    repeated = grade_text(question_id, entry["repeated"], prompt=prompt, previous_answers=previous)
    adapted_comm = adapted.dimension("communication")
    repeated_comm = repeated.dimension("communication")
    assert adapted_comm.score > repeated_comm.score
    assert "Adapted" in adapted_comm.note
    assert "Repeated" in repeated_comm.note
    assert adapted_comm.evidence
    assert all(e.quote in entry["adapted"] for e in adapted_comm.evidence)


def test_an_answer_about_metrics_scores_metrics_above_the_rest(grade_text):
    grade = grade_text(
        "cal-design-podcast-home", ANSWERS["cal-design-podcast-home"]["metrics_only"]
    )
    metrics = grade.dimension("metrics").score
    assert metrics >= 3
    assert metrics > grade.dimension("system_design").score
    assert metrics > grade.dimension("experimentation").score


@pytest.mark.parametrize("question_id", QUESTION_IDS)
def test_diagnosis_applies_only_to_diagnose_questions_and_overall_weighs_the_category(
    grade_text, question_id
):
    question = QUESTIONS[question_id]
    grade = grade_text(question_id, ANSWERS[question_id]["ok"])
    applicable = set(applicable_dimensions(question.category))
    scored = {d.id for d in grade.dimensions if d.score is not None}
    assert scored == applicable
    assert (grade.dimension("diagnosis").score is None) == (question.category != "diagnose")
    scores = {d.id: d.score for d in grade.dimensions if d.score is not None}
    flagged = [f.dimension for f in grade.red_flags]
    assert grade.overall == pytest.approx(overall_score(question.category, scores, flagged))
    assert min(scores.values()) <= grade.overall <= max(scores.values())
    assert all(1 <= s <= 4 for s in scores.values())


def test_clarifying_questions_count_toward_problem_framing(grade_text):
    answer = ANSWERS["cal-design-podcast-home"]["ok"]
    without = grade_text("cal-design-podcast-home", answer).dimension("problem_framing")
    asked = (
        "Who are the main listeners, commuters or people at home?",
        "What scale are we talking about, how many listeners?",
    )
    with_questions = grade_text(
        "cal-design-podcast-home", answer, clarifications_asked=asked
    ).dimension("problem_framing")
    assert with_questions.score >= without.score
    assert "clarifying question" in with_questions.note


def test_grade_reports_engine_version_feedback_and_next_probe(grade_text):
    import engine

    grade = grade_text("cal-design-podcast-home", ANSWERS["cal-design-podcast-home"]["ok"])
    data = grade.to_dict()
    assert data["engine"] == "offline"
    assert data["engine_version"] == engine.__version__
    assert "Biggest gap" in data["feedback"]
    assert data["question"] == {
        "id": "cal-design-podcast-home",
        "text": QUESTIONS["cal-design-podcast-home"].prompt,
        "category": "design",
    }
    follow_up = data["follow_up"]
    assert follow_up is not None and follow_up["text"].strip()
    assert follow_up["dimension"] in applicable_dimensions("design")


def test_padding_an_answer_with_vague_talk_does_not_raise_it(grade_text):
    padding = " ".join(
        [
            "Um, and you know, I think that is, like, a really interesting thing to think about, "
            "and there is a lot more I could say about it if we had more time."
        ]
        * 6
        + [
            "There are many possible approaches, each with pros and cons that the team would "
            "need to weigh carefully, and it depends on a lot of factors."
        ]
    )
    for kind in ("ok", "strong"):
        answer = ANSWERS["cal-design-podcast-home"][kind]
        plain = grade_text("cal-design-podcast-home", answer)
        padded = grade_text("cal-design-podcast-home", f"{answer} {padding}")
        assert padded.overall <= plain.overall, kind


def test_answer_that_takes_on_the_probe_is_credited_in_communication(grade_text):
    question = QUESTIONS["cal-design-podcast-home"]
    probe = question.follow_ups[0]  # limits of click-through rate (metrics)
    on_topic = (
        "Click-through rate rewards catchy titles, so it can mislead us: people tap and then "
        "abandon after a minute. That's why I'd pair it with listen-through and early skips as "
        "guardrails, because those show whether the episode was worth the tap."
    )
    evasive = (
        "Sure. I think the system design is the main thing, so I'd focus on building a good "
        "model with lots of data and deploying it quickly."
    )
    answered = grade_text("cal-design-podcast-home", on_topic, prompt=probe)
    dodged = grade_text("cal-design-podcast-home", evasive, prompt=probe)
    assert "Answered the probe directly." in answered.dimension("communication").note
    assert any("probe" in m for m in dodged.dimension("communication").missing)
    assert answered.dimension("metrics").score > dodged.dimension("metrics").score


def test_keyword_salad_glued_with_connectives_still_counts_as_a_list(grade_text):
    salad = (
        "I would use CTR because NDCG, and an A/B test so that cold start, which means latency "
        "and retention because bandits. So two-tower embeddings because holdout, which means "
        "guardrails and novelty effect since feedback loop and position bias."
    )
    ok = grade_text("cal-design-podcast-home", ANSWERS["cal-design-podcast-home"]["ok"])
    gamed = grade_text("cal-design-podcast-home", salad)
    assert gamed.overall < ok.overall
    assert gamed.overall <= 1.5


def test_no_probe_is_proposed_when_no_follow_ups_are_left(grade_text):
    answer = ANSWERS["cal-design-podcast-home"]["weak"]
    assert grade_text("cal-design-podcast-home", answer).follow_up is not None
    exhausted = grade_text("cal-design-podcast-home", answer, follow_ups_left=0)
    assert exhausted.follow_up is None


def test_naming_trade_offs_without_choosing_is_weak(grade_text):
    listed = (
        "There are a few trade-offs here. One is relevance versus diversity, because showing "
        "only familiar shows gets boring. Another is short-term plays versus long-term habit, "
        "since a catchy episode gets a tap but may not bring people back. There's also "
        "exploration versus exploitation for new shows, because otherwise they never get plays."
    )
    decided = listed + (
        " Given the goal is habit, I'd choose long-term habit over plays and reserve one slot "
        "in five for discovery, because that keeps the catalogue growing at a small cost."
    )
    undecided = grade_text("cal-design-podcast-home", listed).dimension("tradeoffs")
    chosen = grade_text("cal-design-podcast-home", decided).dimension("tradeoffs")
    assert undecided.score <= 2
    assert "never chose" in undecided.note
    assert chosen.score > undecided.score


def test_grading_from_several_worker_threads_gives_the_same_results(grader):
    from concurrent.futures import ThreadPoolExecutor

    requests = [
        GradeRequest(QUESTIONS[q], Transcript.from_text(ANSWERS[q][kind]))
        for q in QUESTION_IDS
        for kind in ("weak", "strong")
    ]
    expected = [grader.grade(r).to_dict() for r in requests]
    with ThreadPoolExecutor(max_workers=4) as pool:
        got = list(pool.map(lambda r: grader.grade(r).to_dict(), requests * 3))
    assert got == expected * 3
