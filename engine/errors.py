"""One exception tree for everything the engine can refuse or fail at.

Callers catch ``MockInterviewError`` once (the CLI prints its message on one line and exits
non-zero; the desktop shows it through one notification path). Third-party errors are translated
at the boundary with ``raise ... from exc`` so the original cause stays in the chain.

    MockInterviewError
    ├── ConfigError              bad settings, unknown engine or model name
    ├── QuestionBankError        a question file is malformed (file, line, field)
    ├── UnknownQuestionError     no question with that id
    ├── AudioError
    │   ├── AudioDecodeError     missing, unreadable, unsupported or empty audio
    │   ├── MicrophoneError      no input device, device vanished, stream failed
    │   └── PlaybackError        no output device, playback failed
    ├── ModelError               a Whisper model folder or name that cannot be loaded
    ├── TranscriptionError       transcription failed, or the answer was only silence
    ├── SpeechSynthesisError     the TTS engine could not produce audio
    ├── GradingError             the transcript cannot be graded (e.g. unknown category)
    ├── LLMError                 the LLM endpoint failed (kind: auth, not_found, rate_limit, ...)
    └── SessionError             a session folder is missing, corrupt or cannot be written
        └── StorageFullError     the disk is full or read-only while saving
"""

from __future__ import annotations


class MockInterviewError(Exception):
    """Base of every error the engine raises on purpose; its message is meant for the user."""


class ConfigError(MockInterviewError):
    """A setting, option or name that the engine cannot use."""


class QuestionBankError(MockInterviewError):
    """A question file problem, located precisely so the user can fix it.

    Attributes:
        path: the file that holds the problem.
        line: 1-based line number in that file, or None when it cannot be known.
        field: dotted field path inside the question (``follow_ups[2].dimension``), or "".
    """

    def __init__(self, path: str, line: int | None, field: str, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.field = field
        self.problem = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class UnknownQuestionError(MockInterviewError):
    """The question id is not in the bank (nor in the user's own question files)."""


class AudioError(MockInterviewError):
    """Base for audio input/output problems."""


class AudioDecodeError(AudioError):
    """Audio that is missing, unreadable, of an unsupported format, or empty."""


class MicrophoneError(AudioError):
    """No usable input device, or the device failed or vanished while recording."""


class PlaybackError(AudioError):
    """No usable output device, or playback failed."""


class ModelError(MockInterviewError):
    """A Whisper model folder or name that cannot be loaded (not a model, offline, corrupt)."""


class TranscriptionError(MockInterviewError):
    """Transcription failed, or the audio held no speech at all."""


class SpeechSynthesisError(MockInterviewError):
    """The text-to-speech engine could not produce audio."""


class GradingError(MockInterviewError):
    """The answer cannot be graded as asked (unknown category, nothing to grade)."""


class LLMError(MockInterviewError):
    """The LLM endpoint failed or answered unusably.

    Attributes:
        kind: one of ``auth``, ``not_found``, ``rate_limit``, ``connection``, ``timeout``,
            ``invalid_output``, ``server``, ``config``; lets callers phrase the fallback notice.
    """

    def __init__(self, kind: str, message: str) -> None:
        self.kind = kind
        super().__init__(message)


class SessionError(MockInterviewError):
    """A session folder that is missing, corrupt, or cannot be written."""


class StorageFullError(SessionError):
    """The disk is full or read-only; the data still in memory has not been dropped."""
