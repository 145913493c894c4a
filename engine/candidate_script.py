"""Scripted candidates: what a synthetic candidate says, turn by turn, read from a YAML file.

``mockinterview demo`` speaks a candidate's lines with the TTS voice and feeds the audio to the
real interview. The lines come from a file in the format of ``assets/demo/answers.yaml``
(``assets/README.md`` documents it): question ids mapped to an ``answer``, an optional
``clarifying_question`` and ``follow_ups`` matched to the probe asked. Candidate files for
``demo --answers`` and ``bench/interviewer_quality.py`` extend it with:

* ``candidate``: a reserved top-level key describing the candidate (``name``, ``kind`` strong /
  medium / weak / adversarial, ``behaviour``, and interview settings ``time_limit_s`` and
  ``follow_ups_per_question``);
* ``question`` inside an entry, for a free question (``text``, ``category``, ``time_limit_s``);
  the entry's key is then only a name;
* ``turns``: the candidate's turns on that question, in order, each a line to say, a silence,
  noise, a monologue (``repeat``) or an interruption of the interviewer; once they run out the
  candidate falls back to ``answer`` and ``follow_ups``.

Every problem is reported with the file and the entry it is in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import ConfigError
from engine.questions.model import FollowUp, Question, free_question
from engine.rubric import CATEGORIES

CANDIDATE_KEY = "candidate"
CANDIDATE_KINDS = ("demo", "strong", "medium", "weak", "adversarial")
WHOLE_LIMIT = "limit"
"""``silence: limit`` stays silent for the whole answer window the interviewer gave."""

_TURN_KEYS = frozenset({"say", "silence", "noise", "repeat", "interrupt"})
_ENTRY_KEYS = frozenset({"answer", "clarifying_question", "follow_ups", "question", "turns"})


@dataclass(frozen=True)
class SampleFollowUpAnswer:
    """A short candidate answer to a probe on ``dimension`` (or to a constraint change)."""

    dimension: str
    text: str
    about: tuple[str, ...] = ()
    constraint: bool = False


@dataclass(frozen=True)
class ScriptedTurn:
    """One turn of a scripted candidate.

    Attributes:
        text: what is said (empty for a silence or noise).
        silence_s: seconds of silence instead of speech; None with text; ``float("inf")``
            for ``silence: limit`` (the whole window the interviewer gave).
        noise_s: seconds of background noise instead of speech.
        repeat: the text said this many times in a row (a monologue that runs on).
        interrupt: the candidate starts before the interviewer's line has ended.
    """

    text: str = ""
    silence_s: float | None = None
    noise_s: float = 0.0
    repeat: int = 1
    interrupt: bool = False

    @property
    def spoken_text(self) -> str:
        """Everything said on this turn (the text repeated for a monologue)."""
        return " ".join([self.text] * self.repeat) if self.text else ""


@dataclass(frozen=True)
class SampleAnswers:
    """Everything the synthetic candidate may say on one question."""

    question_id: str
    answer: str
    clarifying_question: str = ""
    follow_ups: tuple[SampleFollowUpAnswer, ...] = ()
    turns: tuple[ScriptedTurn, ...] = ()
    free: Question | None = None

    def answer_to(self, probe: FollowUp) -> str:
        """The best-fitting sample answer for ``probe``.

        A constraint change gets the constraint answer; otherwise the answer on the probe's
        dimension whose ``about`` words occur in the probe wins, then any answer on that
        dimension, then the ``default`` one, so the candidate always says something on topic.
        """
        text = probe.text.lower()
        if probe.constraint:
            for sample in self.follow_ups:
                if sample.constraint:
                    return sample.text
        same = [s for s in self.follow_ups if s.dimension == probe.dimension and not s.constraint]
        for sample in same:
            if any(word.lower() in text for word in sample.about):
                return sample.text
        if same:
            return same[0].text
        fallback = [s for s in self.follow_ups if s.dimension == "default"]
        return fallback[0].text if fallback else self.answer


@dataclass(frozen=True)
class CandidateScript:
    """A whole scripted candidate: who they are, the settings, and their answers in file order."""

    answers: dict[str, SampleAnswers]
    name: str = ""
    kind: str = "demo"
    behaviour: str = ""
    time_limit_s: float | None = None
    follow_ups_per_question: int | None = None
    path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def load_candidate_script(path: Path) -> CandidateScript:
    """Read and validate a candidate file.

    Raises:
        ConfigError: the file is missing, not YAML, or breaks the format (the message names
            the file and the entry).
    """
    import yaml

    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the candidate file {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of question ids to sample answers")
    meta = raw.pop(CANDIDATE_KEY, None) or {}
    if not isinstance(meta, dict):
        raise ConfigError(f"{path}: '{CANDIDATE_KEY}' must be a mapping")
    answers = {str(key): _read_entry(path, str(key), entry) for key, entry in raw.items()}
    if not answers:
        raise ConfigError(f"{path}: no questions to answer")
    kind = str(meta.get("kind", "demo"))
    if kind not in CANDIDATE_KINDS:
        raise ConfigError(f"{path}: candidate kind {kind!r} is not one of {CANDIDATE_KINDS}")
    try:
        limit = meta.get("time_limit_s")
        probes = meta.get("follow_ups_per_question")
        return CandidateScript(
            answers=answers,
            name=str(meta.get("name") or Path(path).stem),
            kind=kind,
            behaviour=str(meta.get("behaviour") or ""),
            time_limit_s=None if limit is None else float(limit),
            follow_ups_per_question=None if probes is None else int(probes),
            path=Path(path),
            extra={k: v for k, v in meta.items() if k not in _META_KEYS},
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: candidate settings are malformed ({exc})") from exc


_META_KEYS = frozenset({"name", "kind", "behaviour", "time_limit_s", "follow_ups_per_question"})


def load_sample_answers(path: Path) -> dict[str, SampleAnswers]:
    """The answers of a candidate file, keyed by question id (or entry name for free ones)."""
    return load_candidate_script(path).answers


def _read_entry(path: Path, key: str, entry: Any) -> SampleAnswers:
    where = f"{path}: entry {key!r}"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a mapping with an 'answer'")
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    try:
        follow_ups = tuple(
            SampleFollowUpAnswer(
                dimension=str(item["dimension"]),
                text=_line(item["answer"]),
                about=tuple(str(a) for a in item.get("about") or ()),
                constraint=bool(item.get("constraint", False)),
            )
            for item in entry.get("follow_ups") or ()
        )
        turns = tuple(_read_turn(where, n, t) for n, t in enumerate(entry.get("turns") or (), 1))
        answer = _line(entry.get("answer") or "")
        if not answer and not turns:
            raise ConfigError(f"{where}: needs an 'answer' or 'turns'")
        return SampleAnswers(
            question_id=key,
            answer=answer,
            clarifying_question=_line(entry.get("clarifying_question") or ""),
            follow_ups=follow_ups,
            turns=turns,
            free=_read_free_question(where, entry.get("question")),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ConfigError(f"{where}: malformed ({exc})") from exc


def _read_turn(where: str, number: int, turn: Any) -> ScriptedTurn:
    if isinstance(turn, str):
        return ScriptedTurn(text=_line(turn))
    if not isinstance(turn, dict) or not (set(turn) & {"say", "silence", "noise"}):
        raise ConfigError(f"{where}: turn {number} needs 'say', 'silence' or 'noise'")
    unknown = set(turn) - _TURN_KEYS
    if unknown:
        raise ConfigError(f"{where}: turn {number} has unknown field(s) {', '.join(unknown)}")
    silence = turn.get("silence")
    if silence == WHOLE_LIMIT:
        silence_s: float | None = float("inf")
    elif silence is None:
        silence_s = None
    else:
        silence_s = float(silence)
    repeat = int(turn.get("repeat", 1))
    if repeat < 1:
        raise ConfigError(f"{where}: turn {number}: repeat must be 1 or more")
    return ScriptedTurn(
        text=_line(turn.get("say") or ""),
        silence_s=silence_s,
        noise_s=float(turn.get("noise") or 0.0),
        repeat=repeat,
        interrupt=bool(turn.get("interrupt", False)),
    )


def _read_free_question(where: str, spec: Any) -> Question | None:
    if spec is None:
        return None
    if not isinstance(spec, dict) or "text" not in spec or "category" not in spec:
        raise ConfigError(f"{where}: 'question' needs 'text' and 'category'")
    category = str(spec["category"])
    if category not in CATEGORIES:
        raise ConfigError(f"{where}: unknown category {category!r} ({', '.join(CATEGORIES)})")
    return free_question(_line(spec["text"]), category, int(spec.get("time_limit_s", 300)))


def _line(value: Any) -> str:
    return " ".join(str(value).split())
