"""What the interviewer hands its voice to render ahead: every line it may say next that is
already known, each a sentence-for-sentence part of what it will finally say."""

from __future__ import annotations

from pathlib import Path

from engine.interviewer.phrasing import spoken
from engine.speech.clauses import split_for_speech
from engine.store.model import Session
from tests.engine.interviewer.test_interviewer_state_machine import (
    DESIGN_ANSWER,
    FEED,
    WRITING,
    interview,
    listen,
    text,
)


def _pieces(line: str) -> list[str]:
    return split_for_speech(line)


def test_before_the_start_the_first_question_is_known():
    machine, _ = interview()
    lines = machine.lines_to_prepare()
    first = machine.start()
    prepared = {piece for line in lines for piece in _pieces(line)}
    spoken_pieces = _pieces(first.text)
    assert spoken(FEED.prompt) in lines
    # Every piece of the question itself was prepared (only the greeting is new).
    assert set(_pieces(spoken(FEED.prompt))) <= prepared & set(spoken_pieces)


def test_while_answering_the_probes_and_the_next_question_are_known(tmp_path: Path):
    machine, _ = interview(session=Session(id="s", folder=tmp_path))
    listen(machine, machine.start())
    lines = machine.lines_to_prepare()
    assert [spoken(f.text) for f in FEED.follow_ups] == lines[: len(FEED.follow_ups)]
    assert spoken(WRITING.prompt) in lines
    follow_up = machine.on_answer(text(DESIGN_ANSWER), None, 60.0)
    assert follow_up.purpose == "follow_up"
    assert follow_up.text in lines  # the probe it chose was rendered ahead
