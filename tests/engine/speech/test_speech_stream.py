"""Speech reaches the (virtual) speaker while later pieces are still rendering, at any rate."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from engine.speech.prepared import prepare
from engine.speech.speaker import Speaker
from engine.speech.speech_stream import SpeechStream, pick_output_rate

LONG_LINE = (
    "Daily active users dropped by eight percent last week, and the drop is larger on mobile; "
    "what would you check first, and how would you tell a logging bug from a real change in "
    "behaviour, and what would you tell your manager by the end of the day?"
)


@pytest.mark.mic
def test_the_first_clause_plays_before_the_rest_is_rendered(virtual_mic):
    speaker = Speaker(device=virtual_mic.device)
    finished = threading.Event()
    speaker.speak(LONG_LINE, on_finished=finished.set)
    pieces = prepare(LONG_LINE)  # the same pieces the speaker is rendering (found in the cache)
    last = pieces._pieces[-1]
    assert last.ready.wait(60)
    assert speaker.first_audio_delay_s is not None  # speech had started ...
    assert speaker._stream is not None and speaker._stream.first_audio_at is not None
    assert speaker._stream.first_audio_at < last.rendered_at  # ... before the last piece existed
    speaker.stop()
    assert finished.wait(5)


@pytest.mark.mic
def test_a_device_without_the_voice_rate_gets_resampled_speech(virtual_mic):
    # PortAudio refuses an absurd rate like a device refusing 22,050 Hz would: the stream falls
    # back to the device's own rate.
    native = pick_output_rate(virtual_mic.device, 10_000_000)
    assert native != 10_000_000 and native >= 8000
    speech = prepare("Tell me about a model you shipped.", urgent=True)
    samples = speech.samples()
    done = threading.Event()
    stream = SpeechStream(
        speech.sample_rate, device=virtual_mic.device, on_finished=done.set, stream_rate=native
    )
    stream.start()
    stream.push(samples)
    expected = len(samples) * native / speech.sample_rate
    assert stream.pushed_frames == pytest.approx(expected, rel=0.01)
    stream.end()
    assert done.wait(30) and stream.first_audio_at is not None
    stream.close()


@pytest.mark.mic
def test_a_prepared_line_starts_from_the_cache(virtual_mic):
    speaker = Speaker(device=virtual_mic.device)
    line = "Thanks. Next question. How would you rank search results for a grocery app?"
    ahead = speaker.prepare(line)
    assert ahead is not None
    ahead.samples()
    finished = threading.Event()
    speaker.speak(line, on_finished=finished.set)
    assert prepare(line).ready  # speaking it rendered nothing new
    assert finished.wait(30)
    assert speaker.first_audio_delay_s is not None


def test_preparing_text_with_nothing_to_say_is_a_no_op():
    assert Speaker().prepare("...") is None


def test_the_stream_pads_with_silence_until_speech_arrives():
    """Drives the audio callback directly with real arrays (no device needed for this part)."""
    stream = SpeechStream(22050, stream_rate=22050)
    out = np.ones((256, 1), dtype=np.float32)
    stream._callback(out, 256, None, None)
    assert not out.any() and stream.first_audio_at is None  # waiting: silence, no stop
    stream.push(np.full(300, 0.5, dtype=np.float32))
    stream._callback(out, 256, None, None)
    assert (out == 0.5).all() and stream.first_audio_at is not None


@pytest.mark.mic
def test_stopping_a_line_drops_its_unrendered_pieces(virtual_mic):
    speaker = Speaker(device=virtual_mic.device)
    finished = threading.Event()
    errors: list[Exception] = []
    line = (  # not said by any other test, so none of its pieces is cached already
        "Walk me through the churn model for the music app, the labels you would use, the "
        "features you would trust, and the way you would test it before any launch; then tell "
        "me which offline metric you would report, which online metric you would watch, and "
        "what would make you roll the whole thing back within a day of shipping it."
    )
    speaker.speak(line, on_finished=finished.set, on_error=errors.append)
    speech = prepare(line)  # found in the cache: the speaker's pieces
    assert speech._pieces[0].ready.wait(60)
    speaker.stop()
    assert finished.wait(5) and not errors  # a skip is an ending, not a failure
    last = speech._pieces[-1]
    assert last.ready.wait(5) and last.rendered_at is None  # never rendered: the next line is
    assert speaker.prepare(LONG_LINE) is not None  # not kept waiting behind it


RACE_SCRIPT = """
import random, sys, threading, time
import numpy as np
from engine.speech.speech_stream import SpeechStream
from engine.speech.playback import Player

piece = np.zeros(2205, dtype=np.float32)
for round_ in range(int(sys.argv[1])):
    ended = []
    stream = SpeechStream(22050, device="pulse", on_finished=lambda: ended.append(1))
    stream.start()
    gate = threading.Barrier(2)
    def produce():
        gate.wait()
        try:
            stream.push(piece)
            stream.end()
        except Exception:
            pass  # a stream stopped first may refuse to start: that is an ending, not a crash
    producer = threading.Thread(target=produce)
    producer.start()
    gate.wait()
    time.sleep(random.random() * 0.02)  # land the stop anywhere in the start
    stream.stop()
    producer.join()
    stream.close()
    assert ended == [1], (round_, ended)
    player = Player(device="pulse")
    other = threading.Thread(target=player.play, args=(piece,), kwargs={"rate": 22050})
    other.start()
    player.stop()
    other.join()
    player.stop()
print("survived")
"""


def test_starting_and_stopping_a_line_at_once_never_takes_the_app_down(virtual_mic, tmp_path):
    """The speaker's worker starts a line while the UI thread stops it: seen to abort the process
    inside PortAudio. Run in a child process so an abort fails this test, not the whole suite."""
    import subprocess
    import sys

    script = tmp_path / "race.py"
    script.write_text(RACE_SCRIPT)
    done = subprocess.run(
        [sys.executable, str(script), "150"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and "survived" in done.stdout, done.stderr[-2000:]
