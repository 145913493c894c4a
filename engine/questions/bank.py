"""The question bank: the bundled YAML files merged with the user's own, validated.

Reading is forgiving and reporting is exhaustive: a file with a YAML syntax error is skipped, a
question with a bad field is skipped, and everything else still loads, because one typo in a
user's file must not take the practice session away. Every problem is kept (``bank.errors``) and
``validate_paths`` returns all of them for ``mockinterview questions validate``.
"""

from __future__ import annotations

import difflib
import random
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine import paths
from engine.errors import ConfigError, QuestionBankError, SessionError, UnknownQuestionError
from engine.questions.model import Question
from engine.questions.schema import DIFFICULTIES, parse_question
from engine.questions.yaml_lines import LocatedDocument, ValuePath, load_located
from engine.rubric import CATEGORIES

YAML_SUFFIXES: tuple[str, ...] = (".yaml", ".yml")


@dataclass(frozen=True)
class FileResult:
    """What one question file yielded: its good questions and all of its problems."""

    path: str
    questions: tuple[Question, ...]
    errors: tuple[QuestionBankError, ...]


def read_question_file(
    path: Path, display: str | None = None, *, require_red_flags: bool | None = None
) -> FileResult:
    """Read one file, keeping every question that is valid and every problem found.

    Args:
        path: the YAML file.
        display: how to name it in messages (defaults to ``str(path)``).
        require_red_flags: whether every question must list its own red flags; None (the
            default) decides by location: required for files of the bundled bank, optional for
            everyone else's (see ``is_bundled_file``).
    """
    name = display if display is not None else str(path)
    required = is_bundled_file(path) if require_red_flags is None else require_red_flags
    try:
        document = load_located(path, name)
    except QuestionBankError as exc:
        return FileResult(name, (), (exc,))
    questions: list[Question] = []
    errors: list[QuestionBankError] = list(document.problems)
    for base, entry in _question_entries(document, errors):
        question, problems = parse_question(document, base, entry, require_red_flags=required)
        errors.extend(problems)
        # A repeated key inside this question means YAML would have dropped one of the values;
        # the question is held back like any other invalid one.
        if question is not None and not _has_structural_problem(document, base):
            questions.append(question)
    # Within a file, a repeated id is reported here; across files, by the caller that merges.
    seen: dict[str, Question] = {}
    unique: list[Question] = []
    for question in questions:
        first = seen.get(question.id)
        if first is not None:
            errors.append(_duplicate_error(question, first))
        else:
            seen[question.id] = question
            unique.append(question)
    errors.sort(key=lambda e: e.line or 0)
    return FileResult(name, tuple(unique), tuple(errors))


def is_bundled_file(path: Path) -> bool:
    """Whether ``path`` is one of the files shipped in the bundled bank folder.

    The bank's stricter rules (own red flags on every question) follow the file, not the command
    that reads it, so ``questions validate question_bank/design.yaml`` checks exactly what the
    app enforces when it loads the bank, and a user's copy of that file elsewhere is free of them.
    """
    try:
        return path.resolve().parent == paths.bundled_question_bank_dir().resolve()
    except OSError:
        return False


def load_question_file(path: str | Path) -> list[Question]:
    """Load one question file, refusing it if anything in it is wrong.

    Raises:
        QuestionBankError: the first problem in the file (``validate_paths`` lists them all).
    """
    result = read_question_file(Path(path), str(path))
    if result.errors:
        raise result.errors[0]
    return list(result.questions)


def question_files(folder: Path) -> list[Path]:
    """The YAML files directly inside ``folder``, in a stable order (none if unreadable)."""
    try:
        return _list_question_files(folder)
    except OSError:
        return []


def _list_question_files(folder: Path) -> list[Path]:
    """Like ``question_files`` but lets an unreadable folder raise, for callers that report it.

    Hidden files are skipped: editors and file managers leave ``.name.yaml`` copies and
    AppleDouble ``._name.yaml`` files next to the real ones.
    """
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in YAML_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


def validate_paths(paths_to_check: Iterable[str | Path]) -> list[QuestionBankError]:
    """Every problem in the given files and folders, including ids repeated across files.

    A folder stands for the YAML files directly inside it; a file is checked whatever its
    extension, since the user named it on purpose.
    """
    return _merge(_read_all(paths_to_check))[1]


