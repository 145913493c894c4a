"""LLM follow-up questions, streamed so the interviewer can start speaking after one sentence.

The offline follow-up policy (``engine.interviewer.follow_ups.choose_follow_up``) stays in
charge of WHETHER to probe and WHICH dimension: no probe when none are left or time is short,
and its constraint changes are used as they are (they change how the next answer is graded).
The LLM only words the probe for the chosen dimension, informed by the question, the rubric, the
answer so far and the weakest dimensions.

Streaming: ``FollowUpStream`` is iterated for sentences to speak. Each sentence is handed out as
soon as it is complete in the stream (a short spoken lead-in first, if the model gives one, then
the question), and the request is closed once the question has arrived, so the server stops
generating. What the model says is checked as it arrives: no Markdown or lists, short, a real
question, not one already asked. Preamble such as "Sure, here is a question:" and echoed data
delimiters ("<<<END ANSWER 1a2b>>") are never spoken.
If the model fails any check, or the endpoint fails, the offline policy's probe is spoken
instead and ``fallback_reason`` says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from engine.errors import ConfigError, LLMError
from engine.grading.base import GradeRequest
from engine.grading.result import DimensionScore, FollowUpSuggestion
from engine.llm.client import LLMClient
from engine.llm.prompts import follow_up_messages, weakest_dimensions
from engine.llm.settings import LLMSettings, load_llm_settings
from engine.llm.validate import NOT_SPOKEN_CHARS, clean_probe

FOLLOW_UP_MAX_TOKENS = 80
MAX_LEAD_IN_WORDS = 15
MAX_SENTENCES = 3

# A sentence ends at . ? or ! (optionally followed by closing quotes) and then whitespace.
_SENTENCE_END = re.compile(r"[.?!][\"'”’)\]]*\s+")
_PREAMBLE = re.compile(
    r"^\W*(sure|certainly|of course|okay|ok|here(?:'s| is| are)|follow[- ]?up(?: question)?\s*:|"
    r"question\s*:|probe\s*:|interviewer\s*:)",
    re.IGNORECASE,
)
# Small models often echo a data delimiter ("<<<END ANSWER 1a2b>>") before their question.
_ECHOED_MARKER = re.compile(r"<<<[^<>\n]{0,40}>{1,3}[*:]?")
_MARKUP = re.compile(r"(\*\*|__|`|^\s*#|^\s*[-*•]\s|^\s*\d+[.)]\s)", re.MULTILINE)


class FollowUpStream:
    """One follow-up: iterate for sentences to speak, then read ``suggestion``.

    Attributes (final once iteration has finished):
        suggestion: the probe that was spoken, or None when the interviewer should move on.
        source: ``llm``, ``offline`` (the LLM failed or a constraint change was due) or ``none``.
        fallback_reason: why the offline probe was used instead of the LLM's ("" otherwise).
    """

    def __init__(
        self,
        request: GradeRequest,
        scores: Sequence[DimensionScore],
        *,
        client: LLMClient | None = None,
        settings: LLMSettings | None = None,
        max_tokens: int = FOLLOW_UP_MAX_TOKENS,
        choice: FollowUpSuggestion | None = None,
    ) -> None:
        """Prepare a follow-up for the answer in ``request`` graded with ``scores``.

        Args:
            request: the question, the answer so far, the probes already asked, the limits.
            scores: the dimension scores of the answer (offline engine's or merged ones).
            client: a shared client (e.g. ``LLMGrader.client()``); built from settings if None.
            settings: used when ``client`` is None; the stored settings when both are None.
            max_tokens: cap on the streamed reply; a probe needs far fewer.
            choice: the probe a caller's own policy already decided on (a live interview
                decides from the whole question, see ``engine.interviewer.live_llm``); the LLM
                words its dimension and its text is the fallback. None: decided here by
                ``choose_follow_up``.
        """
        self._request = request
        self._scores = tuple(scores)
        self._client = client
        self._settings = settings
        self._max_tokens = max_tokens
        self._choice = choice
        self.suggestion: FollowUpSuggestion | None = None
        self.source = "none"
        self.fallback_reason = ""

    def __iter__(self) -> Iterator[str]:
        from engine.interviewer.follow_ups import choose_follow_up

        offline_choice = self._choice or choose_follow_up(self._request, self._scores)
        if offline_choice is None:
            return
        if offline_choice.constraint:
            yield from self._use_offline(offline_choice, [], "")
            return
        spoken: list[str] = []
        try:
            question = yield from self._stream_llm(offline_choice.dimension, spoken)
        except LLMError as exc:
            question, problem = None, str(exc)
        else:
            problem = "" if question else "the LLM did not ask one short plain question"
        if question is None:
            yield from self._use_offline(offline_choice, spoken, problem)
            return
        yield question
        spoken.append(question)
        self.suggestion = FollowUpSuggestion(" ".join(spoken), offline_choice.dimension)
        self.source = "llm"

    def _stream_llm(self, dimension: str, spoken: list[str]) -> Iterator[str]:
        """Yield an accepted lead-in as soon as it is complete; return the question or None.

        The question itself is returned rather than yielded, so the caller yields it only once
        it has passed every check.
        """
        category = self._request.question.category
        messages = follow_up_messages(
            self._request, dimension, weakest_dimensions(self._scores, category)
        )
        pieces = self._get_client().stream_chat(messages, max_tokens=self._max_tokens)
        seen = 0
        try:
            for sentence, final in _sentences(pieces):
                seen += 1
                sentence = _ECHOED_MARKER.sub(" ", sentence).strip()
                if not sentence:
                    continue
                text = " ".join(sentence.split())
                if _MARKUP.search(sentence) or seen > MAX_SENTENCES:
                    return None
                text = _without_preamble(text)
                if not text:
                    continue
                if text.rstrip("\"'”’)]").endswith("?"):
                    probe = clean_probe(text)
                    if probe is None or is_repeated_probe(probe, self._request.asked_probes):
                        return None
                    return probe
                if spoken or final or not _speakable_lead_in(text):
                    return None
                spoken.append(text)
                yield text
            return None
        finally:
            pieces.close()  # type: ignore[attr-defined]

    def _use_offline(
        self, choice: FollowUpSuggestion, spoken: list[str], problem: str
    ) -> Iterator[str]:
        yield choice.text
        text = " ".join([*spoken, choice.text])
        self.suggestion = FollowUpSuggestion(text, choice.dimension, choice.constraint)
        self.source = "offline"
        self.fallback_reason = f"{problem}; asked the offline probe" if problem else ""

    def _get_client(self) -> LLMClient:
        if self._client is None:
            try:
                settings = self._settings or load_llm_settings()
            except ConfigError as exc:
                raise LLMError("config", str(exc)) from exc
            self._client = LLMClient(settings)
        return self._client


def generate_follow_up(
    request: GradeRequest,
    scores: Sequence[DimensionScore],
    *,
    client: LLMClient | None = None,
    settings: LLMSettings | None = None,
) -> FollowUpStream:
    """Run a follow-up stream to the end (for callers that do not speak while it streams)."""
    stream = FollowUpStream(request, scores, client=client, settings=settings)
    for _ in stream:
        pass
    return stream


def is_repeated_probe(text: str, asked_probes: Iterable[str]) -> bool:
    """Whether ``text`` asks again what an earlier probe asked.

    Same words, or one contained in the other, compared in the interviewer's normal form so that
    punctuation and case do not matter.
    """
    from engine.interviewer.follow_ups import probe_key

    key = probe_key(text)
    if not key:
        return False
    for asked in asked_probes:
        earlier = probe_key(asked)
        if earlier and (
            key == earlier or f" {earlier} " in f" {key} " or f" {key} " in f" {earlier} "
        ):
            return True
    return False


def _speakable_lead_in(sentence: str) -> bool:
    """A short plain remark before the question ("Let us stay on metrics."), nothing else."""
    words = [w for w in sentence.split() if any(c.isalpha() for c in w)]
    return (
        2 <= len(words) <= MAX_LEAD_IN_WORDS
        and len(sentence.split()) <= MAX_LEAD_IN_WORDS
        and not any(c in NOT_SPOKEN_CHARS for c in sentence)
    )


def _without_preamble(sentence: str) -> str:
    """The sentence minus a chatty preamble ("Sure, here is my question: ..."); "" if only that."""
    if not _PREAMBLE.match(sentence):
        return sentence
    head, colon, rest = sentence.partition(":")
    if colon and len(head) <= 60:
        return rest.strip()
    return "" if not sentence.rstrip("\"'”’)]").endswith("?") else sentence


def _sentences(pieces: Iterator[str]) -> Iterator[tuple[str, bool]]:
    """Complete sentences from streamed text pieces, as soon as each one ends.

    Yields (sentence, is_last) pairs; the text left when the stream ends is the last sentence.
    """
    buffer = ""
    for piece in pieces:
        buffer += piece
        while True:
            match = _SENTENCE_END.search(buffer)
            if match is None:
                break
            sentence, buffer = buffer[: match.end()].strip(), buffer[match.end() :]
            if sentence:
                yield sentence, False
    if buffer.strip():
        yield buffer.strip(), True
