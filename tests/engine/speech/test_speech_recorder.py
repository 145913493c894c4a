"""Recording through the real virtual microphone (PulseAudio pipe source -> ALSA -> PortAudio).

Covers what a candidate would notice: their answer is transcribed while they speak, the file on
disk survives a crash, the meter moves, and a missing microphone is explained, not a traceback.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import soundfile
from speech_helpers import silence, wer

from engine.errors import MicrophoneError
from engine.speech.recorder import Recorder, level_from_samples, list_input_devices, repair_wav
from tests.conftest import JFK_REFERENCE, REPO_ROOT

pytestmark = pytest.mark.mic


def test_jfk_through_the_virtual_mic_is_recorded_and_streamed_to_text(
    virtual_mic, whisper, jfk_samples, tmp_path
):
    session = whisper.stream()
    levels: list[float] = []
    recorder = Recorder(
        tmp_path / "turn-01.wav",
        device=virtual_mic.device,
        on_chunk=session.feed,
        on_level=levels.append,
    )
    recorder.start()
    virtual_mic.feed(jfk_samples)
    virtual_mic.feed(silence(1.2))  # the candidate pauses, then presses "done"
    result = recorder.stop()
    transcript = session.finish()

    assert wer(JFK_REFERENCE, transcript.text) < 0.1
    assert not result.device_lost
    assert result.duration_s == pytest.approx(recorder.elapsed_s)
    on_disk, rate = soundfile.read(result.path, dtype="float32")
    assert rate == 16000 and len(on_disk) / rate == pytest.approx(result.duration_s, abs=0.01)
    assert result.duration_s >= 11.0
    assert transcript.duration_s == pytest.approx(result.duration_s, abs=0.01)
    assert max(levels) > 0.6 and min(levels) < 0.1  # the meter moves with speech, rests after


def test_the_virtual_mic_is_listed_as_an_input_device(virtual_mic):
    names = [device.name for device in list_input_devices()]
    assert virtual_mic.device in names
    assert sum(device.is_default for device in list_input_devices()) == 1


def test_level_maps_loudness_to_a_zero_to_one_meter():
    assert level_from_samples(silence(0.1)) == 0.0
    quiet = np.full(1600, 0.01, dtype=np.float32)  # -40 dBFS
    loud = np.full(1600, 0.5, dtype=np.float32)  # -6 dBFS
    assert level_from_samples(quiet) == pytest.approx(1 / 3, abs=0.01)
    assert level_from_samples(loud) == pytest.approx(0.9, abs=0.01)


_RECORD_FOREVER = textwrap.dedent(
    """
    import sys, time
    from engine.speech.recorder import Recorder
    recorder = Recorder(sys.argv[1], device=sys.argv[2])
    recorder.start()
    print("recording", flush=True)
    time.sleep(600)
    """
)


def test_a_recording_process_killed_mid_answer_leaves_a_playable_file(
    virtual_mic, jfk_samples, tmp_path
):
    wav = tmp_path / "killed.wav"
    child = subprocess.Popen(
        [sys.executable, "-c", _RECORD_FOREVER, str(wav), virtual_mic.device],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "recording"
        started = time.monotonic()
        virtual_mic.feed(jfk_samples[: 16000 * 6])
        fed_s = time.monotonic() - started
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    # Playable as left behind (header refreshed every half second)...
    as_left, rate = soundfile.read(wav, dtype="float32")
    assert rate == 16000 and len(as_left) > 0
    # ...and repair recovers what came after the last header refresh.
    duration = repair_wav(wav)
    assert duration >= 0.9 * fed_s - 1.0  # pulse delivers the first audio up to ~1 s late
    recovered, _ = soundfile.read(wav, dtype="float32")
    assert len(recovered) / 16000 == pytest.approx(duration, abs=0.01)
    assert level_from_samples(recovered) > 0.3  # it holds the speech, not just silence


def test_without_any_audio_server_the_recorder_explains_there_is_no_microphone(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        from engine.errors import MicrophoneError
        from engine.speech.recorder import Recorder, list_input_devices
        print("devices", len(list_input_devices()))
        try:
            Recorder(sys.argv[1]).start()
        except MicrophoneError as exc:
            print("error", exc)
        """
    )
    env = dict(os.environ, PULSE_SERVER="unix:/nonexistent/pulse/native", ALSA_CONFIG_PATH="")
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "x.wav")],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "devices 0" in lines
    assert any(line.startswith("error no microphone found") for line in lines), proc.stdout


_LOSE_DEVICE = textwrap.dedent(
    """
    import sys, tempfile, threading
    from pathlib import Path
    from tests.fixtures.virtual_mic import VirtualMic
    mic = VirtualMic(Path(tempfile.mkdtemp(prefix="vmic-lost-")))
    mic.start()
    try:
        from engine.speech.recorder import Recorder
        lost = threading.Event()
        recorder = Recorder(sys.argv[1], device=mic.device, on_device_lost=lambda m: lost.set())
        recorder.start()
        mic.feed_file(sys.argv[2])
        mic.feed(__import__("numpy").zeros(8000, "float32"))
        mic.pull_the_plug()
        print("noticed", lost.wait(30))
        result = recorder.stop()
        print("result", result.device_lost, round(result.duration_s, 2), result.problem)
    finally:
        mic.close()
    """
)


def test_a_microphone_that_vanishes_mid_answer_keeps_the_audio_so_far(tmp_path, jfk_path):
    wav = tmp_path / "lost.wav"
    proc = subprocess.run(
        [sys.executable, "-c", _LOSE_DEVICE, str(wav), str(jfk_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert "noticed True" in lines
    result = next(line.split() for line in lines if line.startswith("result"))
    assert result[1] == "True" and float(result[2]) >= 10.0
    assert " ".join(result[3:]) == "the microphone stopped delivering audio"
    samples, _ = soundfile.read(wav, dtype="float32")
    assert len(samples) / 16000 == pytest.approx(float(result[2]), abs=0.01)


def test_starting_twice_is_refused(virtual_mic, tmp_path):
    recorder = Recorder(tmp_path / "a.wav", device=virtual_mic.device)
    recorder.start()
    try:
        with pytest.raises(MicrophoneError, match="already recording"):
            recorder.start()
    finally:
        recorder.stop()


def test_a_failing_consumer_does_not_stop_the_recording(virtual_mic, jfk_samples, tmp_path):
    def broken_consumer(_chunk) -> None:
        raise RuntimeError("the live transcript widget crashed")

    recorder = Recorder(tmp_path / "a.wav", device=virtual_mic.device, on_chunk=broken_consumer)
    recorder.start()
    virtual_mic.feed(jfk_samples[: 16000 * 2])
    result = recorder.stop()
    assert isinstance(recorder.callback_error, RuntimeError)
    assert result.duration_s >= 1.5 and not result.device_lost
