"""Retry a stored question and see the change: real offline grading, real session folders."""

from __future__ import annotations

import json
import shutil

from engine.cli.main import main
from engine.practice.retry import compare_with_previous, retry_target
from engine.store.sessions import load_session
from tests.engine.practice.history_factory import save_graded_answer

QUESTION_ID = "metrics-ad-relevance"

FIRST = (
    "Um, so I think I would build a model that predicts if the ad is relevant and then show "
    "the relevant ones. We can use a neural network trained on past data. It should work well "
    "and people will like the ads more."
)
BETTER = (
    "I'd start with who is affected: people scrolling the feed, who want ads that fit what they "
    "care about, and advertisers who want the right audience. The main metric I'd use is the "
    "share of ad impressions that people don't hide or report, because hides are an explicit "
    "signal that an ad felt irrelevant. Click-through rate alone would mislead us, since "
    "clickbait gets clicks and then a fast bounce, so I'd pair it with post-click dwell time. "
    "As a guardrail I'd watch overall time in the feed and ad hides per thousand impressions, "
    "so we don't buy relevance by showing fewer ads or annoying people. I'd also run a small "
    "survey asking people how relevant an ad was, to calibrate the behavioural signals."
)


def _first_attempt(tmp_path):
    return save_graded_answer(QUESTION_ID, FIRST)


def test_retry_that_improves_metrics_shows_the_delta_and_the_new_quotes(tmp_path, capsys):
    first = _first_attempt(tmp_path)
    better = tmp_path / "better.txt"
    better.write_text(BETTER, encoding="utf-8")
    assert main(["retry", first.id, "--answer", str(better), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["retry_of"] == {"session": first.id, "question": 1}
    rows = {r["dimension"]: r for r in payload["comparison"]["dimensions"]}
    metrics = rows["metrics"]
    assert metrics["after"] > metrics["before"]
    assert metrics["delta"] == metrics["after"] - metrics["before"]
    assert metrics["new_quotes"], "a rise must show the quotes that earned it"
    assert all(q in BETTER for q in metrics["new_quotes"])
    assert payload["comparison"]["overall_delta"] > 0
    # linked in the store, and the comparison is rebuilt from the stored sessions alone
    retry = load_session(payload["session"])
    assert retry.settings["retry_of"]["session"] == first.id
    again = compare_with_previous(retry)
    assert again is not None and again.overall_delta == payload["comparison"]["overall_delta"]


def test_retry_text_output_reads_before_and_after(tmp_path, capsys):
    first = _first_attempt(tmp_path)
    better = tmp_path / "better.txt"
    better.write_text(BETTER, encoding="utf-8")
    assert main(["retry", first.id, "--answer", str(better)]) == 0
    out = capsys.readouterr().out
    assert "Saved retry as session" in out
    assert "Metrics" in out and "→" in out
    assert 'new: "' in out


def test_retry_works_when_the_earlier_audio_is_gone(tmp_path, capsys):
    first = _first_attempt(tmp_path)
    audio_dir = first.folder / "audio"
    shutil.rmtree(audio_dir, ignore_errors=True)
    target = retry_target(first.id, 1)
    assert target.question.id == QUESTION_ID
    assert target.record.turns[0].transcript is not None


def test_retry_of_a_missing_question_number_is_a_clear_error(tmp_path, capsys):
    first = _first_attempt(tmp_path)
    assert main(["retry", first.id, "--question", "3", "--answer", str(tmp_path / "x.txt")]) == 1
    err = capsys.readouterr().err
    assert "has 1 question" in err and "--question must be 1-1" in err


def test_attempts_of_one_question_are_grouped_with_their_trend(tmp_path, capsys):
    from engine.practice.attempts import group_by_question
    from engine.practice.history import load_history

    first = _first_attempt(tmp_path)
    better = tmp_path / "better.txt"
    better.write_text(BETTER, encoding="utf-8")
    assert main(["retry", first.id, "--answer", str(better)]) == 0
    save_graded_answer("design-ads-ranking", BETTER)
    groups = group_by_question(load_history())
    assert groups[0].question_id == QUESTION_ID
    assert len(groups[0].attempts) == 2
    assert groups[0].change > 0
    assert " → " in groups[0].trend_text()
    assert len(groups) == 2 and len(groups[1].attempts) == 1


def test_exported_report_of_a_retry_carries_the_change_and_the_study_card(tmp_path, capsys):
    first = _first_attempt(tmp_path)
    better = tmp_path / "better.txt"
    better.write_text(BETTER, encoding="utf-8")
    assert main(["retry", first.id, "--answer", str(better), "--json"]) == 0
    retry_id = json.loads(capsys.readouterr().out)["session"]
    for fmt in ("md", "html", "pdf"):
        out = tmp_path / f"report.{fmt}"
        assert main(["report", retry_id, "--format", fmt, "-o", str(out)]) == 0
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "## Compared with your previous attempt" in markdown
    assert f"previous attempt: session {first.id}" in markdown
    assert "## Q1: what a strong answer covers" in markdown
    assert "- [x] Metrics:" in markdown and "- [ ] " in markdown
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Compared with your previous attempt" in html
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
