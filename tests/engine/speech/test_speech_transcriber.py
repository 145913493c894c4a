"""Batch transcription with the real tiny.en: accuracy on real speech, timings, silence."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from speech_helpers import silence, wer

from engine.errors import TranscriptionError
from engine.speech.audio_io import write_wav
from tests.conftest import JFK_REFERENCE


def test_jfk_is_transcribed_with_word_timings_on_the_audio_clock(whisper, jfk_path):
    transcript = whisper.transcribe_file(jfk_path)
    assert wer(JFK_REFERENCE, transcript.text) < 0.1
    assert transcript.model == "tiny.en" and transcript.language == "en"
    assert transcript.duration_s == pytest.approx(11.0, abs=0.05)
    words = transcript.words
    assert len(words) >= 20
    starts = [w.start for w in words]
    assert starts == sorted(starts)
    assert all(0.0 <= w.start <= w.end <= 11.0 for w in words)
    # the segment text is exactly its words, so evidence quotes can be located by time
    for segment in transcript.segments:
        assert segment.text == "".join(w.word for w in segment.words).strip()


def test_offset_places_words_later_in_the_recording(whisper, jfk_samples):
    plain = whisper.transcribe_samples(jfk_samples)
    shifted = whisper.transcribe_samples(jfk_samples, offset_s=30.0)
    assert shifted.text == plain.text
    assert shifted.words[0].start == pytest.approx(plain.words[0].start + 30.0, abs=0.01)


def test_silence_gives_an_empty_transcript_without_invented_words(whisper):
    transcript = whisper.transcribe_samples(silence(5.0))
    assert transcript.text == "" and transcript.words == ()
    assert transcript.duration_s == pytest.approx(5.0)


def test_a_silent_file_is_a_no_speech_error_unless_allowed(whisper, tmp_path):
    path = write_wav(tmp_path / "quiet.wav", silence(3.0) + 0.0005)
    with pytest.raises(TranscriptionError, match="no speech found in .*quiet.wav"):
        whisper.transcribe_file(path)
    assert whisper.transcribe_file(path, allow_silence=True).words == ()


def test_concurrent_callers_share_one_model_safely(whisper, jfk_samples):
    clip = jfk_samples[: 16000 * 4]
    results: list[str] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append(whisper.transcribe_samples(clip).text)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert len(results) == 2 and results[0] == results[1] and "fellow Americans" in results[0]


def test_noise_only_audio_does_not_become_a_sentence(whisper):
    rng = np.random.default_rng(7)
    hiss = (rng.standard_normal(16000 * 3) * 0.0005).astype(np.float32)
    assert whisper.transcribe_samples(hiss).words == ()
