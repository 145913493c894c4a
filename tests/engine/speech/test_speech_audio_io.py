"""Audio decoding: every supported container becomes float32 mono 16 kHz; bad files fail clearly."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
import soundfile

from engine.errors import AudioDecodeError
from engine.speech.audio_io import SAMPLE_RATE, audio_duration_s, load_audio, write_wav


def _tone(rate: int, seconds: float, freq: float = 440.0, channels: int = 1) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    wave = (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)
    return np.stack([wave] * channels, axis=1) if channels > 1 else wave


def _dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * SAMPLE_RATE / len(samples))


def test_flac_speech_loads_as_16k_mono(jfk_path):
    samples = load_audio(jfk_path)
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert len(samples) / SAMPLE_RATE == pytest.approx(11.0, abs=0.05)
    assert audio_duration_s(jfk_path) == pytest.approx(11.0, abs=0.05)


def test_stereo_44k_wav_is_mixed_down_and_resampled_keeping_pitch(tmp_path):
    path = tmp_path / "tone.wav"
    soundfile.write(path, _tone(44100, 2.0, channels=2), 44100)
    samples = load_audio(path)
    assert len(samples) == pytest.approx(2 * SAMPLE_RATE, abs=200)
    assert _dominant_hz(samples) == pytest.approx(440, abs=2)


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="ffmpeg is needed to make an m4a")
def test_m4a_from_a_phone_recorder_is_decoded(tmp_path, jfk_path):
    m4a = tmp_path / "answer.m4a"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(jfk_path), "-c:a", "aac", str(m4a)],
        check=True,
    )
    samples = load_audio(m4a)
    assert len(samples) / SAMPLE_RATE == pytest.approx(11.0, abs=0.1)
    assert float(np.abs(samples).max()) > 0.1


def test_write_wav_round_trips_and_clips(tmp_path):
    samples = np.array([0.0, 0.5, -0.5, 2.0, -2.0], dtype=np.float32)
    path = write_wav(tmp_path / "sub" / "x.wav", samples)
    back = load_audio(path)
    assert back == pytest.approx([0.0, 0.5, -0.5, 1.0, -1.0], abs=1e-3)


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.wav", "no such file"),
        (lambda p: _write(p / "empty.wav", b""), "empty"),
        (lambda p: p, "folder"),
        (lambda p: _write(p / "notes.wav", b"not audio at all " * 40), "unsupported or corrupt"),
        (lambda p: _write(p / "notes.xyz", b"not audio at all " * 40), "unsupported or corrupt"),
    ],
    ids=["missing", "zero-bytes", "directory", "garbage-wav", "unknown-extension"],
)
def test_bad_files_raise_a_specific_message(tmp_path, make, message):
    with pytest.raises(AudioDecodeError, match=message):
        load_audio(make(tmp_path))


def test_wav_without_samples_is_reported_as_empty_audio(tmp_path):
    path = tmp_path / "nothing.wav"
    soundfile.write(path, np.zeros(0, dtype=np.float32), SAMPLE_RATE)
    with pytest.raises(AudioDecodeError, match="no audio"):
        load_audio(path)
