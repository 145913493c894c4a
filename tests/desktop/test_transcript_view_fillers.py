"""The replay transcript marks the fillers heard in the audio without disturbing the timed words."""

from __future__ import annotations

from engine.transcript import FilledPause, Segment, Transcript, Word


def test_fillers_heard_in_the_audio_appear_between_the_words_they_came_between(qtbot):
    from desktop.widgets.transcript_view import TranscriptView

    words = (Word(0.5, 0.8, " So"), Word(1.6, 1.9, " users"), Word(2.0, 2.3, " churn."))
    transcript = Transcript(
        segments=(Segment(0.5, 2.3, "So users churn.", words),),
        duration_s=3.0,
        filled_pauses=(FilledPause(0.9, 1.4, "um"), FilledPause(2.4, 2.8, "uh")),
    )
    view = TranscriptView()
    qtbot.addWidget(view)
    view.set_transcript(transcript)
    assert view.toPlainText() == "So (um) users churn. (uh)"
    assert [view.word_text(i) for i in range(3)] == ["So", "users", "churn."]
    assert view.index_at_time(1.7) == 1  # clicking and highlighting still follow the words
