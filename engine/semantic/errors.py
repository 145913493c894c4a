"""The one error the semantic layer raises on purpose.

It hangs under ``MockInterviewError`` (see ``engine/errors.py``) so the CLI and the desktop report
it like any other engine error; it lives here rather than in ``engine/errors.py`` because only
this package raises it and callers normally catch it themselves to fall back to lexical grading.
"""

from __future__ import annotations

from engine.errors import MockInterviewError


class EmbeddingUnavailable(MockInterviewError):
    """The sentence-embedding model cannot be used: package missing, file unreadable or corrupt.

    Attributes:
        reason: one sentence a user can act on (what is wrong and how to fix it); also the message.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
