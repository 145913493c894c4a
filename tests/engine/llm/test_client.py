"""The client boundary: the desktop's "test connection" line and one clear error per failure.

Failure statuses come from the scripted endpoint (``stub_llm``); the success path against a
real server is in test_real_server.py.
"""

from __future__ import annotations

import pytest

from engine.errors import LLMError
from engine.llm.client import LLMClient, test_connection
from engine.llm.settings import LLMSettings
from tests.engine.llm.conftest import stub_settings
from tests.fixtures.llm_server import StubReply


def test_connection_success_is_one_line_naming_server_and_model(stub_llm):
    stub_llm.reply_with(StubReply(content="ready"))

    line = test_connection(stub_settings(stub_llm.base_url))

    assert line.startswith(f"Connected to {stub_llm.base_url}: model 'stub-model' answered in")
    assert "\n" not in line
    assert stub_llm.requests[0]["max_tokens"] <= 16


@pytest.mark.parametrize(
    ("status", "kind", "message"),
    [
        (401, "auth", "LLM at {url}: the API key was rejected"),
        (403, "auth", "LLM at {url}: the API key was rejected"),
        (404, "not_found", "model 'stub-model' not found at {url}"),
        (429, "rate_limit", "LLM at {url} is rate limiting requests (429): quota"),
        (400, "bad_request", "LLM at {url} refused the request (400): quota"),
        (502, "server", "LLM at {url} failed with a server error (502): quota"),
    ],
)
def test_connection_failures_are_clear_lines(stub_llm, status, kind, message):
    stub_llm.reply_with(StubReply(status=status, error="quota"))

    with pytest.raises(LLMError) as caught:
        test_connection(stub_settings(stub_llm.base_url))

    assert caught.value.kind == kind
    assert str(caught.value) == message.format(url=stub_llm.base_url)


def test_connection_refused_is_reported_as_unreachable_not_as_a_timeout(closed_port_url):
    with pytest.raises(LLMError) as caught:
        test_connection(stub_settings(closed_port_url, timeout_s=10))

    assert caught.value.kind == "connection"
    assert str(caught.value) == f"could not reach the LLM at {closed_port_url}"


def test_incomplete_settings_say_what_is_missing():
    with pytest.raises(LLMError) as caught:
        test_connection(LLMSettings(base_url="http://localhost:11434/v1"))

    assert caught.value.kind == "config"
    assert str(caught.value) == "the LLM engine is not configured (no model set)"


def test_a_server_that_trickles_forever_is_cut_at_the_timeout(stub_llm):
    stub_llm.reply_with(StubReply(content="word " * 200, piece_delay_s=0.2))
    client = LLMClient(stub_settings(stub_llm.base_url, timeout_s=1.0))

    with pytest.raises(LLMError) as caught:
        client.chat([{"role": "user", "content": "hi"}], max_tokens=400)

    # The whole reply would take 40 s; the client gave up at its 1 s timeout instead.
    assert caught.value.kind == "timeout"
    assert "within 1 s" in str(caught.value)


def test_empty_reply_is_invalid_output(stub_llm):
    stub_llm.reply_with(StubReply(content="   "))

    with pytest.raises(LLMError) as caught:
        LLMClient(stub_settings(stub_llm.base_url)).chat(
            [{"role": "user", "content": "hi"}], max_tokens=10
        )

    assert caught.value.kind == "invalid_output"


def test_local_server_gets_a_dummy_key_not_the_users(stub_llm, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    stub_llm.reply_with(StubReply(content="ready"))

    test_connection(stub_settings(stub_llm.base_url))

    assert stub_llm.headers[0]["authorization"] == "Bearer not-needed"


def test_newer_openai_models_get_max_completion_tokens_and_no_temperature(stub_llm):
    stub_llm.reply_with(
        StubReply(
            status=400, error="Unsupported parameter: 'max_tokens'. Use 'max_completion_tokens'."
        ),
        StubReply(status=400, error="Unsupported value: 'temperature' does not support 0.0."),
        StubReply(content="ready"),
    )
    client = LLMClient(stub_settings(stub_llm.base_url))

    client.chat([{"role": "user", "content": "hi"}], max_tokens=10)
    client.chat([{"role": "user", "content": "again"}], max_tokens=10)

    first_ok, second = stub_llm.requests[2], stub_llm.requests[3]
    for body in (first_ok, second):
        assert body["max_completion_tokens"] == 10
        assert "max_tokens" not in body and "temperature" not in body
    assert len(stub_llm.requests) == 4  # learned once, not re-negotiated per request


def test_a_connection_that_breaks_mid_stream_is_a_clear_error_not_a_crash():
    import importlib.util

    from engine.llm.client import translate_openai_error

    httpx = importlib.import_module("httpx2" if importlib.util.find_spec("httpx2") else "httpx")
    settings = stub_settings("http://127.0.0.1:9/v1")

    broken = translate_openai_error(httpx.RemoteProtocolError("peer closed connection"), settings)
    slow = translate_openai_error(httpx.ReadTimeout("timed out"), settings)

    assert isinstance(broken, LLMError) and broken.kind == "connection"
    assert isinstance(slow, LLMError) and slow.kind == "timeout"
