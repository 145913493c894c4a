"""The recording file is a valid WAV at every moment, and a truncated header can be repaired."""

from __future__ import annotations

import struct

import numpy as np
import pytest
import soundfile

from engine.errors import AudioDecodeError
from engine.speech.wav_writer import GrowingWavWriter, repair_wav


def test_a_growing_file_is_readable_while_being_written(tmp_path):
    path = tmp_path / "live.wav"
    writer = GrowingWavWriter(path, refresh_s=0.0)  # refresh on every write
    writer.write(np.full(16000, 0.25, dtype=np.float32))
    mid, rate = soundfile.read(path, dtype="float32")  # read while still open
    assert rate == 16000 and len(mid) == 16000 and mid[0] == pytest.approx(0.25, abs=1e-3)
    writer.write(np.full(8000, -0.25, dtype=np.float32))
    assert writer.close() == pytest.approx(1.5)
    final, _ = soundfile.read(path, dtype="float32")
    assert len(final) == 24000 and final[-1] == pytest.approx(-0.25, abs=1e-3)


def test_repair_recovers_samples_written_after_the_last_header_refresh(tmp_path):
    path = tmp_path / "killed.wav"
    writer = GrowingWavWriter(path, refresh_s=3600)  # header never refreshed after the start
    writer.write(np.full(32000, 0.1, dtype=np.float32))
    writer._file.flush()  # what the page cache holds when the process is killed
    assert soundfile.info(str(path)).frames == 0  # header still says "empty"
    assert repair_wav(path) == pytest.approx(2.0)
    assert soundfile.info(str(path)).frames == 32000


def test_repair_drops_a_torn_last_sample(tmp_path):
    path = tmp_path / "torn.wav"
    writer = GrowingWavWriter(path)
    writer.write(np.zeros(100, dtype=np.float32))
    writer.close()
    with path.open("ab") as handle:
        handle.write(b"\x01")  # half a 16-bit sample
    assert repair_wav(path) == pytest.approx(100 / 16000)
    with path.open("rb") as handle:
        assert struct.unpack("<I", handle.read(44)[40:44])[0] == 200


def test_repair_refuses_what_is_not_a_wav(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_bytes(b"hello world, not a riff file")
    with pytest.raises(AudioDecodeError, match="not a WAV"):
        repair_wav(path)
    with pytest.raises(AudioDecodeError, match="no such file"):
        repair_wav(tmp_path / "missing.wav")
