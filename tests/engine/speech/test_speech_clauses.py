"""Cutting lines into pieces for the voice: short first piece, every word kept, in order."""

from __future__ import annotations

import pytest

from engine.speech.clauses import OPENING_MAX_WORDS, split_for_speech

LINES = [
    "How would you design a ranking system for the home feed of a short video app, and which "
    "metrics would you watch in the first week after launch?",
    "Daily active users dropped by eight percent last week — what would you check first, and "
    "how would you tell a logging bug from a real change in behaviour?",
    "Thanks. Next question. Tell me about a model you shipped; what went wrong, what went "
    "right, and what would you do differently if you started again tomorrow morning?",
    "Yes.",
    "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty.",
]


@pytest.mark.parametrize("line", LINES)
def test_every_word_is_kept_in_order(line):
    pieces = split_for_speech(line)
    assert " ".join(pieces) == " ".join(line.split())
    assert all(piece.strip() for piece in pieces)


def test_a_long_question_starts_with_a_short_piece():
    pieces = split_for_speech(LINES[0])
    assert len(pieces) >= 3
    assert len(pieces[0].split()) <= OPENING_MAX_WORDS
    assert pieces[1].startswith("for the home feed")  # cut at a natural break, not mid-phrase
    assert pieces[2].startswith("and which metrics")


def test_sentences_are_never_merged_so_prepared_pieces_are_found_again():
    alone = split_for_speech(LINES[0])
    inside = split_for_speech("Thanks. Next question. " + LINES[0])
    assert inside[:2] == ["Thanks.", "Next question."]
    assert inside[2:] == alone


def test_short_sentences_stay_whole():
    assert split_for_speech("Tell me about a project you are proud of.") == [
        "Tell me about a project you are proud of."
    ]
