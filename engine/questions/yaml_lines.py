"""YAML loading that remembers where every value came from.

``yaml.safe_load`` throws line numbers away, but a person fixing a question file needs to be told
*which line* holds the typo. So we compose the YAML into nodes (each carries its start mark), turn
the nodes into plain Python values ourselves, and keep a side table from the value's path
(``(0, "follow_ups", 2, "dimension")``) to its 1-based line. The schema checks plain values and
asks this table for lines, so neither has to know about the other's internals.

The libyaml C parser is used when PyYAML was built with it: it composes the whole bundled bank in a
few milliseconds, where the pure-Python parser takes several times longer.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.errors import QuestionBankError

# A path from the document root to a value: mapping keys and sequence indexes.
ValuePath = tuple[Hashable, ...]

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"

# Limits that turn hostile or accidental monsters into a clear message instead of a hang or a
# crash: the whole bundled bank is ~100 kB, ~4,000 values and 5 levels deep.
MAX_FILE_BYTES = 5_000_000
MAX_VALUES = 200_000
MAX_DEPTH = 40


@dataclass
class LocatedDocument:
    """A parsed YAML document plus the line of every value and mapping key in it.

    Attributes:
        path: the file the document was read from (as given, for messages).
        data: the document as plain Python values (dicts, lists, str, int, ...); None when empty.
        lines: value path -> 1-based line where that value (or its mapping key) starts.
        problems: structural problems found while reading (duplicate keys, non-text keys); the
            document is still usable, these are reported alongside schema errors.
        problem_paths: the value path each problem concerns (same order as ``problems``), so a
            caller can tell which question a problem belongs to.
    """

    path: str
    data: Any
    lines: dict[ValuePath, int] = field(default_factory=dict)
    problems: list[QuestionBankError] = field(default_factory=list)
    problem_paths: list[ValuePath] = field(default_factory=list)

    def line_of(self, path: ValuePath) -> int:
        """The line of ``path``, or of its nearest ancestor that has one (else line 1).

        A missing field has no line of its own; its parent mapping's line is where the
        user has to add it, so falling back to the ancestor gives the useful answer.
        """
        for end in range(len(path), -1, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return 1


def load_located(path: Path, display: str | None = None) -> LocatedDocument:
    """Read one YAML file into a ``LocatedDocument``.

    Args:
        path: the file to read.
        display: how to name the file in messages (defaults to ``str(path)``).

    Raises:
        QuestionBankError: the file cannot be read, is not UTF-8 text, or is not valid YAML
            (the error names the line the parser stopped at).
    """
    name = display if display is not None else str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            megabytes = size / 1_000_000
            raise QuestionBankError(
                name, None, "", f"too large for a question file ({megabytes:.1f} MB)"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise QuestionBankError(name, None, "", "no such file") from exc
    except IsADirectoryError as exc:
        raise QuestionBankError(name, None, "", "is a folder, not a YAML file") from exc
    except UnicodeDecodeError as exc:
        raise QuestionBankError(name, None, "", "not UTF-8 text; save the file as UTF-8") from exc
    except OSError as exc:
        raise QuestionBankError(name, None, "", f"cannot read the file ({exc.strerror})") from exc
    return parse_located(text, name)


def parse_located(text: str, name: str) -> LocatedDocument:
    """Parse YAML ``text`` (named ``name`` in messages) into a ``LocatedDocument``.

    Raises:
        QuestionBankError: the text is not valid YAML, or holds more than one document.
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line, problem = _describe_syntax_error(exc, text)
        raise QuestionBankError(name, line, "", f"YAML syntax error: {problem}") from exc
    except yaml.YAMLError as exc:
        raise QuestionBankError(name, None, "", f"YAML syntax error: {exc}") from exc
    except RecursionError as exc:
        raise QuestionBankError(name, None, "", "nested too deeply to read") from exc
    document = LocatedDocument(path=name, data=None)
    if node is not None:
        document.data = _Converter(document).convert(node, ())
    return document


