"""The labelled grading corpus (tests/data/grading/): load it, validate it, pick a half.

Grading v2 is tuned on one half of this corpus and judged on the other, so both the tests
(tuning half) and ``bench/grading_quality.py`` (report half) read it through this one loader.
It lives in ``bench/`` rather than ``engine/`` because the app never needs it, and it depends on
nothing from the grader: only the rubric ids and the bundled question bank, so that a label can
be checked against the same vocabulary the grader uses without the grader judging the labels.

The format, the families and the labelling guide are in ``tests/data/grading/README.md``.
Every problem is reported with the file and the entry it is in, because a corpus with a silent
typo (a family misspelt, a label of 5) would quietly skew every figure computed from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from engine.paths import bundled_question_bank_dir
from engine.questions.bank import load_question_file, question_files
from engine.rubric import CATEGORIES, SCORE_MAX, SCORE_MIN, applicable_dimensions

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "grading"
ANSWERS_DIR = CORPUS_DIR / "answers"
SPLIT_FILE = CORPUS_DIR / "split.yaml"
SPLITS: tuple[str, ...] = ("tune", "report")

# Answer families: what kind of answer each entry is (README.md says what each one means).
FAMILIES: tuple[str, ...] = (
    "strong_plain",
    "strong_rubric",
    "strong_concise",
    "solid",
    "medium",
    "weak",
    "long_shallow",
    "template",
    "jargon",
    "signpost_only",
    "off_topic_strong",
    "off_topic_chat",
    "duplicated",
    "confidently_wrong",
    "very_short",
    "disfluent",
    "other_language",
)
# Families an interviewer answers with a redirect rather than a probe, so they carry no probe_ok.
REDIRECT_FAMILIES: frozenset[str] = frozenset(
    {"off_topic_strong", "off_topic_chat", "other_language", "very_short"}
)
# The families issue 10 calls adversarial: each has a score ceiling however fluent it sounds.
ADVERSARIAL_FAMILIES: tuple[str, ...] = (
    "template",
    "jargon",
    "signpost_only",
    "off_topic_strong",
    "off_topic_chat",
    "confidently_wrong",
    "very_short",
    "other_language",
    "long_shallow",
)
# The overall-score ceilings issue 10 sets: an answer that does not address the question scores
# at most 1.5, a template, jargon list or signpost-only answer at most 1.8, however fluent.
# The other adversarial families have no number in the issue; their label (1-2) is the guide.
FAMILY_CEILINGS: dict[str, float] = {
    "off_topic_strong": 1.5,
    "off_topic_chat": 1.5,
    "template": 1.8,
    "jargon": 1.8,
    "signpost_only": 1.8,
}
# The label range each family may take; anything outside means the family or label is wrong.
FAMILY_LABELS: dict[str, tuple[int, int]] = {
    "strong_plain": (4, 4),
    "strong_rubric": (4, 4),
    "strong_concise": (3, 4),
    "solid": (3, 3),
    "medium": (2, 3),
    "weak": (1, 2),
    "long_shallow": (1, 2),
    "template": (1, 1),
    "jargon": (1, 1),
    "signpost_only": (1, 1),
    "off_topic_strong": (1, 1),
    "off_topic_chat": (1, 1),
    "duplicated": (1, 4),
    "confidently_wrong": (1, 2),
    "very_short": (1, 1),
    "disfluent": (2, 4),
    "other_language": (1, 1),
}
ANSWER_KEYS = frozenset({"id", "family", "label", "probe_ok", "note", "text", "duplicate_of"})


class CorpusError(ValueError):
    """The corpus breaks its format; the message names the file and the entry."""


@dataclass(frozen=True)
class CorpusAnswer:
    """One labelled answer, with the question it answers and the half it belongs to.

    Attributes:
        question_id: the bank id, or None for a free question (graded with its text and
            category, as ``grade --question-text/--category`` does).
        label: overall 1-4 against the rubric, as a demanding interviewer would judge it.
        probe_ok: rubric dimensions an interviewer could acceptably probe next; None for the
            families that get a redirect instead of a probe (off-topic, other language, very
            short), empty for answers with no gap worth probing.
        duplicate_of: for a ``duplicated`` answer, the id of the single answer it repeats.
        file: the answers file, relative to the corpus folder, for messages.
    """

    id: str
    question_id: str | None
    question_text: str
    category: str
    family: str
    label: int
    probe_ok: tuple[str, ...] | None
    duplicate_of: str | None
    text: str
    split: str
    file: str
    note: str = ""


@dataclass(frozen=True)
class _BankEntry:
    prompt: str
    category: str


def load_corpus(split: str | None = None, folder: Path = CORPUS_DIR) -> list[CorpusAnswer]:
    """Every answer of the corpus (or of one half), validated, in file then entry order.

    Args:
        split: "tune", "report", or None for both halves.
        folder: the corpus folder (holding ``answers/`` and ``split.yaml``).

    Raises:
        CorpusError: unknown split, or any problem in a file (file and entry named).
    """
    if split is not None and split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    halves = _read_split(folder / "split.yaml")
    files = sorted((folder / "answers").glob("*.yaml"))
    if not files:
        raise CorpusError(f"{folder / 'answers'}: no answer files")
    slugs = {path.stem for path in files}
    unlisted = sorted(slugs - set(halves))
    if unlisted:
        raise CorpusError(f"split.yaml: files in no half: {', '.join(unlisted)}")
    missing = sorted(set(halves) - slugs)
    if missing:
        raise CorpusError(f"split.yaml: lists files that do not exist: {', '.join(missing)}")
    bank = _bank()
    answers: list[CorpusAnswer] = []
    seen: dict[str, str] = {}
    for path in files:
        for answer in _read_answers_file(path, folder, bank, halves[path.stem]):
            if answer.id in seen:
                raise CorpusError(
                    f"{answer.file}: answer {answer.id!r}: id already used in {seen[answer.id]}"
                )
            seen[answer.id] = answer.file
            answers.append(answer)
    if split is None:
        return answers
    return [answer for answer in answers if answer.split == split]


def _read_split(path: Path) -> dict[str, str]:
    """File slug -> half, refusing a slug listed in both halves or in neither list."""
    data = _load_yaml(path)
    if not isinstance(data, dict) or set(data) != set(SPLITS):
        raise CorpusError(f"{path.name}: must be a mapping with exactly the keys tune and report")
    halves: dict[str, str] = {}
    for half in SPLITS:
        slugs = data[half]
        if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
            raise CorpusError(f"{path.name}: {half}: must be a list of file names (slugs)")
        for slug in slugs:
            if slug in halves:
                raise CorpusError(f"{path.name}: {slug!r} is listed twice")
            halves[slug] = half
    return halves


def _bank() -> dict[str, _BankEntry]:
    """The bundled question bank by id (prompt and category are all the corpus needs)."""
    entries: dict[str, _BankEntry] = {}
    for path in question_files(bundled_question_bank_dir()):
        for question in load_question_file(path):
            entries[question.id] = _BankEntry(question.prompt, question.category)
    return entries


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path.name}: cannot read: {exc}") from exc


def _read_answers_file(
    path: Path, folder: Path, bank: dict[str, _BankEntry], split: str
) -> list[CorpusAnswer]:
    name = str(path.relative_to(folder))
    data = _load_yaml(path)
    if not isinstance(data, dict) or set(data) != {"question", "answers"}:
        raise CorpusError(f"{name}: must be a mapping with exactly the keys question and answers")
    question_id, text, category = _read_question(name, data["question"], bank)
    entries = data["answers"]
    if not isinstance(entries, list) or not entries:
        raise CorpusError(f"{name}: answers: must be a non-empty list")
    answers = [
        _read_answer(f"{name}: answers[{index}]", entry, question_id, text, category, split, name)
        for index, entry in enumerate(entries)
    ]
    _check_duplicates(name, answers)
    return answers


def _read_question(
    name: str, question: Any, bank: dict[str, _BankEntry]
) -> tuple[str | None, str, str]:
    """(bank id or None, prompt, category) from a file's ``question`` block."""
    if not isinstance(question, dict):
        raise CorpusError(f"{name}: question: must be a mapping")
    if set(question) == {"id"}:
        entry = bank.get(question["id"])
        if entry is None:
            raise CorpusError(f"{name}: question: unknown bank id {question['id']!r}")
        return question["id"], entry.prompt, entry.category
    if set(question) == {"text", "category"}:
        text, category = question["text"], question["category"]
        if not isinstance(text, str) or not text.strip():
            raise CorpusError(f"{name}: question.text: must be a non-empty string")
        if category not in CATEGORIES:
            raise CorpusError(
                f"{name}: question.category: unknown category {category!r}; "
                f"expected one of {', '.join(CATEGORIES)}"
            )
        return None, text.strip(), category
    raise CorpusError(f"{name}: question: give either id, or text and category")


