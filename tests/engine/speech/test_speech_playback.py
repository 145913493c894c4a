"""Replay: non-blocking playback on the real (virtual) sink, speed without pitch change, stop."""

from __future__ import annotations

import os
import subprocess
import threading
import time

import numpy as np
import pytest

from engine.errors import PlaybackError
from engine.speech.audio_io import SAMPLE_RATE, write_wav
from engine.speech.playback import Player, time_stretch


def _tone(seconds: float, freq: float = 330.0) -> np.ndarray:
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    return (0.3 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * SAMPLE_RATE / len(samples))


@pytest.mark.parametrize("speed", [1.25, 1.5])
def test_faster_replay_is_shorter_but_keeps_the_pitch(speed):
    stretched = time_stretch(_tone(4.0), speed)
    assert len(stretched) / SAMPLE_RATE == pytest.approx(4.0 / speed, rel=0.03)
    assert _dominant_hz(stretched) == pytest.approx(330, abs=3)


@pytest.mark.mic
def test_playing_from_an_offset_reports_position_on_the_recording_clock(virtual_mic, tmp_path):
    wav = write_wav(tmp_path / "answer.wav", _tone(3.0))
    player = Player()
    finished = threading.Event()
    began = time.monotonic()
    player.play(wav, offset_s=2.0, on_finished=finished.set)
    assert player.is_playing and not finished.is_set()  # returns at once, plays on
    assert finished.wait(10)
    took = time.monotonic() - began
    assert took > 0.8  # one second of audio left after the offset, played in real time
    assert player.position_s == pytest.approx(3.0, abs=0.1)


@pytest.mark.mic
def test_stop_ends_playback_now_and_fires_the_callback_once(virtual_mic):
    player = Player()
    calls: list[int] = []
    done = threading.Event()

    def finished() -> None:
        calls.append(1)
        done.set()

    player.play(_tone(20.0), on_finished=finished)
    time.sleep(0.3)  # let real playback run for a moment before interrupting it
    player.stop()
    assert done.wait(10) and not player.is_playing
    assert 0.0 < player.position_s < 20.0  # stopped mid-sound, not at its end
    player.stop()
    assert calls == [1]


def _playback_clients(server: str) -> list[str]:
    """The sound server's playback streams (sink inputs), as ``pactl`` lists them."""
    listed = subprocess.run(
        ["pactl", "list", "short", "sink-inputs"],
        env=dict(os.environ, PULSE_SERVER=server),
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    )
    return [line for line in listed.stdout.splitlines() if line.strip()]


@pytest.mark.mic
def test_a_sound_played_to_its_end_releases_the_output_device(virtual_mic):
    """After a replay ends by itself the app no longer holds a stream on the sound server.

    A finished stream left open kept the device until the next replay; when the sound server
    went away meanwhile, the client library could abort the whole process.
    """
    player = Player()
    finished = threading.Event()
    player.play(_tone(0.5), on_finished=finished.set)
    assert finished.wait(10)
    deadline = time.monotonic() + 10  # a wait for the release, not a speed bound
    while _playback_clients(virtual_mic.server) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _playback_clients(virtual_mic.server) == []


def test_absurd_speeds_are_refused():
    with pytest.raises(PlaybackError, match="speed"):
        Player().play(_tone(0.5), speed=0)