def _read_all(paths_to_check: Iterable[str | Path]) -> list[FileResult]:
    results: list[FileResult] = []
    for raw in paths_to_check:
        target = Path(raw)
        if target.is_dir():
            try:
                files = _list_question_files(target)
            except OSError as exc:
                error = QuestionBankError(
                    str(raw), None, "", f"cannot list this folder ({exc.strerror or exc})"
                )
                results.append(FileResult(str(raw), (), (error,)))
                continue
            results.extend(read_question_file(p, str(p)) for p in files)
        elif target.exists():
            results.append(read_question_file(target, str(raw)))
        else:
            error = QuestionBankError(str(raw), None, "", "no such file or folder")
            results.append(FileResult(str(raw), (), (error,)))
    return results


def _merge(results: Sequence[FileResult]) -> tuple[list[Question], list[QuestionBankError]]:
    """Join files in order; a later question reusing an id is dropped and reported."""
    questions: list[Question] = []
    errors: list[QuestionBankError] = []
    seen: dict[str, Question] = {}
    for result in results:
        errors.extend(result.errors)
        for question in result.questions:
            first = seen.get(question.id)
            if first is not None:
                errors.append(_duplicate_error(question, first))
                continue
            seen[question.id] = question
            questions.append(question)
    return questions, errors