def _read_answer(
    where: str,
    entry: Any,
    question_id: str | None,
    question_text: str,
    category: str,
    split: str,
    name: str,
) -> CorpusAnswer:
    if not isinstance(entry, dict):
        raise CorpusError(f"{where}: must be a mapping")
    answer_id = entry.get("id")
    if not isinstance(answer_id, str) or not answer_id:
        raise CorpusError(f"{where}: id: required")
    where = f"{where} ({answer_id})"
    unknown = sorted(set(entry) - ANSWER_KEYS)
    if unknown:
        raise CorpusError(f"{where}: unknown keys {', '.join(unknown)}")
    family = entry.get("family")
    if family not in FAMILIES:
        raise CorpusError(f"{where}: family: unknown family {family!r}")
    label = entry.get("label")
    if not isinstance(label, int) or isinstance(label, bool) or not SCORE_MIN <= label <= SCORE_MAX:
        raise CorpusError(f"{where}: label: must be a whole number from 1 to 4, got {label!r}")
    low, high = FAMILY_LABELS[family]
    if not low <= label <= high:
        raise CorpusError(f"{where}: label: {label} is outside {low}-{high} for family {family}")
    text = entry.get("text")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: text: required")
    note = entry.get("note", "")
    if not isinstance(note, str) or not note.strip():
        raise CorpusError(f"{where}: note: say in one line why this label")
    duplicate_of = entry.get("duplicate_of")
    if (family == "duplicated") != (duplicate_of is not None):
        raise CorpusError(f"{where}: duplicate_of: required for duplicated answers, and only them")
    return CorpusAnswer(
        id=answer_id,
        question_id=question_id,
        question_text=question_text,
        category=category,
        family=family,
        label=label,
        probe_ok=_read_probe_ok(where, entry, family, label, category),
        duplicate_of=duplicate_of,
        text=" ".join(text.split()),
        split=split,
        file=name,
        note=note.strip(),
    )


