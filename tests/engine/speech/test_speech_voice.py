"""The interviewer's voice: espeak via pyttsx3 to WAV, Whisper hears it, playback on a real sink."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest
from speech_helpers import wer

from engine.errors import SpeechSynthesisError
from engine.speech.audio_io import SAMPLE_RATE, load_audio
from engine.speech.voice import Speaker, list_voices, synthesize, synthesize_samples
from tests.conftest import REPO_ROOT

# Digit-free interviewer lines (espeak reads numbers in ways Whisper spells differently).
QUESTIONS = [
    "Let us begin with the first question.",
    "Tell me about a machine learning project you are proud of.",
    "How do you measure the success of a recommendation system?",
    "What data do you need to train the model?",
    "Please explain the trade off between precision and recall.",
]


def test_spoken_questions_come_back_through_whisper(whisper, tmp_path):
    heard = []
    for index, question in enumerate(QUESTIONS):
        wav = synthesize(question, tmp_path / f"q{index}.wav")
        heard.append(whisper.transcribe_file(wav).text)
    assert wer(" ".join(QUESTIONS), " ".join(heard)) < 0.2


def test_synthesis_is_headless_and_prints_nothing(capsys, tmp_path):
    synthesize("Nothing on standard output, please.", tmp_path / "quiet.wav")
    assert capsys.readouterr().out == ""


def test_rate_changes_how_long_the_question_takes():
    slow = synthesize_samples(QUESTIONS[0], rate=120)
    fast = synthesize_samples(QUESTIONS[0], rate=240)
    assert len(fast) < 0.7 * len(slow)


def test_english_voices_are_listed_first_and_a_chosen_voice_is_used(tmp_path):
    voices = list_voices()
    assert voices and any(lang.startswith("en") for lang in voices[0].languages)
    default_before = synthesize_samples("Hello there.")
    other = next(v for v in voices if v.languages and v.languages[0].startswith("fr"))
    accented = load_audio(synthesize("Hello there.", tmp_path / "v.wav", voice=other.id))
    assert abs(len(accented) - len(default_before)) > 800  # a different voice really spoke
    # Choosing a voice once must not change what "no voice" means afterwards (espeak's output
    # length varies by a few samples from run to run).
    assert abs(len(synthesize_samples("Hello there.")) - len(default_before)) < 100


@pytest.mark.parametrize("text", ["", "   ", "..."])
def test_nothing_to_say_is_refused(text, tmp_path):
    with pytest.raises(SpeechSynthesisError, match="no words"):
        synthesize(text, tmp_path / "x.wav")


def test_an_unknown_voice_is_refused(tmp_path):
    with pytest.raises(SpeechSynthesisError, match="unknown voice"):
        synthesize("Hello.", tmp_path / "x.wav", voice="no/such-voice")


def test_synthesis_from_several_threads_is_serialised():
    lengths: list[int] = []
    errors: list[BaseException] = []

    def work(text: str) -> None:
        try:
            lengths.append(len(synthesize_samples(text)))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(q,)) for q in QUESTIONS * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(lengths) == 2 * len(QUESTIONS) and min(lengths) > SAMPLE_RATE


@pytest.mark.mic
def test_speaker_plays_without_blocking_and_reports_the_end(virtual_mic):
    speaker = Speaker(rate=220)
    finished = threading.Event()
    began = time.monotonic()
    speaker.speak("Let us begin with the first question.", on_finished=finished.set)
    # The caller (the UI thread) is not held up: speak returned while the speech goes on.
    assert speaker.is_speaking and not finished.is_set()
    assert finished.wait(15)
    assert not speaker.is_speaking
    assert time.monotonic() - began > 1.0  # it really played, in real time


@pytest.mark.mic
def test_stop_skips_the_rest_of_a_long_question(virtual_mic):
    speaker = Speaker()
    finished = threading.Event()
    speaker.speak(" ".join(QUESTIONS * 3), on_finished=finished.set)
    time.sleep(0.5)  # let it start talking; the test is about interrupting real playback
    speaker.stop()
    # The whole text would take far longer than this wait; its end is reported once, now.
    assert finished.wait(10)
    assert not speaker.is_speaking


def test_without_an_output_device_the_speaker_says_so_at_once(tmp_path):
    script = textwrap.dedent(
        """
        from engine.errors import PlaybackError
        from engine.speech.voice import Speaker
        try:
            Speaker().speak("Hello")
        except PlaybackError as exc:
            print("error", exc)
        """
    )
    env = dict(os.environ, PULSE_SERVER="unix:/nonexistent/pulse/native")
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("error no audio output device is available"), proc.stdout


def test_synthesized_answers_are_16k_float_audio():
    samples = synthesize_samples("I would start with the business goal.")
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert 0.5 < len(samples) / SAMPLE_RATE < 5
