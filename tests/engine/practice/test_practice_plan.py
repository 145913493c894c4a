"""Today's practice on prepared histories: weakest skill, spaced reviews, job fit, bad history."""

from __future__ import annotations

import json
from datetime import date, timedelta

from engine.cli.main import main
from engine.paths import sessions_dir
from engine.practice.history import load_history
from engine.practice.plan import make_plan
from engine.questions.bank import default_bank
from tests.engine.practice.history_factory import save_attempt, scores_with

DAY = date(2026, 11, 20)


def _plan(today: date, job: str | None = None):
    return make_plan(default_bank().questions, load_history(), today, job)


def test_no_history_gives_a_balanced_starter_set():
    plan = _plan(DAY)
    assert len(plan.picks) == 3
    assert len({p.question.category for p in plan.picks}) == 3
    assert all(p.kind == "starter" for p in plan.picks)
    assert all("starter" in p.reason for p in plan.picks)


def test_weakest_dimension_drives_the_pick_and_the_reason_says_why():
    # Metrics is the lowest in four of five sessions; tradeoffs was lowest once, long ago.
    # Every answer is solid overall, so nothing is due for review.
    save_attempt(
        "design-short-video-feed",
        DAY - timedelta(days=9),
        scores_with(tradeoffs=2, communication=4),
    )
    for offset, qid in zip(
        (7, 5, 3, 1),
        (
            "design-ads-ranking",
            "design-ecommerce-search-ranking",
            "design-push-notification-policy",
            "design-people-you-may-know",
        ),
        strict=True,
    ):
        save_attempt(qid, DAY - timedelta(days=offset), scores_with(metrics=2, communication=4))
    plan = _plan(DAY)
    first = plan.picks[0]
    assert first.kind == "weakness"
    assert first.dimension == "metrics"
    assert first.question.category == "metrics"
    assert "lowest score in 4 of the last 5 sessions" in first.reason
    assert plan.weakest[0].dimension == "metrics"
    # nothing already answered comes back as "new"
    answered = {"design-short-video-feed", "design-ads-ranking"}
    assert not answered & {p.question.id for p in plan.picks if p.kind != "review"}


def test_low_scores_come_back_on_a_spaced_schedule():
    qid = "metrics-ad-relevance"
    save_attempt(qid, DAY, scores_with(metrics=1, experimentation=1, tradeoffs=2))
    assert qid not in {p.question.id for p in _plan(DAY).picks}
    review = next(p for p in _plan(DAY + timedelta(days=1)).picks if p.question.id == qid)
    assert review.kind == "review"
    assert review.due == DAY + timedelta(days=1)
    assert "due for review" in review.reason and "1 day" in review.reason
    # A solid retry the next day pushes the question out to the 3-day step.
    save_attempt(qid, DAY + timedelta(days=1), scores_with(metrics=3), hour=18)
    assert qid not in {p.question.id for p in _plan(DAY + timedelta(days=2)).picks}
    later = next(p for p in _plan(DAY + timedelta(days=4)).picks if p.question.id == qid)
    assert later.due == DAY + timedelta(days=4)
    assert "3 days" in later.reason


def test_the_plan_is_deterministic_for_a_history_and_a_date():
    save_attempt("design-ads-ranking", DAY - timedelta(days=2), scores_with(experimentation=1))
    save_attempt("metrics-ad-relevance", DAY - timedelta(days=1), scores_with(metrics=2))
    first = _plan(DAY).to_dict()
    assert first == _plan(DAY).to_dict()
    assert len(first["picks"]) == 3
    assert len({p["question"]["id"] for p in first["picks"]}) == 3


def test_job_description_ranks_questions_from_its_domain_and_quotes_it(tmp_path, capsys):
    job = tmp_path / "job.txt"
    job.write_text(
        "About the team\nWe protect millions of card payments a day.\n"
        "- Build real-time fraud detection models for card transactions\n"
        "- Partner with risk analysts on chargeback policy\n",
        encoding="utf-8",
    )
    assert main(["plan", "--job-description", str(job), "--json", "--date", "2026-11-20"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["job_domains"][0] == "fraud and risk"
    picks = payload["picks"]
    bank = default_bank()
    assert all("fraud" in bank.get(p["question"]["id"]).tags for p in picks)
    assert any("fraud detection" in (p["job_excerpt"] or "") for p in picks)


def test_empty_or_huge_job_description(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    assert main(["plan", "--job-description", str(empty)]) == 1
    assert "job description" in capsys.readouterr().err
    huge = tmp_path / "huge.txt"
    huge.write_text("We build search ranking for a marketplace. " * 40_000, encoding="utf-8")
    assert main(["plan", "--job-description", str(huge), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["job_domains"]


def test_corrupt_and_ungraded_sessions_are_skipped_and_said(capsys):
    save_attempt("design-ads-ranking", DAY - timedelta(days=1), scores_with(metrics=1))
    broken = sessions_dir() / "20261101-090000-broken"
    broken.mkdir(parents=True)
    (broken / "session.json").write_text("{not json", encoding="utf-8")
    assert main(["plan", "--date", DAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert "skipped session 20261101-090000-broken" in out
    assert out.count("\n1. ") + out.startswith("1. ") <= 1
    assert "Metrics" in out


def test_a_job_description_is_matched_by_meaning_without_domain_words(tmp_path, capsys):
    job = tmp_path / "job.txt"
    job.write_text(
        "Help us stop scammers who take over accounts and drain gift card balances.",
        encoding="utf-8",
    )
    assert main(["plan", "--job-description", str(job), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["job_domains"] == []  # not one of the domain words is in the text
    bank = default_bank()
    assert all("fraud" in bank.get(p["question"]["id"]).tags for p in payload["picks"])
    assert all("scammers" in p["job_excerpt"] for p in payload["picks"])
    assert not any("words only" in note for note in payload["notes"])