def _read_probe_ok(
    where: str, entry: dict[str, Any], family: str, label: int, category: str
) -> tuple[str, ...] | None:
    """The acceptable probe targets, checked against the dimensions this category grades."""
    if family in REDIRECT_FAMILIES:
        if "probe_ok" in entry:
            raise CorpusError(f"{where}: probe_ok: {family} answers get a redirect, not a probe")
        return None
    if "probe_ok" not in entry:
        raise CorpusError(f"{where}: probe_ok: required (use [] when no gap is worth probing)")
    probe_ok = entry["probe_ok"]
    if not isinstance(probe_ok, list):
        raise CorpusError(f"{where}: probe_ok: must be a list of rubric dimension ids")
    allowed = applicable_dimensions(category)
    for dimension in probe_ok:
        if dimension not in allowed:
            raise CorpusError(
                f"{where}: probe_ok: {dimension!r} is not a rubric dimension of a {category} "
                f"question; expected some of {', '.join(allowed)}"
            )
    if label < 3 and not probe_ok:
        raise CorpusError(f"{where}: probe_ok: an answer below solid needs at least one target")
    return tuple(probe_ok)


def _check_duplicates(name: str, answers: list[CorpusAnswer]) -> None:
    """A duplicated answer repeats a single answer of the same file and keeps its label."""
    by_id = {answer.id: answer for answer in answers}
    for answer in answers:
        if answer.duplicate_of is None:
            continue
        original = by_id.get(answer.duplicate_of)
        where = f"{name}: answer {answer.id!r}: duplicate_of"
        if original is None or original.family == "duplicated":
            raise CorpusError(f"{where}: {answer.duplicate_of!r} is not a single answer here")
        if answer.label != original.label:
            raise CorpusError(f"{where}: label must equal {original.id}'s ({original.label})")
        if answer.text.count(original.text) < 2:
            raise CorpusError(f"{where}: text must contain {original.id}'s text twice")


def summary(answers: list[CorpusAnswer]) -> str:
    """Counts per family, label and half, as a plain table for reviews and reports."""
    lines = [f"{'family':18} {'tune':>5} {'report':>6}   labels 1/2/3/4"]
    for family in FAMILIES:
        members = [a for a in answers if a.family == family]
        halves = [sum(a.split == half for a in members) for half in SPLITS]
        labels = "/".join(str(sum(a.label == n for a in members)) for n in range(1, 5))
        lines.append(f"{family:18} {halves[0]:5} {halves[1]:6}   {labels}")
    questions = {(a.split, a.file, a.question_id is None) for a in answers}
    for half in SPLITS:
        in_half = [a for a in answers if a.split == half]
        labels = "/".join(str(sum(a.label == n for a in in_half)) for n in range(1, 5))
        bank = sum(1 for s, _, free in questions if s == half and not free)
        free = sum(1 for s, _, is_free in questions if s == half and is_free)
        lines.append(f"{half}: {len(in_half)} answers, {bank} bank + {free} free, labels {labels}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(load_corpus()))
