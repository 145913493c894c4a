"""Fillers Whisper leaves out, found in the audio: real speech with fillers at known times.

The speech is real (LibriVox, JFK); the fillers are synthetic (espeak-ng, the Piper voice when
installed, a voiced hum), spliced in at known times by ``bench/filler_audio.py``. Scored on the
report half only (the detector's thresholds were tuned on the other half).
"""

from __future__ import annotations

import numpy as np
import pytest
from speech_helpers import silence, stream_paced

from bench.filler_audio import build_recordings
from bench.fillers import score
from bench.speech_corpus import real_clips
from engine.grading.pacing import filler_events, measure_pacing
from engine.speech.filled_pauses import detect_filled_pauses


@pytest.fixture(scope="module")
def report_half():
    return [r for index, r in enumerate(build_recordings(48)) if index % 2 == 1]


@pytest.mark.slow
def test_fillers_in_real_speech_are_found_with_precision_and_recall(whisper, report_half):
    found = false = known = 0
    for recording in report_half:
        transcript = whisper.transcribe_samples(recording.samples)
        events = [(e.start_s, e.end_s) for e in filler_events(transcript)]
        hits, wrong = score([(s, e) for s, e, _, _ in recording.fillers], events)
        found, false, known = found + hits, false + wrong, known + len(recording.fillers)
    for samples, _ in real_clips():  # the same speech without fillers
        false += len(filler_events(whisper.transcribe_samples(samples)))
    assert found / known >= 0.8  # the same recordings bench/fillers.py reports on
    assert found / max(1, found + false) >= 0.8


def test_pacing_counts_the_fillers_whisper_did_not_write(whisper, report_half):
    recording = max(report_half, key=lambda r: len(r.fillers))
    transcript = whisper.transcribe_samples(recording.samples)
    assert transcript.filled_pauses  # heard in the audio, absent from the words
    pacing = measure_pacing(transcript, 60.0, ())
    assert pacing.filler_count >= len(transcript.filled_pauses)
    audio = [(e.start_s, e.end_s) for e in pacing.filler_events if e.source == "audio"]
    hits, _ = score([(s, e) for s, e, _, _ in recording.fillers], audio)
    assert hits >= 1


def test_the_streaming_session_finds_fillers_too(whisper, report_half):
    recording = max(report_half, key=lambda r: len(r.fillers))
    session = whisper.stream()
    stream_paced(session, recording.samples)
    transcript = session.finish()
    events = [(f.start, f.end) for f in transcript.filled_pauses]
    hits, _ = score([(s, e) for s, e, _, _ in recording.fillers], events)
    assert hits >= 1


def test_silence_and_noise_give_no_phantom_fillers(whisper):
    rng = np.random.default_rng(1)
    noise = rng.normal(0, 0.03, 16000 * 8).astype(np.float32)
    hum = (0.05 * np.sin(2 * np.pi * 120 * np.arange(16000 * 8) / 16000)).astype(np.float32)
    for audio in (silence(8.0), noise, hum, np.concatenate([silence(2.0), noise[:16000]])):
        assert detect_filled_pauses(audio, []) == ()
        assert whisper.transcribe_samples(audio).filled_pauses == ()
    session = whisper.stream()
    stream_paced(session, silence(6.0))
    assert session.finish().filled_pauses == ()
