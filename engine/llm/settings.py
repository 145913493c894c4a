"""Where the LLM engine points: provider preset, base URL, model, timeout, structured-output style.

The settings live under the ``"llm"`` key of ``engine.paths.settings_path()`` (shared with the
desktop's other settings, which this module leaves untouched). The API key is NEVER part of these
settings: it lives in the OS keyring or ``OPENAI_API_KEY`` (see ``engine.llm.secrets``), and
``save_llm_settings`` strips any key-like field a hand-edited file may carry.

For headless use (CI, the CLI on a server) three environment variables override the file:
``MOCKINTERVIEW_LLM_BASE_URL``, ``MOCKINTERVIEW_LLM_MODEL`` and ``MOCKINTERVIEW_LLM_TIMEOUT``.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from engine.errors import ConfigError
from engine.paths import settings_path
from engine.settings_recovery import set_aside

BASE_URL_ENV = "MOCKINTERVIEW_LLM_BASE_URL"
MODEL_ENV = "MOCKINTERVIEW_LLM_MODEL"
TIMEOUT_ENV = "MOCKINTERVIEW_LLM_TIMEOUT"
SETTINGS_KEY = "llm"

STRUCTURED_OUTPUT_STYLES = ("auto", "json_schema", "json_object")
DEFAULT_TIMEOUT_S = 60.0
MIN_TIMEOUT_S = 0.5
MAX_TIMEOUT_S = 600.0

# Fields a hand-edited settings file might use for a key; never written back.
_SECRET_FIELDS = ("api_key", "key", "openai_api_key", "token", "password")


@dataclass(frozen=True)
class Provider:
    """A preset the settings screen offers, so users do not have to know each server's URL.

    Attributes:
        id: stable id stored in the settings file and used as the keyring username.
        label: what the settings screen shows.
        base_url: the server's OpenAI-compatible root ("" for custom: the user types it).
        needs_key: whether the server refuses requests without an API key.
        example_model: a model name to show as placeholder text.
    """

    id: str
    label: str
    base_url: str
    needs_key: bool
    example_model: str


PROVIDERS: tuple[Provider, ...] = (
    Provider("openai", "OpenAI", "https://api.openai.com/v1", True, "gpt-4o-mini"),
    Provider("ollama", "Ollama", "http://localhost:11434/v1", False, "llama3.1:8b"),
    Provider("llamacpp", "llama.cpp server", "http://localhost:8080/v1", False, "local-model"),
    Provider("lmstudio", "LM Studio", "http://localhost:1234/v1", False, "qwen2.5-7b-instruct"),
    Provider("custom", "Custom OpenAI-compatible server", "", False, ""),
)
PROVIDER_BY_ID: dict[str, Provider] = {p.id: p for p in PROVIDERS}


@dataclass(frozen=True)
class LLMSettings:
    """Everything needed to reach one OpenAI-compatible endpoint (never the key).

    Attributes:
        provider: a ``PROVIDERS`` id; "custom" for any other server.
        base_url: the ``/v1`` root of the server, e.g. ``http://localhost:11434/v1``.
        model: the model name the server knows (e.g. ``gpt-4o-mini``, ``llama3.1:8b``).
        timeout_s: how long one request may wait for an answer before we grade offline.
        structured_output: ``auto`` tries OpenAI's ``json_schema`` and switches to llama.cpp's
            ``json_object`` + ``schema`` when the server rejects it; the other two force a style.
        grade_max_tokens: cap on the grading reply, so a rambling local model cannot run for
            minutes; the grade JSON of eight dimensions fits comfortably in the default.
    """

    provider: str = "custom"
    base_url: str = ""
    model: str = ""
    timeout_s: float = DEFAULT_TIMEOUT_S
    structured_output: str = "auto"
    grade_max_tokens: int = 1200

    @property
    def is_complete(self) -> bool:
        """True when a request can be attempted at all (a URL and a model are set)."""
        return not self.missing_fields

    @property
    def missing_fields(self) -> tuple[str, ...]:
        """Names of the settings a user still has to fill in, for a clear message."""
        missing = []
        if not self.base_url:
            missing.append("base URL")
        if not self.model:
            missing.append("model")
        return tuple(missing)

    @property
    def is_local(self) -> bool:
        """True when the server runs on this machine (no key needed, nothing leaves it)."""
        host = (urlparse(self.base_url).hostname or "").lower()
        return host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")

    @property
    def needs_key(self) -> bool:
        """Whether a request without a key is bound to be refused (only OpenAI's own API)."""
        preset = PROVIDER_BY_ID.get(self.provider)
        if preset is not None and preset.needs_key:
            return True
        return (urlparse(self.base_url).hostname or "").lower() == "api.openai.com"

    def with_provider(self, provider_id: str) -> LLMSettings:
        """The same settings switched to a preset (its URL replaces the current one).

        Raises:
            ConfigError: unknown provider id.
        """
        preset = _provider(provider_id)
        base_url = preset.base_url or self.base_url
        return replace(self, provider=preset.id, base_url=base_url)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LLMSettings:
        """Build settings from the stored mapping, tolerating missing keys (older files).

        Raises:
            ConfigError: a value of the wrong type or out of range, named precisely.
        """
        defaults = cls()
        provider = str(data.get("provider") or "")
        base_url = normalise_base_url(str(data.get("base_url") or ""))
        if not provider:
            provider = provider_for_url(base_url)
        _provider(provider)
        return cls(
            provider=provider,
            base_url=base_url,
            model=str(data.get("model") or "").strip(),
            timeout_s=_timeout(data.get("timeout_s", defaults.timeout_s), "llm.timeout_s"),
            structured_output=_style(data.get("structured_output") or "auto"),
            grade_max_tokens=_positive_int(
                data.get("grade_max_tokens", defaults.grade_max_tokens), "llm.grade_max_tokens"
            ),
        )


def provider_for_url(base_url: str) -> str:
    """The preset with this URL, or "custom"; so env overrides find the right keyring entry."""
    wanted = normalise_base_url(base_url)
    for preset in PROVIDERS:
        if preset.base_url and normalise_base_url(preset.base_url) == wanted:
            return preset.id
    return "custom"


def normalise_base_url(url: str) -> str:
    """Trim whitespace and trailing slashes so two spellings of one server compare equal.

    Raises:
        ConfigError: the URL is not http(s) with a host.
    """
    url = url.strip().rstrip("/")
    if not url:
        return ""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ConfigError(
            f"LLM base URL {url!r} is not an http(s) URL with a host "
            "(expected something like http://localhost:11434/v1)"
        )
    return url


def load_llm_settings() -> LLMSettings:
    """The effective settings: the stored ones with the environment overrides applied.

    Raises:
        ConfigError: the stored settings or an override are malformed (named in the message).
    """
    stored = _read_settings_file().get(SETTINGS_KEY) or {}
    if not isinstance(stored, dict):
        raise ConfigError(f"{settings_path()}: '{SETTINGS_KEY}' must be an object")
    try:
        settings = LLMSettings.from_dict(stored)
    except ConfigError as exc:
        raise ConfigError(f"{settings_path()}: {exc}") from exc
    base_url = os.environ.get(BASE_URL_ENV, "").strip()
    if base_url:
        url = normalise_base_url(base_url)
        settings = replace(settings, base_url=url, provider=provider_for_url(url))
    model = os.environ.get(MODEL_ENV, "").strip()
    if model:
        settings = replace(settings, model=model)
    timeout = os.environ.get(TIMEOUT_ENV, "").strip()
    if timeout:
        settings = replace(settings, timeout_s=_timeout(timeout, TIMEOUT_ENV))
    return settings


def save_llm_settings(settings: LLMSettings) -> Path:
    """Store the settings under ``"llm"`` in the settings file, keeping every other key.

    Written to a temporary file and renamed over the old one, so a crash never leaves half a
    file. Key-like fields are removed even if an older version or a user put one there.

    Returns:
        The settings file path.

    A settings file that is not JSON was already kept aside by the read (``set_aside``), so
    saving starts a fresh file without destroying it.
    """
    path = settings_path()
    data = _read_settings_file()
    data[SETTINGS_KEY] = {k: v for k, v in settings.to_dict().items() if k not in _SECRET_FIELDS}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".settings-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def _read_settings_file() -> dict[str, Any]:
    path = settings_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        set_aside(path, "the settings file is not text")
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the settings file ({exc.strerror})") from exc
    try:
        data = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        set_aside(path, f"line {exc.lineno} is not valid JSON")
        return {}
    if not isinstance(data, dict):
        set_aside(path, "the settings file must hold a JSON object")
        return {}
    llm = data.get(SETTINGS_KEY)
    if isinstance(llm, dict):
        data[SETTINGS_KEY] = {k: v for k, v in llm.items() if k not in _SECRET_FIELDS}
    return data


def _provider(provider_id: str) -> Provider:
    try:
        return PROVIDER_BY_ID[provider_id]
    except KeyError:
        choices = ", ".join(PROVIDER_BY_ID)
        raise ConfigError(
            f"unknown LLM provider {provider_id!r}; choose one of: {choices}"
        ) from None


def _timeout(value: Any, where: str) -> float:
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: timeout must be a number of seconds, got {value!r}") from None
    if not MIN_TIMEOUT_S <= seconds <= MAX_TIMEOUT_S:
        raise ConfigError(
            f"{where}: timeout must be between {MIN_TIMEOUT_S:g} and {MAX_TIMEOUT_S:g} seconds, "
            f"got {seconds:g}"
        )
    return seconds


def _style(value: Any) -> str:
    style = str(value)
    if style not in STRUCTURED_OUTPUT_STYLES:
        choices = ", ".join(STRUCTURED_OUTPUT_STYLES)
        raise ConfigError(f"llm.structured_output must be one of {choices}, got {style!r}")
    return style


def _positive_int(value: Any, where: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected a whole number, got {value!r}") from None
    if number < 16:
        raise ConfigError(f"{where}: must be at least 16, got {number}")
    return number
