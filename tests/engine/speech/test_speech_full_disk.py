"""Recording and WAV writing on a disk that fills up (a real 300 KB tmpfs, see tiny_disk)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile
from speech_helpers import silence

from engine.errors import StorageFullError
from engine.speech.audio_io import write_wav
from engine.speech.recorder import Recorder
from tests.fixtures.tiny_disk import fill


@pytest.mark.mic
def test_a_disk_filling_mid_answer_keeps_the_start_and_the_whole_transcript(
    virtual_mic, whisper, jfk_samples, tiny_disk: Path
) -> None:
    # 11 s of 16 kHz 16-bit audio is about 350 KB: the 300 KB disk fills after ~9 s.
    session = whisper.stream()
    recorder = Recorder(tiny_disk / "turn-01.wav", device=virtual_mic.device, on_chunk=session.feed)
    recorder.start()
    virtual_mic.feed(jfk_samples)
    virtual_mic.feed(silence(1.2))
    result = recorder.stop()
    transcript = session.finish()

    assert result.write_failed and not result.device_lost
    assert "the disk is full" in result.problem and "Free some space" in result.problem
    on_disk, rate = soundfile.read(result.path, dtype="float32")  # a valid, playable WAV
    assert len(on_disk) / rate == pytest.approx(result.duration_s, abs=0.01)
    assert 3.0 < result.duration_s < 10.0
    # The words after the disk filled up still reached the transcript.
    # The transcript runs past the point the disk filled, to the last words of the answer
    # (word accuracy itself is the streaming tests' business).
    heard = transcript.text.lower()
    assert "fellow americans" in heard and heard.rstrip(" .").endswith("your country")


@pytest.mark.mic
def test_starting_a_recording_on_a_full_disk_is_a_clear_error(virtual_mic, full_disk: Path) -> None:
    recorder = Recorder(full_disk / "turn-01.wav", device=virtual_mic.device)
    with pytest.raises(StorageFullError, match="cannot start the recording .* the disk is full"):
        recorder.start()
    assert recorder.stop().duration_s == 0.0  # nothing was opened, nothing is left running


def test_write_wav_on_a_full_disk_keeps_the_earlier_file(tiny_disk: Path) -> None:
    target = tiny_disk / "answer.wav"
    write_wav(target, np.zeros(1600, dtype=np.float32))
    before = target.read_bytes()
    fill(tiny_disk)
    with pytest.raises(StorageFullError, match="answer.wav: the disk is full"):
        write_wav(target, np.full(16000, 0.1, dtype=np.float32))
    assert target.read_bytes() == before
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["answer.wav", "filler.bin"]
