"""The one route every failure in the desktop takes: a log entry with its traceback, then a message.

Workers, controllers and screens never decide on their own whether an exception is worth
keeping. They call ``report_error(exc, context, severity)``, which

1. writes the exception and its traceback to ``<data dir>/logs/mockinterview.log`` (a rotating
   file, so a user can attach it to a bug report without it growing forever), with anything
   that looks like an API key blanked out first;
2. turns it into one sentence for the user (``user_message``): an engine error
   (``MockInterviewError``) is shown as it is, because its message was written for the user;
   anything else is a bug and is labelled as one, pointing at the log;
3. unless the caller shows its own, better worded message, hands that sentence to ``hub``, whose
   ``reported`` signal the main window turns into a status-bar message (``MINOR``) or a dialog
   (``SEVERE``).

``setup_logging`` runs once at app start. When the log folder cannot be created the log goes to
stderr instead and says so once, both there and to the user.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from engine.errors import MockInterviewError

MINOR = "minor"
SEVERE = "severe"

LOG_DIR_NAME = "logs"
LOG_FILE_NAME = "mockinterview.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3

log = logging.getLogger("mockinterview")

# Key-shaped strings: OpenAI-style "sk-…" keys and bearer tokens. Registered secrets (the key a
# user typed, OPENAI_API_KEY) are blanked by value as well.
_KEY_PATTERN = re.compile(r"(sk-[A-Za-z0-9_\-]{6,}|(?i:bearer)\s+[A-Za-z0-9._\-]{6,})")
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_handler: logging.Handler | None = None
_log_dir: Path | None = None
_log_problem = ""


def register_secret(value: str) -> None:
    """Never let ``value`` reach the log (called with every API key the app handles)."""
    value = (value or "").strip()
    if len(value) >= 4:
        with _secrets_lock:
            _secrets.add(value)


def scrub(text: str) -> str:
    """``text`` with registered secrets and key-shaped strings replaced by ``***``."""
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)
    env_key = os.environ.get("OPENAI_API_KEY", "").strip()
    if len(env_key) >= 4:
        known.append(env_key)
    for secret in known:
        text = text.replace(secret, "***")
    return _KEY_PATTERN.sub("***", text)


class _ScrubFilter(logging.Filter):
    """Blanks secrets in the fully formatted record (message, arguments and traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info))
        record.msg, record.args = scrub(message), None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        record.exc_info = None  # the scrubbed text above is what gets written
        return True


def setup_logging(log_dir: Path | None = None) -> str:
    """Send the app's log to the rotating file in the data dir (or to stderr when impossible).

    Safe to call again (a later data dir replaces the earlier handler, as tests do).

    Returns:
        "" when the file is in use, else the sentence saying why the log goes to stderr.
    """
    global _handler, _log_dir, _log_problem
    problem = ""
    if log_dir is None:
        from engine import paths

        try:
            log_dir = paths.data_dir() / LOG_DIR_NAME
        except OSError as exc:  # the data dir itself cannot be created
            log_dir = Path(exc.filename or paths.DATA_DIR_ENV) / LOG_DIR_NAME
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir / LOG_FILE_NAME,
            maxBytes=LOG_MAX_BYTES,
            backupCount=LOG_BACKUPS,
            encoding="utf-8",
        )
    except OSError as exc:
        problem = (
            f"Cannot create the log folder {log_dir} ({exc.strerror or exc}); "
            "errors are logged to the terminal (stderr) instead."
        )
        handler = logging.StreamHandler(sys.stderr)
        log_dir = None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s")
    )
    handler.addFilter(_ScrubFilter())
    if _handler is not None:
        log.removeHandler(_handler)
        _handler.close()
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    _handler, _log_dir, _log_problem = handler, log_dir, problem
    if problem:
        log.warning(problem)  # said once, on stderr, where the log now goes
    return problem


def log_folder() -> Path:
    """The folder holding the log file (Help → Open log folder)."""
    if _log_dir is not None:
        return _log_dir
    from engine import paths

    return paths.data_dir() / LOG_DIR_NAME


def log_problem() -> str:
    """Why the log goes to stderr, or "" when it goes to the file."""
    return _log_problem


def user_message(exc: BaseException, context: str = "") -> str:
    """One sentence for the user: engine errors as written, anything else called a bug."""
    where = f"{context}: " if context else ""
    if isinstance(exc, MockInterviewError):
        return scrub(f"{where}{exc}")
    return scrub(
        f"{where}something went wrong ({type(exc).__name__}: {exc}). "
        "Details are in the log (Help → Open log folder)."
    )


class ErrorHub(QObject):
    """Where reported errors surface: the main window listens to ``reported``.

    Signals:
        reported(str message, str severity): show ``message`` (MINOR: status bar, SEVERE: dialog).
    """

    reported = Signal(str, str)


hub = ErrorHub()


def report_error(
    exc: BaseException, context: str, severity: str = MINOR, *, show: bool = True
) -> str:
    """Log ``exc`` with its traceback and (unless ``show`` is False) show it to the user.

    Args:
        exc: the failure (a worker's exception keeps its traceback text from the pool thread).
        context: what was being done, in a few words ("Saving the session").
        severity: ``MINOR`` (status bar) or ``SEVERE`` (dialog).
        show: False when the caller shows its own message for it (still logged).

    Returns:
        The message for the user.
    """
    message = user_message(exc, context)
    trace = getattr(exc, "__traceback_text__", "") or "".join(
        traceback.format_exception(type(exc), exc, exc.__traceback__)
    )
    level = logging.WARNING if isinstance(exc, MockInterviewError) else logging.ERROR
    log.log(level, "%s (%s)\n%s", context or "error", severity, trace.rstrip())
    if show:
        hub.reported.emit(message, severity)
    return message
