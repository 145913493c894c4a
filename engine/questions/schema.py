"""The rules a question entry must follow, checked field by field with precise messages.

A question file is written by hand, often by a user who has never seen the code, so every rule
reports *all* its problems (not just the first) as ``QuestionBankError(path, line, field,
message)``: the line comes from the located YAML, the field is the dotted path inside the
question (``follow_ups[2].dimension``) and the message says what is wrong and what would be right.
A question with errors is not built; the other questions in the same file still are.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from typing import Any

from engine.errors import QuestionBankError
from engine.questions.model import FollowUp, Question, RedFlag
from engine.questions.yaml_lines import LocatedDocument, ValuePath, format_field
from engine.rubric import CATEGORIES, DIMENSION_IDS

DIFFICULTIES: tuple[str, ...] = ("easy", "medium", "hard")
MIN_TIME_LIMIT_S = 30
MAX_TIME_LIMIT_S = 1800
MIN_FOLLOW_UPS = 3
# The bundled bank promises every question its own red flags (the report's "What would worry an
# interviewer"); a user's file may leave them out and gets the generic ones at grading time.
MIN_BUNDLED_RED_FLAGS = 2
# Claims are matched one by one against every answer sentence; a handful says what the mistake
# sounds like, a long list mostly adds chances of a false match.
MAX_CLAIMS = 5

REQUIRED_FIELDS: tuple[str, ...] = (
    "id",
    "category",
    "prompt",
    "time_limit_s",
    "expected",
    "follow_ups",
    "clarifications",
)
OPTIONAL_FIELDS: tuple[str, ...] = ("context", "difficulty", "tags", "red_flags")
QUESTION_FIELDS: tuple[str, ...] = REQUIRED_FIELDS + OPTIONAL_FIELDS
FOLLOW_UP_FIELDS: tuple[str, ...] = ("text", "dimension", "triggers", "constraint")
RED_FLAG_FIELDS: tuple[str, ...] = ("text", "dimension", "claims")

# Ids are typed on the command line (`grade --question ID`), so they stay shell-friendly.
_ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Topics are matched against the candidate's clarifying question, so they are single words.
_TOPIC_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
# Trigger phrases are matched against the normalised answer (punctuation turned into spaces).
_TRIGGER_PATTERN = re.compile(r"^[a-z0-9'][a-z0-9' \-]*\*?$")


class _Checker:
    """Collects the problems of one question; ``value_path`` is absolute, fields relative."""

    def __init__(self, document: LocatedDocument, base: ValuePath) -> None:
        self.document = document
        self.base = base
        self.errors: list[QuestionBankError] = []

    def error(self, rel: ValuePath, message: str) -> None:
        path = (*self.base, *rel)
        self.errors.append(
            QuestionBankError(
                self.document.path, self.document.line_of(path), format_field(path), message
            )
        )

    def text(self, value: Any, rel: ValuePath, *, what: str = "text") -> str | None:
        """A non-empty string, stripped; reports and returns None otherwise."""
        if not isinstance(value, str):
            self.error(rel, f"must be {what}, got {_describe(value)}")
            return None
        stripped = " ".join(value.split())
        if not stripped:
            self.error(rel, f"must be non-empty {what}")
            return None
        return stripped

    def text_list(self, value: Any, rel: ValuePath, *, min_items: int = 1) -> list[str] | None:
        """A list of non-empty strings; a lone string is a common slip and is reported as such."""
        if isinstance(value, str):
            self.error(rel, "must be a list (start each item with '- '), got a single text")
            return None
        if not isinstance(value, list):
            self.error(rel, f"must be a list of texts, got {_describe(value)}")
            return None
        if len(value) < min_items:
            self.error(rel, f"needs at least {min_items} item(s), got {len(value)}")
            return None
        items: list[str] = []
        ok = True
        for index, item in enumerate(value):
            text = self.text(item, (*rel, index))
            if text is None:
                ok = False
            else:
                items.append(text)
        return items if ok else None

    def unknown_fields(
        self, entry: Mapping[str, Any], rel: ValuePath, known: Sequence[str]
    ) -> None:
        for key in entry:
            if key not in known:
                hint = _did_you_mean(str(key), known)
                self.error((*rel, key), f"unknown field{hint}; known fields: {', '.join(known)}")


def parse_question(
    document: LocatedDocument, base: ValuePath, entry: Any, *, require_red_flags: bool = False
) -> tuple[Question | None, list[QuestionBankError]]:
    """Check one question entry and build it.

    Args:
        document: the located file, for line numbers.
        base: the value path of this entry inside the document (``(3,)``).
        entry: the entry's plain value.
        require_red_flags: the entry comes from the bundled bank, where ``red_flags`` is
            required with at least ``MIN_BUNDLED_RED_FLAGS`` entries; elsewhere it is optional.

    Returns:
        The question (None when it has any error) and every problem found in it.
    """
    check = _Checker(document, base)
    if not isinstance(entry, dict):
        check.error((), f"each question must be a mapping of fields, got {_describe(entry)}")
        return None, check.errors

    check.unknown_fields(entry, (), QUESTION_FIELDS)
    for name in REQUIRED_FIELDS:
        if name not in entry:
            check.error((name,), "required field is missing")

    question_id = _check_id(check, entry.get("id")) if "id" in entry else None
    category = _check_category(check, entry.get("category")) if "category" in entry else None
    prompt = check.text(entry["prompt"], ("prompt",)) if "prompt" in entry else None
    context = check.text(entry["context"], ("context",)) if "context" in entry else ""
    difficulty = _check_difficulty(check, entry.get("difficulty", "medium"))
    time_limit = (
        _check_time_limit(check, entry["time_limit_s"]) if "time_limit_s" in entry else None
    )
    expected = _check_expected(check, entry["expected"], category) if "expected" in entry else None
    follow_ups = (
        _check_follow_ups(check, entry["follow_ups"], category) if "follow_ups" in entry else None
    )
    clarifications = (
        _check_clarifications(check, entry["clarifications"]) if "clarifications" in entry else None
    )
    tags = check.text_list(entry["tags"], ("tags",), min_items=0) if "tags" in entry else []
    red_flags: list[RedFlag] | None = []
    if "red_flags" in entry:
        minimum = MIN_BUNDLED_RED_FLAGS if require_red_flags else 1
        red_flags = _check_red_flags(check, entry["red_flags"], category, minimum)
    elif require_red_flags:
        check.error(
            ("red_flags",),
            f"required field is missing (every bundled question needs at least "
            f"{MIN_BUNDLED_RED_FLAGS} red flags)",
        )

    if check.errors:
        return None, check.errors
    # No errors means every required field was read; the assert only narrows types.
    assert question_id and category and prompt and time_limit is not None
    question = Question(
        id=question_id,
        category=category,
        prompt=prompt,
        time_limit_s=time_limit,
        difficulty=difficulty or "medium",
        context=context or "",
        expected=expected or {},
        follow_ups=tuple(follow_ups or ()),
        clarifications=clarifications or {},
        tags=tuple(tags or ()),
        source=f"{document.path}:{document.line_of(base)}",
        red_flags=tuple(red_flags or ()),
    )
    return question, []


def _check_id(check: _Checker, value: Any) -> str | None:
    text = check.text(value, ("id",))
    if text is None:
        return None
    if not _ID_PATTERN.match(text):
        check.error(
            ("id",),
            f"{text!r} is not a valid id: use lowercase letters, digits and single hyphens "
            "(e.g. design-music-playlists)",
        )
        return None
    return text


def _check_category(check: _Checker, value: Any) -> str | None:
    text = check.text(value, ("category",))
    if text is None:
        return None
    if text not in CATEGORIES:
        hint = _did_you_mean(text, CATEGORIES)
        check.error(
            ("category",),
            f"unknown category {text!r}{hint}; use one of: {', '.join(CATEGORIES)}",
        )
        return None
    return text


def _check_difficulty(check: _Checker, value: Any) -> str | None:
    if value not in DIFFICULTIES:
        check.error(
            ("difficulty",),
            f"must be one of {', '.join(DIFFICULTIES)}, got {_describe(value)}",
        )
        return None
    return str(value)


def _check_time_limit(check: _Checker, value: Any) -> int | None:
    # bool is an int in Python; "yes" as a time limit is a slip, not 1 second.
    if isinstance(value, bool) or not isinstance(value, int):
        check.error(("time_limit_s",), f"must be a whole number of seconds, got {_describe(value)}")
        return None
    if not MIN_TIME_LIMIT_S <= value <= MAX_TIME_LIMIT_S:
        check.error(
            ("time_limit_s",),
            f"must be between {MIN_TIME_LIMIT_S} and {MAX_TIME_LIMIT_S} seconds, got {value}",
        )
        return None
    return value


def _check_dimension(
    check: _Checker, value: Any, rel: ValuePath, category: str | None
) -> str | None:
    text = check.text(value, rel, what="a rubric dimension id")
    if text is None:
        return None
    if text not in DIMENSION_IDS:
        hint = _did_you_mean(text, DIMENSION_IDS)
        check.error(
            rel, f"unknown rubric dimension {text!r}{hint}; use one of: {', '.join(DIMENSION_IDS)}"
        )
        return None
    if text == "diagnosis" and category is not None and category != "diagnose":
        check.error(rel, "'diagnosis' applies only to questions of category diagnose")
        return None
    return text


def _check_expected(
    check: _Checker, value: Any, category: str | None
) -> dict[str, tuple[str, ...]] | None:
    rel: ValuePath = ("expected",)
    if not isinstance(value, dict) or not value:
        check.error(
            rel,
            "must map rubric dimensions to lists of expected points "
            f"(e.g. metrics: [...]), got {_describe(value)}",
        )
        return None
    result: dict[str, tuple[str, ...]] = {}
    for dimension, points in value.items():
        key_rel = (*rel, dimension)
        known = _check_dimension(check, dimension, key_rel, category)
        items = check.text_list(points, key_rel)
        if known and items is not None:
            result[known] = tuple(items)
    return result


def _check_follow_ups(check: _Checker, value: Any, category: str | None) -> list[FollowUp] | None:
    rel: ValuePath = ("follow_ups",)
    if not isinstance(value, list):
        check.error(rel, f"must be a list of follow-ups, got {_describe(value)}")
        return None
    if len(value) < MIN_FOLLOW_UPS:
        check.error(rel, f"needs at least {MIN_FOLLOW_UPS} follow-ups, got {len(value)}")
    result: list[FollowUp] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        follow_up = _check_follow_up(check, item, (*rel, index), category)
        if follow_up is None:
            continue
        key = follow_up.text.lower()
        if key in seen:
            check.error((*rel, index, "text"), f"same text as follow_ups[{seen[key]}]")
            continue
        seen[key] = index
        result.append(follow_up)
    return result


def _check_follow_up(
    check: _Checker, item: Any, rel: ValuePath, category: str | None
) -> FollowUp | None:
    if not isinstance(item, dict):
        check.error(
            rel, f"each follow-up must be a mapping with text and dimension, got {_describe(item)}"
        )
        return None
    before = len(check.errors)
    check.unknown_fields(item, rel, FOLLOW_UP_FIELDS)
    for name in ("text", "dimension"):
        if name not in item:
            check.error((*rel, name), "required field is missing")
    text = check.text(item["text"], (*rel, "text")) if "text" in item else None
    dimension = (
        _check_dimension(check, item["dimension"], (*rel, "dimension"), category)
        if "dimension" in item
        else None
    )
    triggers: list[str] = []
    if "triggers" in item:
        # Matching is case-insensitive, so phrases are stored lowercase whatever was typed.
        listed = check.text_list(item["triggers"], (*rel, "triggers"))
        triggers = [phrase.lower() for phrase in listed or ()]
        for index, phrase in enumerate(triggers):
            if not _TRIGGER_PATTERN.match(phrase):
                # Answers are matched after punctuation becomes spaces, so "a/b test" or
                # "ctr." could never fire; say so instead of leaving a dead probe.
                check.error(
                    (*rel, "triggers", index),
                    f"{phrase!r} can never match: use letters, digits, spaces, hyphens and "
                    "apostrophes only (a trailing * matches any ending)",
                )
    constraint = (
        check.text(item["constraint"], (*rel, "constraint")) if "constraint" in item else None
    )
    if len(check.errors) > before or text is None or dimension is None:
        return None
    return FollowUp(text=text, dimension=dimension, triggers=tuple(triggers), constraint=constraint)


def _check_red_flags(
    check: _Checker, value: Any, category: str | None, minimum: int
) -> list[RedFlag] | None:
    rel: ValuePath = ("red_flags",)
    if not isinstance(value, list):
        check.error(
            rel,
            "must be a list of red flags (each with text, dimension and claims), "
            f"got {_describe(value)}",
        )
        return None
    if len(value) < minimum:
        check.error(rel, f"needs at least {minimum} red flag(s), got {len(value)}")
    result: list[RedFlag] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(value):
        red_flag = _check_red_flag(check, item, (*rel, index), category)
        if red_flag is None:
            continue
        key = red_flag.text.lower()
        if key in seen:
            check.error((*rel, index, "text"), f"same text as red_flags[{seen[key]}]")
            continue
        seen[key] = index
        result.append(red_flag)
    return result


def _check_red_flag(
    check: _Checker, item: Any, rel: ValuePath, category: str | None
) -> RedFlag | None:
    if not isinstance(item, dict):
        check.error(
            rel,
            "each red flag must be a mapping with text, dimension and claims, "
            f"got {_describe(item)}",
        )
        return None
    before = len(check.errors)
    check.unknown_fields(item, rel, RED_FLAG_FIELDS)
    for name in RED_FLAG_FIELDS:
        if name not in item:
            check.error((*rel, name), "required field is missing")
    text = check.text(item["text"], (*rel, "text")) if "text" in item else None
    dimension = (
        _check_dimension(check, item["dimension"], (*rel, "dimension"), category)
        if "dimension" in item
        else None
    )
    claims = check.text_list(item["claims"], (*rel, "claims")) if "claims" in item else None
    if claims is not None and len(claims) > MAX_CLAIMS:
        check.error(
            (*rel, "claims"),
            f"at most {MAX_CLAIMS} claims, got {len(claims)}; keep the ones a candidate would "
            "most likely say",
        )
    if len(check.errors) > before or text is None or dimension is None or claims is None:
        return None
    return RedFlag(text=text, dimension=dimension, claims=tuple(claims))


def _check_clarifications(check: _Checker, value: Any) -> dict[str, str] | None:
    rel: ValuePath = ("clarifications",)
    if not isinstance(value, dict) or not value:
        check.error(
            rel,
            "must map topics to the interviewer's answers (e.g. scale: About ten million "
            f"users.), got {_describe(value)}",
        )
        return None
    result: dict[str, str] = {}
    for topic, answer in value.items():
        key_rel = (*rel, topic)
        ok = True
        if not isinstance(topic, str) or not _TOPIC_PATTERN.match(topic):
            check.error(key_rel, "a topic must be one short lowercase word, like scale or users")
            ok = False
        text = check.text(answer, key_rel, what="the interviewer's answer as text")
        if ok and text is not None:
            result[topic] = text
    return result


def _describe(value: Any) -> str:
    """Name a wrong value the way a YAML author thinks of it."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _did_you_mean(word: str, options: Sequence[str] | Mapping[str, Any]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
