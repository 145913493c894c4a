"""A thin boundary around the ``openai`` client: one client per settings, errors as ``LLMError``.

Everything the LLM engine sends goes through ``LLMClient``, so this is the one place where
openai's exception classes are translated into ``LLMError(kind, message)`` with a sentence a user
can act on ("the API key was rejected", "model X not found at URL", "could not reach URL", ...).
The openai client's own retries are switched off (``max_retries=0``): the grader decides about
its single retry itself, and a dead endpoint must fail within one timeout, not three.

Error messages never contain the API key: the server's text is left out for authentication
failures (OpenAI echoes part of the key there) and scrubbed of the key everywhere else.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from engine.errors import LLMError
from engine.llm.secrets import ApiKey, require_api_key
from engine.llm.settings import LLMSettings

# Kinds of LLMError raised here (engine.errors documents the tree).
AUTH, NOT_FOUND, RATE_LIMIT = "auth", "not_found", "rate_limit"
CONNECTION, TIMEOUT, SERVER = "connection", "timeout", "server"
BAD_REQUEST, INVALID_OUTPUT, CONFIG = "bad_request", "invalid_output", "config"

_SERVER_DETAIL_CHARS = 160


@dataclass(frozen=True)
class ChatReply:
    """A whole reply; ``truncated`` when the server stopped at ``max_tokens``."""

    text: str
    truncated: bool = False


class LLMClient:
    """Chat requests to one endpoint, with every failure mapped to an ``LLMError``.

    Safe to share between threads (the underlying openai client is); build it once per settings
    so the HTTP connection pool is reused across gradings.
    """

    def __init__(self, settings: LLMSettings, api_key: ApiKey | None = None) -> None:
        """Prepare the client; nothing is sent until the first request.

        Raises:
            LLMError: kind ``config`` when the settings lack a URL or model, kind ``auth`` when
                the endpoint needs a key and none is available.
        """
        if not settings.is_complete:
            missing = " and ".join(settings.missing_fields)
            raise LLMError(CONFIG, f"the LLM engine is not configured (no {missing} set)")
        self.settings = settings
        self._key = api_key if api_key is not None else require_api_key(settings)
        # Learned from the server's 400 replies (see _open_stream); benign races between threads.
        self._newer_params = False
        self._send_temperature = True
        import openai

        self._openai = openai.OpenAI(
            base_url=settings.base_url,
            api_key=self._key.value,
            timeout=settings.timeout_s,
            max_retries=0,
        )

    @property
    def key_source(self) -> str:
        """Where the key came from (``keyring``, ``environment``, ``dummy``), for diagnostics."""
        return self._key.source

    def chat(
        self,
        messages: list[dict[str, str]],
        *,
        max_tokens: int,
        response_format: dict[str, Any] | None = None,
        temperature: float = 0.2,
    ) -> ChatReply:
        """Send one chat request and return the whole reply.

        The reply is streamed even though callers want it whole: a streamed request can be
        abandoned, and servers such as llama.cpp stop generating when the client goes away, so
        a timed-out grading does not keep a single-slot local server busy for minutes.

        Raises:
            LLMError: any transport or HTTP failure, no reply within ``timeout_s`` in total, or
                an empty reply (``invalid_output``).
        """
        parts: list[str] = []
        finish_reason = None
        for piece, finish in self._stream(messages, max_tokens, temperature, response_format):
            parts.append(piece)
            finish_reason = finish or finish_reason
        text = "".join(parts)
        if not text.strip():
            raise LLMError(INVALID_OUTPUT, f"{self._where()} returned an empty reply")
        return ChatReply(text, truncated=finish_reason == "length")

    def stream_chat(
        self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float = 0.4
    ) -> Iterator[str]:
        """Stream a chat reply as text pieces, as the server produces them.

        Closing the generator early (``close()`` or leaving a ``for`` loop) closes the HTTP
        response, so the server stops generating tokens nobody will read.

        Raises:
            LLMError: any transport or HTTP failure, also mid-stream, or no end within
                ``timeout_s`` in total.
        """
        pieces = self._stream(messages, max_tokens, temperature, None)
        try:
            for piece, _finish in pieces:
                if piece:
                    yield piece
        finally:
            pieces.close()  # closes the HTTP response now, not whenever it is collected

    def _stream(
        self,
        messages: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        response_format: dict[str, Any] | None,
    ) -> Iterator[tuple[str, str | None]]:
        """(text piece, finish reason) pairs, with one wall-clock deadline for the whole request.

        The openai client's own timeout only bounds each wait for bytes; a server that trickles
        tokens (or keeps the connection alive with pings) could run far past it. A timer closes
        the response at the deadline, which ends the read in this thread.
        """
        timeout_s = self.settings.timeout_s
        started = time.monotonic()
        stream = self._open_stream(messages, max_tokens, temperature, response_format)
        expired = threading.Event()

        def expire() -> None:
            expired.set()
            stream.close()

        remaining = max(0.0, timeout_s - (time.monotonic() - started))
        watchdog = threading.Timer(remaining, expire)
        watchdog.daemon = True
        watchdog.start()
        try:
            for chunk in stream:
                if expired.is_set():
                    break
                choices = getattr(chunk, "choices", None) or []
                if not choices:
                    continue
                delta = choices[0].delta
                yield (getattr(delta, "content", None) or "", choices[0].finish_reason)
        except Exception as exc:  # noqa: BLE001 - translated below
            if expired.is_set():
                raise self._timeout() from exc
            raise self._translate(exc) from exc
        finally:
            watchdog.cancel()
            stream.close()
        if expired.is_set():
            raise self._timeout()

    def _open_stream(
        self,
        messages: list[dict[str, str]],
        max_tokens: int,
        temperature: float,
        response_format: dict[str, Any] | None,
    ) -> Any:
        """Start a streamed completion, adapting once to models with a newer parameter set.

        OpenAI's reasoning models refuse ``max_tokens`` (they take ``max_completion_tokens``)
        and any non-default ``temperature``; when a 400 names one of those, the request is sent
        again without it and the client remembers to leave it out from then on.
        """
        import openai

        for _attempt in range(3):
            kwargs: dict[str, Any] = {
                "model": self.settings.model,
                "messages": messages,
                "stream": True,
            }
            kwargs["max_completion_tokens" if self._newer_params else "max_tokens"] = max_tokens
            if self._send_temperature:
                kwargs["temperature"] = temperature
            if response_format is not None:
                kwargs["response_format"] = response_format
            try:
                return self._openai.chat.completions.create(**kwargs)
            except openai.BadRequestError as exc:
                text = str(exc)
                if "max_tokens" in text and not self._newer_params:
                    self._newer_params = True
                    continue
                if "temperature" in text and self._send_temperature:
                    self._send_temperature = False
                    continue
                raise self._translate(exc) from exc
            except Exception as exc:  # noqa: BLE001 - translated below, unknown ones re-raised
                raise self._translate(exc) from exc
        raise LLMError(BAD_REQUEST, f"{self._where()} refused every form of the request")

    def _timeout(self) -> LLMError:
        return LLMError(
            TIMEOUT, f"{self._where()} did not answer within {self.settings.timeout_s:g} s"
        )

    def _where(self) -> str:
        return f"LLM at {self.settings.base_url}"

    def _translate(self, exc: Exception) -> Exception:
        """Map an openai/httpx exception to an ``LLMError``; anything else is returned as is."""
        return translate_openai_error(exc, self.settings, self._key.value)


def translate_openai_error(exc: Exception, settings: LLMSettings, secret: str = "") -> Exception:
    """The ``LLMError`` a user should see for ``exc``; non-openai exceptions come back unchanged.

    Args:
        exc: what the openai client raised.
        settings: the endpoint, to name it in the message.
        secret: the key in use, scrubbed from any server text that makes it into the message.
    """
    import openai

    where = f"LLM at {settings.base_url}"
    if isinstance(exc, openai.APITimeoutError):
        return LLMError(TIMEOUT, f"{where} did not answer within {settings.timeout_s:g} s")
    if isinstance(exc, openai.APIConnectionError):
        return LLMError(CONNECTION, f"could not reach the LLM at {settings.base_url}")
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMError(AUTH, f"{where}: the API key was rejected")
    if isinstance(exc, openai.NotFoundError):
        return LLMError(NOT_FOUND, f"model {settings.model!r} not found at {settings.base_url}")
    if isinstance(exc, openai.RateLimitError):
        detail = _server_detail(exc, secret)
        return LLMError(RATE_LIMIT, f"{where} is rate limiting requests (429){detail}")
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = _server_detail(exc, secret)
        if status >= 500:
            return LLMError(SERVER, f"{where} failed with a server error ({status}){detail}")
        return LLMError(BAD_REQUEST, f"{where} refused the request ({status}){detail}")
    if isinstance(exc, openai.APIResponseValidationError | openai.APIError):
        return LLMError(INVALID_OUTPUT, f"{where} sent a reply that is not an OpenAI response")
    # Failures while reading a streamed body reach us unwrapped from the HTTP library.
    timeouts, transport = _http_library_errors()
    if isinstance(exc, timeouts):
        return LLMError(TIMEOUT, f"{where} did not answer within {settings.timeout_s:g} s")
    if isinstance(exc, transport):
        return LLMError(CONNECTION, f"the connection to the LLM at {settings.base_url} broke off")
    return exc


def _http_library_errors() -> tuple[
    tuple[type[BaseException], ...], tuple[type[BaseException], ...]
]:
    """Timeout and transport error classes of the HTTP library the openai client uses.

    openai 1.x is built on ``httpx``, newer releases on ``httpx2``; whichever is installed counts.
    """
    timeouts: list[type[BaseException]] = []
    transport: list[type[BaseException]] = []
    for name in ("httpx2", "httpx"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        timeouts.append(module.TimeoutException)
        transport.append(module.TransportError)
    return tuple(timeouts), tuple(transport)


def status_of(exc: BaseException) -> int | None:
    """The HTTP status behind an ``LLMError`` (via its cause), used to detect format rejection."""
    cause = exc.__cause__
    status = getattr(cause, "status_code", None)
    return int(status) if isinstance(status, int) else None


def test_connection(settings: LLMSettings) -> str:
    """Send one tiny request and describe the result in one line (the desktop's button).

    Returns:
        e.g. "Connected to http://localhost:11434/v1: model 'llama3.1:8b' answered in 0.4 s".

    Raises:
        LLMError: with the same clear messages the grader's fallback notice uses.
    """
    client = LLMClient(settings)
    started = time.monotonic()
    client.chat(
        [{"role": "user", "content": "Reply with the single word: ready"}],
        max_tokens=8,
        temperature=0.0,
    )
    elapsed = time.monotonic() - started
    return f"Connected to {settings.base_url}: model {settings.model!r} answered in {elapsed:.1f} s"


# pytest would otherwise try to collect this public function as a test when it is imported.
test_connection.__test__ = False  # type: ignore[attr-defined]


def _server_detail(exc: Exception, secret: str) -> str:
    """A short, key-free excerpt of the server's own error text, or ""."""
    body = getattr(exc, "body", None)
    text = ""
    if isinstance(body, dict):
        inner = body.get("error", body)
        text = str(inner.get("message", "") if isinstance(inner, dict) else inner)
    elif isinstance(body, str):
        text = body
    text = " ".join(text.split())
    if secret and len(secret) >= 4:
        text = text.replace(secret, "***")
    if not text:
        return ""
    if len(text) > _SERVER_DETAIL_CHARS:
        text = text[: _SERVER_DETAIL_CHARS - 1] + "…"
    return f": {text}"
