"""Malformed question files: every problem is reported as file:line: field: message.

Each test writes a small, realistic broken file (the kind of slip a person makes by hand) and
asserts the exact line and field a user would be pointed at.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from engine.errors import QuestionBankError
from engine.paths import bundled_question_bank_dir
from engine.questions.bank import (
    is_bundled_file,
    load_question_file,
    read_question_file,
    validate_paths,
)

GOOD_QUESTION = """\
- id: metrics-grocery-substitutes
  category: metrics
  difficulty: easy
  time_limit_s: 240
  prompt: How would you measure grocery substitutions?
  expected:
    metrics:
      - acceptance of substitutes with refunds as a guardrail
      - repeat orders as the long-term signal
  follow_ups:
    - text: Why might acceptance mislead you?
      dimension: metrics
      triggers: [Acceptance Rate]
    - text: What would a refund tell you?
      dimension: user_signals
    - text: Now pickers have ten seconds. What changes?
      dimension: tradeoffs
      constraint: ten seconds per pick
  clarifications:
    users: Weekly grocery shoppers.
    scale: Two hundred thousand orders a day.
    goal: Customers keep ordering.
"""


def write(tmp_path: Path, text: str, name: str = "mine.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [str(e) for e in validate_paths([path])]


def test_a_valid_file_loads_with_normalized_triggers(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_QUESTION)
    [question] = load_question_file(path)
    assert question.id == "metrics-grocery-substitutes"
    assert question.follow_ups[0].triggers == ("acceptance rate",)
    assert question.follow_ups[2].constraint == "ten seconds per pick"
    assert question.clarifications["scale"] == "Two hundred thousand orders a day."
    assert question.expected["metrics"][1] == "repeat orders as the long-term signal"
    assert question.source == f"{path}:1"


def test_typo_in_a_field_name_is_reported_on_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_QUESTION.replace("  follow_ups:\n", "  follow_up:\n"))
    found = messages(path)
    assert found[0] == f"{path}:1: follow_ups: required field is missing"
    assert found[1].startswith(f"{path}:10: follow_up: unknown field (did you mean 'follow_ups'?)")
    assert len(found) == 2


def test_every_problem_in_a_file_is_reported_not_just_the_first(tmp_path: Path) -> None:
    broken = (
        GOOD_QUESTION.replace("category: metrics", "category: metric")
        .replace("time_limit_s: 240", "time_limit_s: 4 minutes")
        .replace("difficulty: easy", "difficulty: tricky")
        .replace("dimension: user_signals", "dimension: signals")
        .replace("    goal: Customers", "    Goal Topic: Customers")
    )
    path = write(tmp_path, broken)
    assert messages(path) == [
        f"{path}:2: category: unknown category 'metric' (did you mean 'metrics'?); use one of: "
        "design, diagnose, metrics, experimentation, tradeoff, behavior",
        f"{path}:3: difficulty: must be one of easy, medium, hard, got the text 'tricky'",
        f"{path}:4: time_limit_s: must be a whole number of seconds, got the text '4 minutes'",
        f"{path}:15: follow_ups[1].dimension: unknown rubric dimension 'signals' (did you mean "
        "'user_signals'?); use one of: "
        "problem_framing, metrics, user_signals, system_design, tradeoffs, experimentation, "
        "diagnosis, communication",
        f"{path}:22: clarifications.Goal Topic: a topic must be one short lowercase word, like "
        "scale or users",
    ]


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        ("time_limit_s: 240", "time_limit_s: 5", 4, "time_limit_s", "between 30 and 1800"),
        ("time_limit_s: 240", "time_limit_s: yes", 4, "time_limit_s", "got yes/no (true)"),
        ("id: metrics-grocery-substitutes", "id: Metrics Grocery", 1, "id", "not a valid id"),
        ("prompt: How would", "prompt:\n    x: How would", 5, "prompt", "got a mapping"),
        (
            "    metrics:\n      - acceptance",
            "    diagnosis:\n      - acceptance",
            7,
            "expected.diagnosis",
            "only to questions of category diagnose",
        ),
        (
            "      triggers: [Acceptance Rate]",
            "      triggers: acceptance rate",
            13,
            "follow_ups[0].triggers",
            "must be a list",
        ),
        (
            "      dimension: tradeoffs\n",
            "",
            16,
            "follow_ups[2].dimension",
            "required field is missing",
        ),
        (
            "      constraint: ten seconds per pick",
            "      constraint: ''",
            18,
            "follow_ups[2].constraint",
            "must be non-empty",
        ),
        (
            "      - repeat orders as the long-term signal\n",
            "      - 42\n",
            9,
            "expected.metrics[1]",
            "must be text, got the number 42",
        ),
    ],
)
def test_field_rules_name_the_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, message: str
) -> None:
    assert old in GOOD_QUESTION
    path = write(tmp_path, GOOD_QUESTION.replace(old, new))
    [error] = validate_paths([path])
    assert (error.path, error.line, error.field) == (str(path), line, field)
    assert message in error.problem


def test_too_few_follow_ups_is_reported_at_the_list(tmp_path: Path) -> None:
    text = GOOD_QUESTION.replace(
        "    - text: Now pickers have ten seconds. What changes?\n"
        "      dimension: tradeoffs\n"
        "      constraint: ten seconds per pick\n",
        "",
    )
    path = write(tmp_path, text)
    assert messages(path) == [f"{path}:10: follow_ups: needs at least 3 follow-ups, got 2"]


def test_repeated_key_is_reported_with_both_lines(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_QUESTION.replace("  difficulty: easy\n", "  prompt: Again?\n"))
    [error] = validate_paths([path])
    assert str(error) == (
        f"{path}:5: prompt: duplicate key (already set on line 3); YAML would keep only the last"
    )


def test_yaml_syntax_error_names_its_line(tmp_path: Path) -> None:
    text = GOOD_QUESTION.replace("      triggers: [Acceptance Rate]", "      triggers: [ctr, cvr")
    path = write(tmp_path, text)
    [error] = validate_paths([path])
    assert error.line == 14
    assert error.field == ""
    assert str(error).startswith(f"{path}:14: YAML syntax error: ")


def test_bad_indentation_is_a_syntax_error_on_the_right_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_QUESTION.replace("  prompt: How", " prompt: How"))
    [error] = validate_paths([path])
    assert error.line == 5
    assert "YAML syntax error" in error.problem


def test_one_bad_question_does_not_hide_the_good_ones_in_the_same_file(tmp_path: Path) -> None:
    second = GOOD_QUESTION.replace("metrics-grocery-substitutes", "metrics-grocery-second")
    broken = GOOD_QUESTION.replace("category: metrics", "category: nope")
    path = write(tmp_path, broken + second)
    result = read_question_file(path)
    assert [q.id for q in result.questions] == ["metrics-grocery-second"]
    assert [(e.line, e.field) for e in result.errors] == [(2, "category")]
    with pytest.raises(QuestionBankError, match=r"mine\.yaml:2: category: unknown category"):
        load_question_file(path)


def test_duplicate_id_in_one_file_names_the_first_definition(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_QUESTION + GOOD_QUESTION)
    assert messages(path) == [
        f"{path}:23: id: duplicate id 'metrics-grocery-substitutes'; first defined at {path}:1"
    ]


def test_questions_key_and_single_question_layouts_are_accepted(tmp_path: Path) -> None:
    indented = textwrap.indent(GOOD_QUESTION, "  ")
    wrapped = write(tmp_path, "questions:\n" + indented, "wrapped.yaml")
    single = write(tmp_path, textwrap.dedent(GOOD_QUESTION.replace("- id:", "  id:")), "one.yaml")
    assert [q.id for q in load_question_file(wrapped)] == ["metrics-grocery-substitutes"]
    assert [q.id for q in load_question_file(single)] == ["metrics-grocery-substitutes"]
    bad = write(tmp_path, "questions:\n" + indented + "version: 2\n", "extra.yaml")
    assert messages(bad) == [
        f"{bad}:24: version: unknown top-level field; a file holds only `questions:`"
    ]


def test_field_paths_inside_a_questions_key_drop_the_wrapper(tmp_path: Path) -> None:
    indented = textwrap.indent(GOOD_QUESTION.replace("dimension: tradeoffs", "dimension: x"), "  ")
    path = write(tmp_path, "questions:\n" + indented)
    [error] = validate_paths([path])
    assert (error.line, error.field) == (18, "follow_ups[2].dimension")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", ":1: the file holds no questions"),
        ("# only a comment\n", ":1: the file holds no questions"),
        ("just some text\n", ":1: expected a list of questions"),
        ("- just a string\n", ":1: each question must be a mapping of fields, got the text"),
    ],
)
def test_files_without_questions_say_so(tmp_path: Path, content: str, expected: str) -> None:
    path = write(tmp_path, content)
    [message] = messages(path)
    assert message.startswith(str(path) + expected)


def test_unreadable_and_missing_files_are_reported_without_a_line(tmp_path: Path) -> None:
    binary = tmp_path / "latin1.yaml"
    binary.write_bytes("- id: caf\xe9\n".encode("latin-1"))
    missing = tmp_path / "missing.yaml"
    assert messages(binary) == [f"{binary}: not UTF-8 text; save the file as UTF-8"]
    assert messages(missing) == [f"{missing}: no such file or folder"]


def test_python_specific_yaml_tags_are_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path, GOOD_QUESTION.replace("prompt: How", "prompt: !!python/name:os.system How")
    )
    [error] = validate_paths([path])
    assert error.line == 5


def test_a_question_with_a_repeated_key_is_held_back(tmp_path: Path) -> None:
    second = GOOD_QUESTION.replace("metrics-grocery-substitutes", "metrics-grocery-second")
    broken = GOOD_QUESTION.replace("  difficulty: easy\n", "  prompt: Again?\n")
    result = read_question_file(write(tmp_path, broken + second))
    assert [q.id for q in result.questions] == ["metrics-grocery-second"]
    assert [e.field for e in result.errors] == ["prompt"]


def test_unclosed_quote_is_blamed_on_the_line_that_opened_it(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_QUESTION.replace("prompt: How would", "prompt: 'How would"))
    [error] = validate_paths([path])
    assert error.line == 5
    assert "quoted scalar that starts on line 5" in error.problem


def test_tab_indentation_gets_a_hint(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_QUESTION.replace("    metrics:\n", "\tmetrics:\n"))
    [error] = validate_paths([path])
    assert error.line == 7
    assert "YAML does not allow tabs" in error.problem


def test_alias_tricks_and_monster_files_get_a_message_not_a_hang(tmp_path: Path) -> None:
    cyclic = write(tmp_path, "- &me\n  id: x\n  self: *me\n", "cyclic.yaml")
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    bomb = write(tmp_path, "\n".join(levels) + "\n", "bomb.yaml")
    deep = write(tmp_path, "[" * 300 + "]" * 300 + "\n", "deep.yaml")
    huge = tmp_path / "huge.yaml"
    huge.write_text("# padding\n" * 600_000, encoding="utf-8")
    assert messages(cyclic) == [f"{cyclic}:3: an alias (*name) refers to a value that contains it"]
    [bomb_error] = validate_paths([bomb])
    assert bomb_error.problem == "holds more than 200000 values once aliases expand"
    assert messages(deep) == [f"{deep}:1: nested more than 40 levels deep"]
    assert messages(huge) == [f"{huge}: too large for a question file (6.0 MB)"]


def test_a_byte_order_mark_and_windows_line_endings_are_fine(tmp_path: Path) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_QUESTION.replace("\n", "\r\n").encode("utf-8"))
    [question] = load_question_file(path)
    assert question.prompt == "How would you measure grocery substitutions?"
    broken = tmp_path / "windows-bad.yaml"
    broken.write_bytes(
        GOOD_QUESTION.replace("difficulty: easy", "difficulty: x")
        .replace("\n", "\r\n")
        .encode("utf-8")
    )
    assert [e.line for e in validate_paths([broken])] == [3]


def test_trigger_phrases_that_could_never_match_are_reported(tmp_path: Path) -> None:
    text = GOOD_QUESTION.replace(
        "triggers: [Acceptance Rate]", "triggers: [ctr, A/B test, personali*]"
    )
    path = write(tmp_path, text)
    [error] = validate_paths([path])
    assert (error.line, error.field) == (13, "follow_ups[0].triggers[1]")
    assert error.problem.startswith("'a/b test' can never match")


# Lines 23-34 of this text hold the red flags; the tests below break one thing at a time.
RED_FLAGS = """\
  red_flags:
    - text: Counts an accepted substitute as a happy customer
      dimension: metrics
      claims:
        - "If they accepted the substitute, they were happy with it, full stop."
        - Acceptance rate is the only number I'd need here.
    - text: Lets the model pick any cheaper item to cut costs
      dimension: tradeoffs
      claims:
        - "I'd always send the cheapest item in the category, customers won't mind."
    - text: Ignores the picker's time
      dimension: problem_framing
      claims: [The picker can spend as long as they like choosing.]
