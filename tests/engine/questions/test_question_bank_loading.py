"""Merging the user's own question files with the bundled bank, caching, lookups and picking.

The data dir is isolated per test (tests/conftest.py), so the user question folder starts empty
and every file here is written by the test itself.
"""

from __future__ import annotations

import os
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from engine.errors import ConfigError, UnknownQuestionError
from engine.paths import bundled_question_bank_dir, user_questions_dir
from engine.questions.bank import QuestionBank, clear_cache, default_bank, validate_paths

USER_QUESTION = """\
- id: {id}
  category: {category}
  time_limit_s: 240
  prompt: Design a model that suggests substitutes for out-of-stock groceries.
  expected:
    system_design:
      - candidates from the same category ranked by predicted acceptance
      - a same-brand rule as the baseline
  follow_ups:
    - text: How do you handle a new product?
      dimension: system_design
    - text: What if acceptance misleads you?
      dimension: metrics
    - text: Now pickers have ten seconds. What changes?
      dimension: tradeoffs
      constraint: ten seconds per pick
  clarifications:
    users: Weekly shoppers.
    scale: Two hundred thousand orders a day.
    goal: Customers keep ordering.
"""


def user_file(name: str, text: str) -> Path:
    path = user_questions_dir() / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def question(qid: str, category: str = "design") -> str:
    return USER_QUESTION.format(id=qid, category=category)


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    clear_cache()


def test_user_questions_are_merged_with_the_bundled_bank() -> None:
    path = user_file("mine.yaml", question("design-grocery-substitutes"))
    bundled = QuestionBank.load(include_user=False)
    merged = QuestionBank.load()
    assert len(merged) == len(bundled) + 1
    mine = merged.get("design-grocery-substitutes")
    assert mine.source == f"{path}:1"
    assert merged.errors == ()
    assert mine in merged.by_category("design")


def test_yml_extension_is_read_and_other_files_are_ignored() -> None:
    user_file("a.yml", question("design-from-yml"))
    user_file("notes.txt", "not a question file")
    bank = QuestionBank.load()
    assert bank.get("design-from-yml").id == "design-from-yml"
    assert not any(name.endswith("notes.txt") for name in bank.files)


def test_a_broken_user_file_does_not_stop_the_rest_from_loading() -> None:
    broken = user_file("broken.yaml", "- id: design-broken\n  category: [design\n")
    user_file("good.yaml", question("design-good-one"))
    bank = QuestionBank.load()
    assert bank.get("design-good-one")
    assert bank.get("design-short-video-feed")
    assert len(bank.errors) == 1
    assert str(bank.errors[0]).startswith(f"{broken}:")
    assert "YAML syntax error" in str(bank.errors[0])


def test_a_bad_question_in_a_user_file_keeps_its_good_neighbours() -> None:
    user_file(
        "mixed.yaml",
        question("design-good-neighbour") + question("design-bad-one", category="designs"),
    )
    bank = QuestionBank.load()
    assert bank.get("design-good-neighbour")
    with pytest.raises(UnknownQuestionError):
        bank.get("design-bad-one")
    assert [(e.line, e.field) for e in bank.errors] == [(22, "category")]


def test_duplicate_id_across_files_is_reported_at_the_second_definition() -> None:
    first = user_file("a.yaml", question("design-twice"))
    second = user_file("b.yaml", "# my copy\n" + question("design-twice", category="metrics"))
    bank = QuestionBank.load()
    assert bank.get("design-twice").category == "design"
    assert [str(e) for e in bank.errors] == [
        f"{second}:2: id: duplicate id 'design-twice'; first defined at {first}:1"
    ]
    assert [str(e) for e in validate_paths([first, second])] == [str(bank.errors[0])]


def test_a_user_file_cannot_replace_a_bundled_question() -> None:
    mine = user_file("mine.yaml", question("design-short-video-feed", category="metrics"))
    bank = QuestionBank.load()
    assert bank.get("design-short-video-feed").category == "design"
    [error] = bank.errors
    assert error.path == str(mine) and error.line == 1 and error.field == "id"
    assert str(bundled_question_bank_dir() / "design.yaml") in error.problem


def test_default_bank_is_cached_until_the_user_folder_changes() -> None:
    first = default_bank()
    assert default_bank() is first
    path = user_file("new.yaml", question("design-added-later"))
    second = default_bank()
    assert second is not first
    assert second.get("design-added-later")
    # Editing a file in place (same name, new content and mtime) is picked up as well.
    path.write_text(question("design-renamed"), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    third = default_bank()
    assert third.get("design-renamed")
    with pytest.raises(UnknownQuestionError):
        third.get("design-added-later")
    path.unlink()
    assert len(default_bank()) == len(first)


def test_default_bank_follows_a_switch_of_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_file("mine.yaml", question("design-in-first-dir"))
    assert default_bank().get("design-in-first-dir")
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(tmp_path / "other"))
    with pytest.raises(UnknownQuestionError):
        default_bank().get("design-in-first-dir")


