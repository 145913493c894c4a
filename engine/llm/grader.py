"""The LLM grading engine: richer feedback from any OpenAI-compatible model, bounded by validation.

Every grading first runs the offline engine. Its result is the safety net and the yardstick:
pacing always comes from it (delivery is measured, not judged by a model), its weakest
dimensions steer the prompt, and its scores bound what the LLM may award.

Flow: build the prompt (``engine.llm.prompts``) -> ask for structured output -> validate
(``engine.llm.validate``) -> on invalid output ask ONCE more, naming the problem -> still invalid,
or any transport failure (timeout, refused connection, 401/404/429, 5xx) -> the offline grade is
returned with ``engine == "offline"`` and ``fallback == {"reason": "<one line>", "kind": ...}``.
Nothing here raises for an LLM problem; a dead endpoint never breaks an interview.

Structured output: ``auto`` sends OpenAI's ``json_schema`` format first; when a server rejects it
(HTTP 400/422/500, as llama-cpp-python's server does) the same request is repeated with
llama.cpp's ``json_object`` + ``schema`` form, and once that works the choice is remembered per
base URL for the rest of the process.

Score policy (why an answer that tells the grader what to score gains nothing):

1. Only verified evidence counts. Quotes that do not occur in the transcript are dropped and
   counted; quotes that are themselves instructions to the grader (detected by the offline
   engine's ``is_grader_instruction``) are dropped too.
2. A dimension left without verified evidence keeps the offline engine's score and evidence.
3. A dimension with evidence takes the LLM's score, capped at the offline score + 1. The LLM may
   lower a score freely (a stricter reading is never a risk) and may raise it by one level at
   most, where it sees reasoning the keyword-and-structure analysis missed.
4. ``diagnosis`` is scored only for diagnose questions, as everywhere.
Each capped or replaced score carries a ``note``; the counts go into ``Grade.warnings``.

The follow-up: the offline policy decides WHETHER to probe (follow-ups left, time left, nothing
asked twice) and keeps its constraint changes. The compact grade schema does not ask for a probe
(live interviews stream one separately, see ``follow_up_stream`` and
``engine.interviewer.live_llm``); when a server volunteers one anyway it is used if it is one
short plain question that was not asked before.

Cost: the request is kept small for CPU-only local servers (see ``engine.llm.prompts`` and
``engine.llm.schema``): SmolLM2-135M on two busy cores grades in about 4-20 s.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from statistics import fmean

from engine.errors import ConfigError, LLMError
from engine.grading.base import Grader, GradeRequest
from engine.grading.result import DimensionScore, FollowUpSuggestion, Grade
from engine.llm.client import ChatReply, LLMClient, status_of
from engine.llm.follow_ups import FollowUpStream, is_repeated_probe
from engine.llm.prompts import grading_messages, retry_message, weakest_dimensions
from engine.llm.schema import response_format
from engine.llm.settings import LLMSettings, load_llm_settings
from engine.llm.validate import LLMGradeOutput, validate_grade
from engine.rubric import SCORE_MIN, applicable_dimensions

ENGINE_VERSION = "llm-1"
MAX_RAISE_OVER_OFFLINE = 1
# HTTP statuses with which servers reject an unsupported response_format.
_FORMAT_REJECTION_STATUSES = (400, 422, 500)

_style_lock = threading.Lock()
_style_by_base_url: dict[str, str] = {}


def remembered_style(base_url: str) -> str | None:
    """The structured-output style learned for a server in this process, if any."""
    with _style_lock:
        return _style_by_base_url.get(base_url)


def _remember_style(base_url: str, style: str) -> None:
    with _style_lock:
        _style_by_base_url[base_url] = style


class LLMGrader:
    """A ``Grader`` that asks an OpenAI-compatible model and falls back to the offline engine.

    Safe to call from worker threads: the openai client is shared and thread-safe, and the only
    mutable state (the lazily built client, the learned output style) is guarded by locks.
    """

    def __init__(
        self,
        settings: LLMSettings,
        *,
        offline: Grader | None = None,
        settings_problem: str = "",
    ) -> None:
        """Create the grader; nothing is sent until the first ``grade``.

        Args:
            settings: where to send requests.
            offline: the engine used as yardstick and fallback (the default offline engine).
            settings_problem: why the stored settings could not be read; every grade then falls
                back with this reason instead of failing.
        """
        if offline is None:
            from engine.grading.offline import OfflineGrader
            from engine.interviewer.follow_ups import choose_follow_up

            offline = OfflineGrader(probe_policy=choose_follow_up)
        self.settings = settings
        self._offline = offline
        self._settings_problem = settings_problem
        self._client: LLMClient | None = None
        self._client_lock = threading.Lock()

    @classmethod
    def from_settings(cls) -> LLMGrader:
        """The grader for the stored settings plus environment overrides; never raises.

        Incomplete or malformed settings still give a working grader: it grades offline and
        says why in ``Grade.fallback``, which is what ``--engine llm`` users need to see.
        """
        try:
            return cls(load_llm_settings())
        except ConfigError as exc:
            return cls(LLMSettings(), settings_problem=str(exc))

    @property
    def name(self) -> str:
        return f"llm:{self.settings.model or 'unconfigured'}"

    def grade(self, request: GradeRequest) -> Grade:
        """Grade with the LLM when it answers validly, else the offline grade with the reason."""
        offline_grade = self._offline.grade(request)
        if not request.transcript.text.strip():
            return _fallback(
                offline_grade, "empty_answer", "the answer is empty, nothing for the LLM"
            )
        try:
            output = self._ask(request, offline_grade)
        except LLMError as exc:
            return _fallback(offline_grade, exc.kind, str(exc))
        return self._merge(request, offline_grade, output)

    @property
    def offline(self) -> Grader:
        """The offline engine used as yardstick and fallback; live interviews decide with it."""
        return self._offline

    def follow_up_stream(
        self,
        request: GradeRequest,
        scores: Sequence[DimensionScore],
        *,
        choice: FollowUpSuggestion | None = None,
    ) -> FollowUpStream:
        """A streamed LLM follow-up for ``request`` sharing this grader's client and settings.

        Iterate it for sentences to speak (see ``engine.llm.follow_ups``); it never raises for
        an LLM problem and falls back to the offline probe by itself.

        Args:
            request: the answer and its context.
            scores: its dimension scores.
            choice: the probe already decided on by the caller (the LLM only words it).
        """
        client = self._client
        if client is None and not self._settings_problem:
            try:
                client = self.client()
            except LLMError:
                client = None  # the stream reports the same problem as its fallback reason
        return FollowUpStream(request, scores, client=client, settings=self.settings, choice=choice)

    # -- talking to the model -------------------------------------------------------------

    def client(self) -> LLMClient:
        """The shared client, built on first use.

        Raises:
            LLMError: kind ``config`` (bad or incomplete settings) or ``auth`` (no key).
        """
        if self._settings_problem:
            raise LLMError("config", f"LLM settings are unusable: {self._settings_problem}")
        with self._client_lock:
            if self._client is None:
                self._client = LLMClient(self.settings)
            return self._client

    def _ask(self, request: GradeRequest, offline_grade: Grade) -> LLMGradeOutput:
        """One validated grade reply, allowing one retry for invalid output."""
        client = self.client()
        category = request.question.category
        weakest = weakest_dimensions(offline_grade.dimensions, category)
        messages = grading_messages(request, weakest)
        try:
            return self._validated(self._structured_chat(client, messages, category), request)
        except LLMError as exc:
            if exc.kind != "invalid_output":
                raise
            problem = str(exc)
        retry = [*messages, retry_message(problem)]
        try:
            return self._validated(self._structured_chat(client, retry, category), request)
        except LLMError as exc:
            if exc.kind != "invalid_output":
                raise
            raise LLMError(
                "invalid_output",
                f"LLM at {self.settings.base_url} gave unusable output twice ({exc})",
            ) from exc

    def _validated(self, reply: ChatReply, request: GradeRequest) -> LLMGradeOutput:
        try:
            return validate_grade(reply.text, request.transcript, request.question.category)
        except LLMError as exc:
            if reply.truncated and exc.kind == "invalid_output":
                limit = self.settings.grade_max_tokens
                raise LLMError(
                    "invalid_output", f"the reply was cut off at {limit} tokens"
                ) from exc
            raise

    def _structured_chat(
        self, client: LLMClient, messages: list[dict[str, str]], category: str
    ) -> ChatReply:
        configured = self.settings.structured_output
        style = configured
        if configured == "auto":
            style = remembered_style(self.settings.base_url) or "json_schema"
        max_tokens = self.settings.grade_max_tokens
        try:
            return client.chat(
                messages,
                max_tokens=max_tokens,
                temperature=0.1,
                response_format=response_format(style, category),
            )
        except LLMError as exc:
            rejected = status_of(exc) in _FORMAT_REJECTION_STATUSES
            if configured != "auto" or style != "json_schema" or not rejected:
                raise
        reply = client.chat(
            messages,
            max_tokens=max_tokens,
            temperature=0.1,
            response_format=response_format("json_object", category),
        )
        _remember_style(self.settings.base_url, "json_object")
        return reply

    # -- applying the score policy ----------------------------------------------------------

    def _merge(self, request: GradeRequest, offline_grade: Grade, output: LLMGradeOutput) -> Grade:
        from engine.grading.injection import is_grader_instruction

        applicable = applicable_dimensions(request.question.category)
        dimensions: list[DimensionScore] = []
        capped = kept_offline = injected = 0
        for offline_dim in offline_grade.dimensions:
            llm_dim = output.dimensions.get(offline_dim.id)
            if offline_dim.id not in applicable or llm_dim is None or llm_dim.score is None:
                dimensions.append(offline_dim)
                continue
            evidence = tuple(e for e in llm_dim.evidence if not is_grader_instruction(e.quote))
            injected += len(llm_dim.evidence) - len(evidence)
            baseline = offline_dim.score if offline_dim.score is not None else SCORE_MIN
            if not evidence:
                note = ""
                if llm_dim.score != baseline:
                    kept_offline += 1
                    note = (
                        f"LLM score {llm_dim.score} had no verified evidence; "
                        f"offline score {baseline} kept"
                    )
                dimensions.append(replace(offline_dim, note=note))
                continue
            ceiling = baseline + MAX_RAISE_OVER_OFFLINE
            score, note = llm_dim.score, ""
            if score > ceiling:
                capped += 1
                note = f"LLM score {score} capped at {ceiling} (offline {baseline} + 1)"
                score = ceiling
            dimensions.append(
                DimensionScore(
                    id=offline_dim.id,
                    score=score,
                    evidence=evidence,
                    missing=llm_dim.missing or offline_dim.missing,
                    note=note,
                )
            )
        scores = [d.score for d in dimensions if d.id in applicable and d.score is not None]
        overall = fmean(scores) if scores else offline_grade.overall
        warnings = list(offline_grade.warnings)
        warnings.extend(_policy_warnings(output, injected, capped, kept_offline))
        return Grade(
            engine=self.name,
            question=offline_grade.question,
            overall=overall,
            dimensions=tuple(dimensions),
            pacing=offline_grade.pacing,
            follow_up=_choose_follow_up(request, offline_grade.follow_up, output.follow_up),
            feedback=output.feedback or offline_grade.feedback,
            engine_version=ENGINE_VERSION,
            warnings=tuple(warnings),
            relevance=offline_grade.relevance,
            red_flags=offline_grade.red_flags,
            closer_question=offline_grade.closer_question,
        )


def _choose_follow_up(
    request: GradeRequest,
    offline_choice: FollowUpSuggestion | None,
    llm_choice: FollowUpSuggestion | None,
) -> FollowUpSuggestion | None:
    """The offline policy decides whether to probe; the LLM may decide what to ask."""
    if offline_choice is None or offline_choice.constraint or llm_choice is None:
        return offline_choice
    if is_repeated_probe(llm_choice.text, request.asked_probes):
        return offline_choice
    return llm_choice


def _policy_warnings(output: LLMGradeOutput, injected: int, capped: int, kept: int) -> list[str]:
    def count(n: int, what: str) -> str:
        return f"{n} {what}{'' if n == 1 else 's'}"

    warnings = []
    if output.invented_quotes:
        warnings.append(
            f"LLM: {count(output.invented_quotes, 'invented quote')} dropped "
            "(not found in the transcript)"
        )
    if output.thin_quotes:
        warnings.append(f"LLM: {count(output.thin_quotes, 'empty or one-word quote')} dropped")
    if injected:
        warnings.append(f"LLM: {count(injected, 'quote')} of instructions to the grader dropped")
    if capped:
        warnings.append(f"LLM: {count(capped, 'score')} capped at offline score + 1")
    if kept:
        warnings.append(
            f"LLM: {count(kept, 'score')} without verified evidence replaced by the offline score"
        )
    return warnings


def _fallback(offline_grade: Grade, kind: str, problem: str) -> Grade:
    """The offline grade, marked so the report says the LLM was asked for and why it is absent."""
    return replace(
        offline_grade,
        engine="offline",
        fallback={"reason": f"{problem}; graded offline", "kind": kind},
    )
