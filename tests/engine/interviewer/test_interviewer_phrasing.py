"""Interviewer lines are rewritten so a TTS voice says them the way a person would."""

from __future__ import annotations

import pytest

from engine.interviewer.phrasing import join_sentences, number_to_words, quoted_lead, spoken


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (19, "nineteen"),
        (40, "forty"),
        (95, "ninety-five"),
        (200, "two hundred"),
        (1250, "one thousand two hundred fifty"),
        (50_000_000, "fifty million"),
    ],
)
def test_numbers_are_spelled_out(value: int, words: str) -> None:
    assert number_to_words(value) == words


@pytest.mark.parametrize(
    ("written", "said"),
    [
        (
            "Now the latency budget is 50 ms. What changes?",
            "Now the latency budget is fifty milliseconds. What changes?",
        ),
        ("Sessions are down 20% today. Why?", "Sessions are down twenty percent today. Why?"),
        (
            "What are the limits of CTR, e.g. for clickbait?",
            "What are the limits of CTR, for example, for clickbait?",
        ),
        ("Serve it (on device) within 1 s.", "Serve it, on device, within one second."),
        ("Design for the US (and the EU)", "Design for the US, and the EU."),
        ("What is the **main** trade-off?", "What is the main trade-off?"),
        (
            "Traffic grew 3x and AUC rose 1.5 points.",
            "Traffic grew three times and AUC rose one point five points.",
        ),
        ("Run an A/B test vs. a holdout", "Run an A B test versus a holdout."),
        ("We have 1,200 labels", "We have one thousand two hundred labels."),
    ],
)
def test_written_conventions_become_spoken_english(written: str, said: str) -> None:
    assert spoken(written) == said


def test_spoken_text_is_one_clean_line() -> None:
    assert spoken("  several\n  lines   here ") == "Several lines here."
    assert spoken("") == ""


def test_join_sentences_skips_empty_parts_and_ends_each_sentence() -> None:
    assert join_sentences("Thanks", "", "Next question: why?") == "Thanks. Next question: why?"


def test_a_quote_is_verbatim_short_and_turned_to_the_second_person() -> None:
    answer = (
        "Um, so for metrics I would track clicks on each video, because clicks show interest. "
        "We could also run an A B test for two weeks and compare retention."
    )
    lead = quoted_lead("so for metrics I would track clicks on each video, because", answer)
    assert lead == (
        "You said you would track clicks on each video.",
        "I would track clicks on each video",
    )
    sentence, quote = quoted_lead("We could also run an A B test for two weeks and compare", answer)
    assert quote in answer
    assert sentence == "You said you could also run an A B test for two weeks."


def test_no_quote_rather_than_an_awkward_one() -> None:
    answer = "Um like you know basically the thing, uh, yeah."
    assert quoted_lead(answer, answer) is None
    assert quoted_lead("not in the answer", answer) is None