"""
WITH_RED_FLAGS = GOOD_QUESTION + RED_FLAGS


def test_red_flags_load_with_their_dimension_and_claims(tmp_path: Path) -> None:
    [question] = load_question_file(write(tmp_path, WITH_RED_FLAGS))
    assert [r.dimension for r in question.red_flags] == ["metrics", "tradeoffs", "problem_framing"]
    first = question.red_flags[0]
    assert first.text == "Counts an accepted substitute as a happy customer"
    assert first.claims == (
        "If they accepted the substitute, they were happy with it, full stop.",
        "Acceptance rate is the only number I'd need here.",
    )
    assert question.red_flags[2].claims == ("The picker can spend as long as they like choosing.",)


def test_a_user_question_without_red_flags_still_loads(tmp_path: Path) -> None:
    """User files may leave red flags out; the grader falls back to the generic ones."""
    path = write(tmp_path, GOOD_QUESTION)
    assert messages(path) == []
    [question] = load_question_file(path)
    assert question.red_flags == ()


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "message"),
    [
        (
            RED_FLAGS,
            "  red_flags: Counts acceptance as happiness\n",
            23,
            "red_flags",
            "must be a list of red flags (each with text, dimension and claims), got the text",
        ),
        (RED_FLAGS, "  red_flags: []\n", 23, "red_flags", "needs at least 1 red flag(s), got 0"),
        (
            "    - text: Ignores the picker's time\n"
            "      dimension: problem_framing\n"
            "      claims: [The picker can spend as long as they like choosing.]\n",
            "    - Ignores the picker's time\n",
            33,
            "red_flags[2]",
            "each red flag must be a mapping with text, dimension and claims, got the text",
        ),
        (
            "    - text: Counts an accepted substitute as a happy customer\n      dimension",
            "    - dimension",
            24,
            "red_flags[0].text",
            "required field is missing",
        ),
        (
            "text: Ignores the picker's time",
            "text: ''",
            33,
            "red_flags[2].text",
            "must be non-empty text",
        ),
        (
            "      dimension: tradeoffs\n      claims:\n",
            "      dimension: trade_offs\n      claims:\n",
            30,
            "red_flags[1].dimension",
            "unknown rubric dimension 'trade_offs' (did you mean 'tradeoffs'?)",
        ),
        (
            "      dimension: problem_framing\n      claims: [The",
            "      dimension: diagnosis\n      claims: [The",
            34,
            "red_flags[2].dimension",
            "'diagnosis' applies only to questions of category diagnose",
        ),
        (
            "      dimension: problem_framing\n      claims: [The",
            "      claims: [The",
            33,
            "red_flags[2].dimension",
            "required field is missing",
        ),
        (
            "claims: [The picker can spend as long as they like choosing.]",
            "claims: The picker can spend as long as they like choosing.",
            35,
            "red_flags[2].claims",
            "must be a list (start each item with '- '), got a single text",
        ),
        (
            "claims: [The picker can spend as long as they like choosing.]",
            "claims: []",
            35,
            "red_flags[2].claims",
            "needs at least 1 item(s), got 0",
        ),
        (
            "        - Acceptance rate is the only number I'd need here.\n",
            "        - 42\n",
            28,
            "red_flags[0].claims[1]",
            "must be text, got the number 42",
        ),
        (
            "        - Acceptance rate is the only number I'd need here.\n",
            "        - ''\n",
            28,
            "red_flags[0].claims[1]",
            "must be non-empty text",
        ),
        (
            "claims: [The picker can spend as long as they like choosing.]",
            "claims: [a, b, c, d, e, f]",
            35,
            "red_flags[2].claims",
            "at most 5 claims, got 6",
        ),
        (
            "      dimension: tradeoffs\n      claims:\n",
            "      dimension: tradeoffs\n      claim: Cheaper is better.\n      claims:\n",
            31,
            "red_flags[1].claim",
            "unknown field (did you mean 'claims'?); known fields: text, dimension, claims",
        ),
        (
            "text: Ignores the picker's time",
            "text: counts an accepted substitute as a happy customer",
            33,
            "red_flags[2].text",
            "same text as red_flags[0]",
        ),
    ],
)
def test_malformed_red_flags_name_the_line_and_field(
    tmp_path: Path, old: str, new: str, line: int, field: str, message: str
) -> None:
    assert old in WITH_RED_FLAGS
    path = write(tmp_path, WITH_RED_FLAGS.replace(old, new))
    [error] = validate_paths([path])
    assert (error.path, error.line, error.field) == (str(path), line, field)
    assert message in error.problem
    # The whole question is held back, like any other invalid one.
    assert read_question_file(path).questions == ()


def test_the_bundled_bank_requires_at_least_two_red_flags(tmp_path: Path) -> None:
    missing = write(tmp_path, GOOD_QUESTION, "missing.yaml")
    [error] = read_question_file(missing, require_red_flags=True).errors
    assert str(error) == (
        f"{missing}:1: red_flags: required field is missing (every bundled question needs at "
        "least 2 red flags)"
    )
    one = write(
        tmp_path,
        GOOD_QUESTION + RED_FLAGS.split("    - text: Lets the model")[0],
        "one.yaml",
    )
    [error] = read_question_file(one, require_red_flags=True).errors
    assert str(error) == f"{one}:23: red_flags: needs at least 2 red flag(s), got 1"
    assert read_question_file(one).errors == ()


def test_the_requirement_follows_the_bundled_folder_not_a_copy(tmp_path: Path) -> None:
    """The shipped files are held to the stricter rule; the same text elsewhere is not."""
    shipped = bundled_question_bank_dir() / "metrics.yaml"
    assert is_bundled_file(shipped)
    copy = tmp_path / "metrics.yaml"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    assert not is_bundled_file(copy)
    stripped = tmp_path / "stripped.yaml"
    stripped.write_text(GOOD_QUESTION, encoding="utf-8")
    assert read_question_file(stripped).errors == ()
    assert read_question_file(stripped, require_red_flags=True).errors != ()