def _describe_syntax_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """The line to blame and a message for a parser error.

    The parser often notices a problem only at the end of the file (an unclosed ``[`` or
    quote); the line where that construct *started* is then the one the user must fix, so it
    is preferred, and the message says what was being read there.
    """
    problem = exc.problem or exc.context or "invalid YAML"
    problem_line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
    context_line = exc.context_mark.line + 1 if exc.context_mark is not None else None
    lines = text.splitlines()
    last_line = max(1, len(lines))
    if problem_line is not None and problem_line <= len(lines) and "\t" in lines[problem_line - 1]:
        return problem_line, f"{problem} (indent with spaces: YAML does not allow tabs)"
    if context_line is not None and context_line != problem_line and exc.context:
        problem = f"{problem} ({exc.context} that starts on line {context_line})"
        if problem_line is None or problem_line > last_line:
            return context_line, problem
    return problem_line, problem


class _Converter:
    """Turns a composed node tree into plain values while filling the line table."""

    def __init__(self, document: LocatedDocument) -> None:
        self._document = document
        # SafeConstructor resolves scalars exactly as safe_load would (ints, bools, dates, ...).
        self._scalars = yaml.constructor.SafeConstructor()
        self._values = 0
        # Collections being converted right now: an alias back to one of them is a cycle.
        self._open: set[int] = set()

    def convert(self, node: yaml.Node, path: ValuePath) -> Any:
        # An alias node carries the line of its anchor; the path's own line (set from the key
        # by the caller) is where the alias is used, which is what a message should name.
        line = self._document.lines.setdefault(path, node.start_mark.line + 1)
        self._values += 1
        if self._values > MAX_VALUES:
            # Anchors and aliases can expand a small file into billions of values.
            raise self._fatal(line, f"holds more than {MAX_VALUES} values once aliases expand")
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        if len(path) > MAX_DEPTH:
            raise self._fatal(line, f"nested more than {MAX_DEPTH} levels deep")
        if id(node) in self._open:
            raise self._fatal(line, "an alias (*name) refers to a value that contains it")
        self._open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            return [self.convert(item, (*path, index)) for index, item in enumerate(node.value)]
        finally:
            self._open.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR_TAG:
            # Nearly every scalar in a question file is text; skip the generic constructor.
            return node.value
        try:
            return self._scalars.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as exc:
            problem = exc.problem or "cannot read this value"
            raise self._fatal(node.start_mark.line + 1, problem) from exc

    def _fatal(self, line: int, message: str) -> QuestionBankError:
        return QuestionBankError(self._document.path, line, "", message)

    def _mapping(self, node: yaml.MappingNode, path: ValuePath) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self._problem(key_line, path, "a key must be plain text, not a list or mapping")
                continue
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                first = self._document.lines.get((*path, key))
                self._problem(
                    key_line,
                    (*path, key),
                    f"duplicate key (already set on line {first}); YAML would keep only the last",
                )
                continue
            # The key's line is the most useful place to point at for the value too: for a block
            # value (a list under ``follow_ups:``) it is the line the user reads as "the field".
            self._document.lines[(*path, key)] = key_line
            result[key] = self.convert(value_node, (*path, key))
        return result

    def _problem(self, line: int, path: ValuePath, message: str) -> None:
        self._document.problems.append(
            QuestionBankError(self._document.path, line, format_field(path), message)
        )
        self._document.problem_paths.append(path)


def format_field(path: ValuePath) -> str:
    """Render a value path the way users read it: ``follow_ups[2].dimension``.

    The part of the path that selects the question inside the file (a leading list index, or
    ``questions`` plus an index) is dropped: the line number already locates the question, and
    ``questions[3].follow_ups`` reads worse than ``follow_ups``.
    """
    steps = list(path)
    if steps[:1] == ["questions"] and len(steps) > 1 and isinstance(steps[1], int):
        steps = steps[2:]
    elif steps and isinstance(steps[0], int):
        steps = steps[1:]
    text = ""
    for step in steps:
        if isinstance(step, int):
            text += f"[{step}]"
        else:
            text += f".{step}" if text else str(step)
    return text
