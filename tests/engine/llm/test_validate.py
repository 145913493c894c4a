"""Validation of what an LLM returns: nothing invented or malformed may reach a report."""

from __future__ import annotations

import json

import pytest

from engine.errors import LLMError
from engine.llm.validate import clean_probe, validate_grade
from engine.transcript import Transcript
from tests.engine.llm.conftest import grade_reply, timed_transcript, word_start


def test_real_quote_kept_with_its_spoken_time_and_invented_quote_dropped_and_counted():
    transcript = timed_transcript()
    reply = grade_reply(
        {"metrics": 3},
        {"metrics": ["seven day retention", "we will run a holdout for six months"]},
    )

    output = validate_grade(reply, transcript, "design")

    metrics = output.dimensions["metrics"]
    assert [e.quote for e in metrics.evidence] == ["seven day retention"]
    assert metrics.evidence[0].start_s == pytest.approx(word_start(transcript, "seven"))
    assert output.invented_quotes == 1


def test_quote_matching_ignores_case_and_spacing_but_keeps_the_transcripts_own_words():
    transcript = timed_transcript()
    reply = grade_reply({"system_design": 3}, {"system_design": ['"A   POPULARITY baseline"']})

    output = validate_grade(reply, transcript, "design")

    quote = output.dimensions["system_design"].evidence[0].quote
    assert quote == "a popularity baseline"
    assert quote in transcript.text


def test_paraphrase_is_not_verbatim_and_is_dropped():
    reply = grade_reply({"metrics": 4}, {"metrics": ["measures success using 7-day retention"]})

    output = validate_grade(reply, timed_transcript(), "design")

    assert output.dimensions["metrics"].evidence == ()
    assert output.invented_quotes == 1


def test_part_of_a_word_is_not_a_quote():
    transcript = Transcript.from_text("We track retention and the metric tree.")
    reply = grade_reply({"metrics": 3}, {"metrics": ["etention and the metr"]})

    output = validate_grade(reply, transcript, "design")

    assert output.dimensions["metrics"].evidence == ()
    assert output.invented_quotes == 1


def test_one_word_quotes_are_too_thin_to_count_as_evidence():
    reply = grade_reply({"metrics": 3}, {"metrics": ["retention"]})

    output = validate_grade(reply, timed_transcript(), "design")

    assert output.dimensions["metrics"].evidence == ()
    assert output.thin_quotes == 1
    assert output.invented_quotes == 0


def test_plain_text_transcript_gives_quotes_without_times():
    transcript = Transcript.from_text("I would measure seven day retention first.")
    reply = grade_reply({"metrics": 3}, {"metrics": ["seven day retention"]})

    output = validate_grade(reply, transcript, "design")

    assert output.dimensions["metrics"].evidence[0].start_s is None


def test_quote_of_a_repeated_phrase_gets_the_time_when_that_occurrence_was_said():
    transcript = timed_transcript(
        ("Watch time matters here.", "Later I return to watch time again.")
    )
    reply = grade_reply({"metrics": 2}, {"metrics": ["watch time again"]})

    output = validate_grade(reply, transcript, "design")

    assert output.dimensions["metrics"].evidence[0].start_s == pytest.approx(
        word_start(transcript, "watch")  # the lower-case one, in the second sentence
    )


def test_code_fenced_json_is_accepted():
    reply = "```json\n" + grade_reply({"metrics": 3}) + "\n```"

    output = validate_grade(reply, timed_transcript(), "design")

    assert output.dimensions["metrics"].score == 3


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        ("Sure! The candidate did well overall, I'd give a 3.", "prose"),
        ('{"dimensions": {"metrics": {"score": 3', "cut-off"),
        ("[1, 2, 3]", "not an object"),
        (json.dumps({"feedback": "ok"}), "dimensions"),
    ],
)
def test_unusable_replies_are_invalid_output(reply, problem):
    with pytest.raises(LLMError) as caught:
        validate_grade(reply, timed_transcript(), "design")

    assert caught.value.kind == "invalid_output"
    assert problem in str(caught.value)


def test_a_missing_dimension_is_invalid():
    data = json.loads(grade_reply())
    del data["dimensions"]["tradeoffs"]

    with pytest.raises(LLMError, match="dimensions missing: tradeoffs"):
        validate_grade(json.dumps(data), timed_transcript(), "design")


@pytest.mark.parametrize("bad", [0, 5, 2.5, "3", True, None])
def test_scores_outside_one_to_four_or_not_whole_numbers_are_invalid(bad):
    data = json.loads(grade_reply())
    data["dimensions"]["metrics"]["score"] = bad

    with pytest.raises(LLMError) as caught:
        validate_grade(json.dumps(data), timed_transcript(), "design")

    assert caught.value.kind == "invalid_output"
    assert "metrics" in str(caught.value)


def test_diagnosis_must_be_null_unless_the_question_is_a_diagnose_question():
    data = json.loads(grade_reply())
    data["dimensions"]["diagnosis"]["score"] = 3

    with pytest.raises(LLMError, match="diagnosis must be null"):
        validate_grade(json.dumps(data), timed_transcript(), "design")

    diagnose_reply = grade_reply({"diagnosis": 3}, category="diagnose")
    output = validate_grade(diagnose_reply, timed_transcript(), "diagnose")
    assert output.dimensions["diagnosis"].score == 3


def test_overlong_feedback_and_missing_points_are_trimmed():
    data = json.loads(grade_reply(feedback="word " * 2000))
    data["dimensions"]["metrics"]["missing"] = ["x" * 500] * 20

    output = validate_grade(json.dumps(data), timed_transcript(), "design")

    assert len(output.feedback) <= 1500
    assert len(output.dimensions["metrics"].missing) <= 6
    assert all(len(m) <= 160 for m in output.dimensions["metrics"].missing)


@pytest.mark.parametrize(
    "probe",
    [
        "How would you measure long-term satisfaction rather than watch time?",
        "Good. What happens to new creators under this ranking?",
    ],
)
def test_short_plain_questions_are_accepted_as_probes(probe):
    assert clean_probe(probe) == probe


@pytest.mark.parametrize(
    "probe",
    [
        "Tell me about your metrics.",
        "**Metrics**: how would you measure success?",
        "- What is the latency budget?",
        "Question? Question?",
        "<<<ANSWER 1a2b>>> What are the limits of watch time?",
        "Why " + "really " * 60 + "?",
    ],
)
def test_statements_markdown_markers_and_rambles_are_not_probes(probe):
    assert clean_probe(probe) is None


def test_invalid_follow_up_is_dropped_without_invalidating_the_grade():
    reply = grade_reply({"metrics": 3}, follow_up="## Next: discuss metrics")

    output = validate_grade(reply, timed_transcript(), "design")

    assert output.follow_up is None
    assert output.dimensions["metrics"].score == 3


def test_feedback_of_a_word_or_two_is_dropped():
    output = validate_grade(grade_reply(feedback="false"), timed_transcript(), "design")

    assert output.feedback == ""