def test_unknown_id_suggests_close_ones() -> None:
    bank = QuestionBank.load(include_user=False)
    with pytest.raises(UnknownQuestionError, match="did you mean design-short-video-feed"):
        bank.get("design-short-video-fed")
    with pytest.raises(UnknownQuestionError, match="questions list"):
        bank.get("nothing-like-it-at-all")


def test_unknown_category_is_refused_with_the_valid_ones() -> None:
    bank = QuestionBank.load(include_user=False)
    with pytest.raises(ConfigError, match="choose from: design, diagnose"):
        bank.by_category("designs")
    with pytest.raises(ConfigError, match="unknown category 'ml'"):
        bank.pick(categories=["ml"])
    with pytest.raises(ConfigError, match="unknown difficulty 'brutal'"):
        bank.pick(difficulty="brutal")


def test_pick_is_repeatable_with_a_seed_and_varies_without_one() -> None:
    bank = QuestionBank.load(include_user=False)
    first = [q.id for q in bank.pick(count=5, seed=7)]
    assert first == [q.id for q in bank.pick(count=5, seed=7)]
    assert len(set(first)) == 5
    draws = {tuple(q.id for q in bank.pick(count=3, seed=seed)) for seed in range(20)}
    assert len(draws) > 10


def test_pick_spreads_a_set_across_the_chosen_categories() -> None:
    bank = QuestionBank.load(include_user=False)
    chosen = ["design", "metrics", "behavior"]
    for seed in range(10):
        picked = bank.pick(categories=chosen, count=3, seed=seed)
        assert sorted(q.category for q in picked) == sorted(chosen)
    six = bank.pick(count=6, seed=1)
    assert Counter(q.category for q in six) == Counter(
        {c: 1 for c in ("design", "diagnose", "metrics", "experimentation", "tradeoff", "behavior")}
    )


def test_pick_filters_by_difficulty_and_returns_what_exists() -> None:
    bank = QuestionBank.load(include_user=False)
    hard = bank.pick(difficulty="hard", count=100, seed=3)
    assert hard and all(q.difficulty == "hard" for q in hard)
    assert len(hard) == sum(q.difficulty == "hard" for q in bank.questions)
    easy_diagnose = bank.pick(categories=["diagnose"], difficulty=["easy"], count=10, seed=0)
    assert easy_diagnose and {q.category for q in easy_diagnose} == {"diagnose"}
    assert bank.pick(count=0) == []


def test_loading_the_whole_bank_parses_each_file_once(monkeypatch) -> None:
    """The slow path this guards against is re-reading files per question; counting the YAML
    parses says so without a wall-clock bound (the load time itself is ~30 ms here)."""
    import yaml

    parsed: list[str] = []
    real_compose = yaml.compose

    def counting_compose(stream, *args, **kwargs):
        parsed.append(stream if isinstance(stream, str) else "")
        return real_compose(stream, *args, **kwargs)

    monkeypatch.setattr(yaml, "compose", counting_compose)
    bank = QuestionBank.load()
    assert bank.questions
    assert len(parsed) == len(bank.files)


def test_hidden_editor_and_os_files_are_not_read() -> None:
    user_file(".mine.yaml", "- garbage: [\n")
    (user_questions_dir() / "._mine.yaml").write_bytes(b"\x00\x05\x16\x07 binary")
    user_file("mine.yaml", question("design-visible"))
    bank = QuestionBank.load()
    assert bank.errors == ()
    assert bank.get("design-visible")


def test_an_unusable_data_dir_still_leaves_the_bundled_bank(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data dir should be", encoding="utf-8")
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(blocker / "data"))
    bank = QuestionBank.load()
    assert bank.get("design-short-video-feed")
    [error] = bank.errors
    assert "cannot open your question folder" in str(error)
    assert default_bank().get("metrics-ai-writing-assistant")


def test_a_user_question_without_red_flags_loads_next_to_bundled_ones_with_them() -> None:
    """Red flags are required of the bundled files only; a user's file may leave them out."""
    user_file("mine.yaml", question("design-grocery-substitutes"))
    bank = default_bank()
    assert bank.errors == ()
    assert bank.get("design-grocery-substitutes").red_flags == ()
    assert len(bank.get("design-short-video-feed").red_flags) >= 2
