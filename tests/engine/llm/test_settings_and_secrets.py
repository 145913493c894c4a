"""LLM settings on disk and in the environment, and the API key in the OS keyring.

Headless Linux has no OS keyring (no Secret Service), so the key tests install a small
in-memory ``keyring`` backend: the ``keyring`` package itself (lookup, errors) is real, only the
storage behind it is a stand-in for the desktop's keychain.
"""

from __future__ import annotations

import json
import re

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends.fail import Keyring as NoKeyring
from keyring.errors import PasswordDeleteError

from engine.errors import ConfigError, LLMError
from engine.llm.secrets import (
    delete_api_key,
    has_stored_key,
    keyring_available,
    require_api_key,
    resolve_api_key,
    set_api_key,
)
from engine.llm.settings import (
    PROVIDER_BY_ID,
    LLMSettings,
    load_llm_settings,
    save_llm_settings,
)
from engine.paths import data_dir, settings_path
from engine.settings_recovery import settings_notices

MARKER_KEY = "sk-test-5d1c0a7e-never-on-disk"


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend (stand-in for the OS keychain on a headless machine)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.store:
            raise PasswordDeleteError("no such password")
        del self.store[(service, username)]


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(previous)


OPENAI = LLMSettings(provider="openai", base_url="https://api.openai.com/v1", model="gpt-4o-mini")
OLLAMA = LLMSettings(provider="ollama", base_url="http://localhost:11434/v1", model="llama3.1:8b")


def test_presets_point_at_each_servers_default_url():
    assert PROVIDER_BY_ID["openai"].base_url == "https://api.openai.com/v1"
    assert PROVIDER_BY_ID["ollama"].base_url == "http://localhost:11434/v1"
    assert PROVIDER_BY_ID["llamacpp"].base_url == "http://localhost:8080/v1"
    assert PROVIDER_BY_ID["lmstudio"].base_url == "http://localhost:1234/v1"
    assert LLMSettings().with_provider("lmstudio").base_url == "http://localhost:1234/v1"


def test_saved_settings_load_back_and_other_settings_keys_survive():
    settings_path().write_text(json.dumps({"voice": "en-us", "llm": {"model": "old"}}))
    wanted = OLLAMA.with_provider("llamacpp")
    wanted = LLMSettings(**{**wanted.to_dict(), "model": "qwen", "timeout_s": 12.5})

    save_llm_settings(wanted)

    assert load_llm_settings() == wanted
    assert json.loads(settings_path().read_text())["voice"] == "en-us"


def test_environment_overrides_the_file_for_headless_use(monkeypatch):
    save_llm_settings(OLLAMA)
    monkeypatch.setenv("MOCKINTERVIEW_LLM_BASE_URL", "http://127.0.0.1:8080/v1/")
    monkeypatch.setenv("MOCKINTERVIEW_LLM_MODEL", "smol")
    monkeypatch.setenv("MOCKINTERVIEW_LLM_TIMEOUT", "7")

    settings = load_llm_settings()

    assert settings.base_url == "http://127.0.0.1:8080/v1"
    assert settings.model == "smol"
    assert settings.timeout_s == 7.0
    assert settings.provider == "custom"
    assert settings.is_local


@pytest.mark.parametrize(
    ("stored", "message"),
    [
        ({"llm": {"base_url": "localhost:11434"}}, "not an http(s) URL"),
        ({"llm": {"timeout_s": "soon"}}, "timeout must be a number"),
        ({"llm": {"timeout_s": 0}}, "between"),
        ({"llm": {"structured_output": "xml"}}, "structured_output must be one of"),
        ({"llm": {"provider": "skynet"}}, "unknown LLM provider"),
        ({"llm": ["not", "an", "object"]}, "must be an object"),
    ],
)
def test_bad_stored_settings_are_named_precisely(stored, message):
    settings_path().write_text(json.dumps(stored))

    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        load_llm_settings()
    assert str(settings_path()) in str(caught.value)


def test_settings_file_that_is_not_json_is_kept_aside_and_defaults_are_used(caplog):
    settings_path().write_text("{broken")

    with caplog.at_level("WARNING", logger="engine.settings"):
        assert load_llm_settings() == LLMSettings()
    [kept] = settings_path().parent.glob("settings.json.unreadable-*")
    assert kept.read_text() == "{broken"  # the user's file is not lost
    assert not settings_path().exists()
    [notice] = [r.getMessage() for r in caplog.records]
    assert "line 1 is not valid JSON" in notice and kept.name in notice
    assert notice in settings_notices()

    save_llm_settings(OLLAMA)  # saving starts a fresh file and leaves the kept one alone
    assert load_llm_settings().model == OLLAMA.model
    assert kept.read_text() == "{broken"


def test_a_key_put_into_the_settings_file_by_hand_is_never_written_back():
    settings_path().write_text(json.dumps({"llm": {"model": "m", "api_key": MARKER_KEY}}))

    save_llm_settings(load_llm_settings())

    assert MARKER_KEY not in settings_path().read_text()


def test_key_stored_in_keyring_is_used_and_never_reaches_a_file(memory_keyring):
    set_api_key(OPENAI, MARKER_KEY)
    save_llm_settings(OPENAI)

    key = resolve_api_key(OPENAI)

    assert (key.value, key.source) == (MARKER_KEY, "keyring")
    assert MARKER_KEY not in repr(key)
    assert has_stored_key(OPENAI)
    for path in data_dir().rglob("*"):
        if path.is_file():
            assert MARKER_KEY not in path.read_text(errors="replace"), path


def test_custom_servers_get_their_own_keyring_entry(memory_keyring):
    custom = LLMSettings(provider="custom", base_url="https://llm.example.org/v1", model="m")
    set_api_key(custom, "custom-key")

    assert resolve_api_key(custom).value == "custom-key"
    assert not has_stored_key(OPENAI)
    assert memory_keyring.store == {("mockinterview", "https://llm.example.org/v1"): "custom-key"}


def test_deleting_the_key_falls_back_to_the_environment(memory_keyring, monkeypatch):
    set_api_key(OPENAI, MARKER_KEY)
    monkeypatch.setenv("OPENAI_API_KEY", "env-key")

    assert delete_api_key(OPENAI) is True
    assert delete_api_key(OPENAI) is False
    key = resolve_api_key(OPENAI)
    assert (key.value, key.source) == ("env-key", "environment")


def test_local_servers_need_no_key(no_keyring):
    key = resolve_api_key(OLLAMA)

    assert key.source == "dummy"
    assert key.found


def test_without_a_keyring_the_environment_still_works(no_keyring, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", MARKER_KEY)

    key = resolve_api_key(OPENAI)

    assert (key.value, key.source) == (MARKER_KEY, "environment")
    assert "no OS keyring" in key.keyring_problem


def test_without_a_keyring_storing_a_key_says_why_and_what_to_do_instead(no_keyring):
    available, why = keyring_available()
    assert not available and "no OS keyring" in why

    with pytest.raises(LLMError) as stored:
        set_api_key(OPENAI, MARKER_KEY)
    assert stored.value.kind == "config"
    assert "no OS keyring is available" in str(stored.value)
    assert MARKER_KEY not in str(stored.value)

    with pytest.raises(LLMError) as needed:
        require_api_key(OPENAI)
    assert needed.value.kind == "auth"
    assert "set OPENAI_API_KEY instead" in str(needed.value)


def test_empty_key_is_refused(memory_keyring):
    with pytest.raises(LLMError, match="empty"):
        set_api_key(OPENAI, "   ")
