"""The labelled grading corpus meets the size and coverage issue 10 asks for, and loads strictly.

These tests read the real corpus files in tests/data/grading; the validation tests write small
broken copies to a temporary folder, because a loader that accepts a misspelt family or a label
of 5 would quietly skew every calibration figure computed from the corpus.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bench.grading_corpus import (
    CORPUS_DIR,
    FAMILIES,
    REDIRECT_FAMILIES,
    SPLITS,
    CorpusError,
    load_corpus,
)
from engine.paths import bundled_question_bank_dir
from engine.questions.bank import load_question_file, question_files
from engine.rubric import CATEGORIES

MIN_ANSWERS = 150
MIN_BANK_QUESTIONS = 25
MIN_FREE_QUESTIONS = 5
MIN_PER_FAMILY = 8


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_corpus_is_big_enough(corpus) -> None:
    assert len(corpus) >= MIN_ANSWERS
    bank = {a.question_id for a in corpus if a.question_id is not None}
    free = {a.file for a in corpus if a.question_id is None}
    assert len(bank) >= MIN_BANK_QUESTIONS
    assert len(free) >= MIN_FREE_QUESTIONS


def test_bank_questions_span_every_category(corpus) -> None:
    categories = {a.category for a in corpus if a.question_id is not None}
    assert categories == set(CATEGORIES)


def test_every_bank_id_exists_in_the_bundled_bank(corpus) -> None:
    files = question_files(bundled_question_bank_dir())
    bank_ids = {question.id for path in files for question in load_question_file(path)}
    assert {a.question_id for a in corpus if a.question_id} <= bank_ids


def test_every_family_is_common_enough_and_in_both_halves(corpus) -> None:
    counts = Counter(a.family for a in corpus)
    by_half = {half: Counter(a.family for a in corpus if a.split == half) for half in SPLITS}
    for family in FAMILIES:
        assert counts[family] >= MIN_PER_FAMILY, family
        for half in SPLITS:
            assert by_half[half][family] >= 1, (family, half)


def test_halves_are_about_equal_and_both_hold_bank_and_free_questions(corpus) -> None:
    tune, report = load_corpus("tune"), load_corpus("report")
    assert len(tune) + len(report) == len(corpus)
    assert abs(len(tune) - len(report)) <= len(corpus) * 0.15
    for half in (tune, report):
        assert any(a.question_id is None for a in half)
        assert any(a.question_id is not None for a in half)
        assert {a.label for a in half} == {1, 2, 3, 4}


def test_each_question_has_several_answers(corpus) -> None:
    per_file = Counter(a.file for a in corpus)
    assert min(per_file.values()) >= 5, per_file.most_common()[-1]


def test_each_question_spans_weak_to_strong(corpus) -> None:
    labels: dict[str, set[int]] = {}
    for answer in corpus:
        labels.setdefault(answer.file, set()).add(answer.label)
    for file, seen in labels.items():
        assert min(seen) == 1 and max(seen) >= 3, file


def test_probe_targets_exist_exactly_where_a_probe_is_due(corpus) -> None:
    for answer in corpus:
        if answer.family in REDIRECT_FAMILIES:
            assert answer.probe_ok is None, answer.id
        elif answer.label < 3:
            assert answer.probe_ok, answer.id


def test_duplicated_answers_repeat_a_single_answer_and_keep_its_label(corpus) -> None:
    by_id = {a.id: a for a in corpus}
    duplicated = [a for a in corpus if a.family == "duplicated"]
    assert duplicated
    for answer in duplicated:
        original = by_id[answer.duplicate_of]
        assert answer.label == original.label
        assert answer.text == f"{original.text} {original.text}"


def test_lengths_vary_as_spoken_answers_do(corpus) -> None:
    words = {a.id: len(a.text.split()) for a in corpus}
    for answer in corpus:
        if answer.family == "long_shallow":
            assert words[answer.id] >= 300, answer.id
        if answer.family == "very_short":
            assert words[answer.id] <= 45, answer.id
        if answer.family == "strong_concise":
            assert 60 <= words[answer.id] <= 150, answer.id


# --- validation: broken copies of the corpus are refused with the file and entry named ---


def _broken_copy(tmp_path: Path, edit) -> Path:
    folder = tmp_path / "grading"
    shutil.copytree(CORPUS_DIR, folder)
    path = folder / "answers" / "metrics-fraud-model.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["answers"][0].update(family="brilliant"), "unknown family 'brilliant'"),
        (lambda d: d["answers"][0].update(label=5), "whole number from 1 to 4"),
        (lambda d: d.update(question={"id": "metrics-no-such-question"}), "unknown bank id"),
        (lambda d: d["answers"][1].update(id=d["answers"][0]["id"]), "id already used"),
        (lambda d: d["answers"][0].update(probe_ok=["metric"]), "'metric' is not a rubric"),
        (lambda d: d["answers"][0].update(probe_ok=["diagnosis"]), "'diagnosis' is not a"),
    ],
)
def test_broken_corpus_is_refused_naming_file_and_entry(tmp_path, edit, message) -> None:
    folder = _broken_copy(tmp_path, edit)
    with pytest.raises(CorpusError, match="metrics-fraud-model.yaml") as excinfo:
        load_corpus(folder=folder)
    assert message in str(excinfo.value)


def test_unknown_split_name_is_refused() -> None:
    with pytest.raises(CorpusError, match="unknown split 'train'"):
        load_corpus("train")


def test_a_file_missing_from_the_split_is_refused(tmp_path) -> None:
    folder = tmp_path / "grading"
    shutil.copytree(CORPUS_DIR, folder)
    shutil.copy(folder / "answers" / "metrics-fraud-model.yaml", folder / "answers" / "extra.yaml")
    with pytest.raises(CorpusError, match="files in no half: extra"):
        load_corpus(folder=folder)
