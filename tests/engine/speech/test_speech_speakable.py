"""Text said by the voice: digits, shorthand and symbols come out as words, never dropped."""

from __future__ import annotations

import re

import pytest

from engine.speech.speakable import speakable


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("CTR rose 10%.", "C-T-R rose ten percent."),
        ("Run an A/B test.", "Run an A-B test."),
        ("Keep p99 under 50 ms.", "Keep P ninety-nine under fifty milliseconds."),
        ("It costs $5 a month.", "It costs five dollars a month."),
        ("A plan at $1 or $4.99.", "A plan at one dollar or four dollars ninety-nine."),
        ("Revenue of $1.5M.", "Revenue of one point five million dollars."),
        ("Traffic grew 3x vs last year.", "Traffic grew three times versus last year."),
        ("We track three KPIs", "We track three K-P-I's"),
        ("Rank the top 1,250 items.", "Rank the top one thousand two hundred fifty items."),
        ("Latency fell 2-3x.", "Latency fell two to three times."),
        ("On the 21st day, in 2026.", "On the twenty-first day, in twenty twenty-six."),
        ("The AUC was 0.05 lower.", "The A-U-C was zero point zero five lower."),
        ("Ship it by 3:30.", "Ship it by three thirty."),
        ("Precision & recall", "Precision and recall"),
        ("Use JSON, OK?", "Use JSON, OK?"),
    ],
)
def test_shorthand_is_said_as_words(written, said):
    assert speakable(written) == said


@pytest.mark.parametrize(
    "written",
    [
        "B2B growth of 7 % in Q3 @ 20 qps with GPT4 and L2 loss",
        "x+y=z, ~5 < 6 → 7 ≥ 8 × 9 #10 ^2",
        "The § rule and the ☃ snowman ",
        "-5, 0.5, 100000000, 2nd, 3rd, 4th, 11th, 22nd",
    ],
)
def test_no_digit_or_symbol_is_left_for_the_voice_to_skip(written):
    said = speakable(written)
    assert not re.search(r"\d", said), said
    assert re.fullmatch(r"[A-Za-z ,.;:!?'\"()-]*", said), said
    # Every symbol of the input became at least one word: nothing vanished.
    assert len(said.split()) >= len(written.split())


def test_plain_words_pass_through_unchanged():
    text = "How would you measure the success of a recommendation system?"
    assert speakable(text) == text
