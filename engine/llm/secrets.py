"""The API key: read from the OS keyring or ``OPENAI_API_KEY``, never written to a plain file.

Lookup order: the keyring entry of this endpoint (service ``mockinterview``, username = the
provider id for presets, the base URL for custom servers), then ``OPENAI_API_KEY``. Servers on
this machine (Ollama, llama.cpp, LM Studio) need no key; the client then sends a dummy value that
is never stored anywhere.

Headless Linux usually has no keyring backend (no Secret Service); reading then quietly falls
back to the environment and remembers why, so the message for a missing key can tell the user
what to do. Writing or deleting raises ``LLMError(kind="config")`` with that explanation.

Nothing here logs, prints or puts the key into an exception message; ``ApiKey.__repr__`` hides
it, so it cannot leak through a traceback or a debug print of the object.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from engine.errors import LLMError
from engine.llm.settings import LLMSettings

KEYRING_SERVICE = "mockinterview"
API_KEY_ENV = "OPENAI_API_KEY"
# What the openai client sends to servers that ignore keys; it must not be empty.
LOCAL_DUMMY_KEY = "not-needed"


@dataclass(frozen=True)
class ApiKey:
    """The key to send and where it came from.

    Attributes:
        value: the secret itself (empty when none was found); hidden from ``repr``.
        source: ``keyring``, ``environment``, ``dummy`` (local server, no key) or ``none``.
        keyring_problem: why the keyring could not be read, when it could not ("" otherwise).
    """

    value: str = field(default="", repr=False)
    source: str = "none"
    keyring_problem: str = ""

    @property
    def found(self) -> bool:
        return bool(self.value)


def keyring_username(settings: LLMSettings) -> str:
    """The keyring username for an endpoint: presets share one entry, custom URLs get their own."""
    if settings.provider != "custom":
        return settings.provider
    return settings.base_url or "custom"


def resolve_api_key(settings: LLMSettings) -> ApiKey:
    """Find the key to use for ``settings`` (see the module docstring for the order).

    Never raises for a missing keyring: the problem is recorded in ``ApiKey.keyring_problem``.
    """
    problem = ""
    try:
        stored = _keyring_get(keyring_username(settings))
    except LLMError as exc:
        stored, problem = None, str(exc)
    if stored:
        return ApiKey(stored, "keyring")
    env_key = os.environ.get(API_KEY_ENV, "").strip()
    if env_key:
        return ApiKey(env_key, "environment", problem)
    if not settings.needs_key:
        return ApiKey(LOCAL_DUMMY_KEY, "dummy", problem)
    return ApiKey("", "none", problem)


def require_api_key(settings: LLMSettings) -> ApiKey:
    """The key for a request, or a clear ``LLMError(kind="auth")`` saying how to provide one."""
    key = resolve_api_key(settings)
    if key.found:
        return key
    how = f"store one in the settings screen or set {API_KEY_ENV}"
    if key.keyring_problem:
        how = f"{key.keyring_problem}; set {API_KEY_ENV} instead"
    raise LLMError("auth", f"no API key for {settings.base_url}: {how}")


def set_api_key(settings: LLMSettings, key: str) -> None:
    """Store ``key`` in the OS keyring for this endpoint.

    Raises:
        LLMError: kind ``config`` when the key is empty or no keyring backend is available.
    """
    key = key.strip()
    if not key:
        raise LLMError("config", "the API key is empty; paste the whole key")
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, keyring_username(settings), key)
    except KeyringError as exc:
        raise LLMError("config", _no_keyring_message("store", exc)) from exc


def delete_api_key(settings: LLMSettings) -> bool:
    """Remove the stored key of this endpoint.

    Returns:
        True when a key was removed, False when there was none.

    Raises:
        LLMError: kind ``config`` when no keyring backend is available.
    """
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, keyring_username(settings))
    except PasswordDeleteError:
        return False
    except KeyringError as exc:
        raise LLMError("config", _no_keyring_message("delete", exc)) from exc
    return True


def has_stored_key(settings: LLMSettings) -> bool:
    """Whether the keyring holds a key for this endpoint (False when there is no keyring)."""
    try:
        return bool(_keyring_get(keyring_username(settings)))
    except LLMError:
        return False


def keyring_available() -> tuple[bool, str]:
    """Whether a usable keyring backend exists, and if not, a sentence explaining it."""
    try:
        _keyring_get("__probe__")
    except LLMError as exc:
        return False, str(exc)
    return True, ""


def _keyring_get(username: str) -> str | None:
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, username)
    except KeyringError as exc:
        raise LLMError("config", _no_keyring_message("read", exc)) from exc


def _no_keyring_message(action: str, exc: Exception) -> str:
    # The backend's own text is long and generic; name the class so the cause stays findable.
    return (
        f"cannot {action} the API key: no OS keyring is available ({type(exc).__name__}; on a "
        "headless Linux install a Secret Service provider such as gnome-keyring is missing)"
    )