@dataclass(frozen=True)
class QuestionBank:
    """All usable questions plus the problems met while loading them.

    Attributes:
        questions: every valid question, bundled ones first, in file order.
        errors: every problem found; the questions they concern are not in ``questions``.
        files: the files that were read, as named in messages.
    """

    questions: tuple[Question, ...]
    errors: tuple[QuestionBankError, ...] = ()
    files: tuple[str, ...] = ()
    _by_id: dict[str, Question] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({q.id: q for q in self.questions})

    @classmethod
    def load(cls, include_user: bool = True) -> QuestionBank:
        """The bundled bank, merged with the user's question folder unless told not to."""
        sources: list[Path] = [paths.bundled_question_bank_dir()]
        problems: list[QuestionBankError] = []
        if include_user:
            try:
                sources.append(paths.user_questions_dir())
            except SessionError as exc:
                # A read-only or vanished data dir must not cost the user the bundled bank.
                problems.append(
                    QuestionBankError(
                        paths.DATA_DIR_ENV, None, "", f"cannot open your question folder ({exc})"
                    )
                )
        bank = cls.from_paths(sources)
        if not problems:
            return bank
        return cls(bank.questions, (*bank.errors, *problems), bank.files)

    @classmethod
    def from_paths(cls, sources: Iterable[str | Path]) -> QuestionBank:
        """A bank from explicit files and folders (earlier sources win on repeated ids)."""
        results = _read_all(sources)
        questions, errors = _merge(results)
        return cls(tuple(questions), tuple(errors), tuple(r.path for r in results))

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question:
        """The question with this id.

        Raises:
            UnknownQuestionError: no such id; the message suggests the closest ids.
        """
        question = self._by_id.get(question_id)
        if question is not None:
            return question
        close = difflib.get_close_matches(question_id, list(self._by_id), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownQuestionError(
            f"no question with id {question_id!r}{hint} (see `mockinterview questions list`)"
        )

    def by_category(self, category: str) -> tuple[Question, ...]:
        """The questions of one category, in bank order.

        Raises:
            ConfigError: the category is not one of the DOMAIN.md ids.
        """
        _require_categories([category])
        return tuple(q for q in self.questions if q.category == category)

    def pick(
        self,
        categories: Iterable[str] | None = None,
        difficulty: str | Iterable[str] | None = None,
        count: int = 3,
        seed: int | str | None = None,
    ) -> list[Question]:
        """A random practice set, spread across the chosen categories.

        Categories are taken in turn (in a shuffled order) so that three questions over three
        categories give one of each rather than whatever the dice favour. The same seed over
        the same bank always gives the same set.

        Args:
            categories: category ids to draw from; None or empty means all.
            difficulty: one difficulty or several; None means any.
            count: how many questions; fewer come back when fewer match.
            seed: makes the draw repeatable.

        Raises:
            ConfigError: an unknown category or difficulty.
        """
        chosen = list(dict.fromkeys(categories or ())) or list(CATEGORIES)
        _require_categories(chosen)
        levels = _difficulties(difficulty)
        rng = random.Random(seed)
        pools: list[list[Question]] = []
        for category in chosen:
            pool = [
                q
                for q in self.questions
                if q.category == category and (levels is None or q.difficulty in levels)
            ]
            rng.shuffle(pool)
            if pool:
                pools.append(pool)
        rng.shuffle(pools)
        picked: list[Question] = []
        while len(picked) < count and any(pools):
            for pool in pools:
                if pool and len(picked) < count:
                    picked.append(pool.pop())
        return picked

    def to_list(self) -> list[dict[str, Any]]:
        """Every question as plain data (the ``questions list --json`` output)."""
        from engine.questions.serialize import question_to_dict

        return [question_to_dict(q) for q in self.questions]


def _require_categories(categories: Iterable[str]) -> None:
    for category in categories:
        if category not in CATEGORIES:
            raise ConfigError(
                f"unknown category {category!r}; choose from: {', '.join(CATEGORIES)}"
            )


def _difficulties(difficulty: str | Iterable[str] | None) -> frozenset[str] | None:
    if difficulty is None:
        return None
    levels = frozenset([difficulty] if isinstance(difficulty, str) else difficulty)
    unknown = sorted(levels - set(DIFFICULTIES))
    if unknown:
        raise ConfigError(
            f"unknown difficulty {unknown[0]!r}; choose from: {', '.join(DIFFICULTIES)}"
        )
    return levels or None


def _question_entries(
    document: LocatedDocument, errors: list[QuestionBankError]
) -> list[tuple[ValuePath, Any]]:
    """Where the questions are in a file: a list, a ``questions:`` list, or one mapping."""
    data = document.data
    if data is None:
        errors.append(QuestionBankError(document.path, 1, "", "the file holds no questions"))
        return []
    if isinstance(data, list):
        return [((index,), entry) for index, entry in enumerate(data)]
    if isinstance(data, dict):
        if "questions" in data:
            extra = [key for key in data if key != "questions"]
            for key in extra:
                errors.append(
                    QuestionBankError(
                        document.path,
                        document.line_of((key,)),
                        str(key),
                        "unknown top-level field; a file holds only `questions:`",
                    )
                )
            listed = data["questions"]
            if not isinstance(listed, list):
                errors.append(
                    QuestionBankError(
                        document.path,
                        document.line_of(("questions",)),
                        "questions",
                        "must be a list of questions (start each with '- id: ...')",
                    )
                )
                return []
            return [(("questions", index), entry) for index, entry in enumerate(listed)]
        return [((), data)]
    errors.append(
        QuestionBankError(
            document.path,
            document.line_of(()),
            "",
            "expected a list of questions (each starting with '- id: ...')",
        )
    )
    return []


def _has_structural_problem(document: LocatedDocument, base: ValuePath) -> bool:
    return any(path[: len(base)] == base for path in document.problem_paths)


def _duplicate_error(question: Question, first: Question) -> QuestionBankError:
    path, _, line = question.source.rpartition(":")
    return QuestionBankError(
        path,
        int(line) if line.isdigit() else None,
        "id",
        f"duplicate id {question.id!r}; first defined at {first.source}",
    )


# --- the shared, cached bank -------------------------------------------------------------------

_cache_lock = threading.Lock()
_cache: tuple[tuple[Any, ...], QuestionBank] | None = None


def _folder_signature(folder: Path) -> tuple[Any, ...]:
    """Names, sizes and mtimes of a folder's YAML files: cheap, and changes when a file does."""
    signature: list[tuple[str, int, int]] = []
    for file in question_files(folder):
        try:
            stat = file.stat()
        except OSError:
            continue
        signature.append((file.name, stat.st_mtime_ns, stat.st_size))
    return (str(folder), tuple(signature))


def default_bank() -> QuestionBank:
    """The bank everyone shares (bundled + user folder), reloaded when a file there changes.

    The key is the list of files with their mtimes and sizes, so adding, editing or removing a
    user question file (or pointing the data dir elsewhere) is picked up by the next call, while
    repeated calls cost a few ``stat`` calls. Safe to call from worker threads.
    """
    global _cache
    try:
        user_signature = _folder_signature(paths.user_questions_dir())
    except SessionError:
        user_signature = ("unavailable",)
    key = (_folder_signature(paths.bundled_question_bank_dir()), user_signature)
    with _cache_lock:
        if _cache is not None and _cache[0] == key:
            return _cache[1]
        bank = QuestionBank.load(include_user=True)
        _cache = (key, bank)
        return bank


def clear_cache() -> None:
    """Forget the cached bank (the next ``default_bank()`` reads the files again)."""
    global _cache
    with _cache_lock:
        _cache = None
