"""Names inside a session folder, at the bottom of the store so every part agrees on them."""

from __future__ import annotations

SESSION_FILE = "session.json"
AUDIO_DIR = "audio"
