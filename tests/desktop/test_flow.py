"""The whole desktop flow, Setup → Interview → Report, with every part real.

The interviewer speaks through espeak into the virtual PulseAudio speaker; the candidate's answers
are espeak renderings of written answers, played into the REAL virtual microphone (PulseAudio
pipe source, tests/fixtures/virtual_mic.py) when the interview screen starts listening; the app's
recorder writes them into the session folder while Whisper tiny.en streams them; the offline
grader grades them and asks one follow-up; each answer is finished with the Space key.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.controllers import interview_controller as ic
from engine.audio_check import *  # noqa: F401,F403  (placeholder, replaced below)
