"""How well the offline grader agrees with human labels, and whether it can be gamed.

Reads the labelled corpus (tests/data/grading/, see its README) and grades every answer of one
half with the real offline grader. Prints, for that half:

* Spearman rank correlation between the grader's overall score and the label;
* pairwise ordering accuracy: over every pair of answers *to the same question* with different
  labels, the share the grader puts in the same order (a tie counts as half);
* the highest overall score of each adversarial family, against its ceiling;
* duplicated answers against their single version (+0.1 allowed);
* for the follow-up policy (issue 14): among answers labelled below solid, the share whose
  proposed probe targets a dimension the labeller marked acceptable (``probe_ok``).

The report half is the default and the only one quoted as the result; ``--split tune`` is for
tuning, and its figures are labelled as such wherever they are shown.

    .venv/bin/python bench/grading_quality.py [--split report|tune|all] [--json] [--show]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from bench.grading_corpus import CorpusAnswer, load_corpus  # noqa: E402
from engine.engines import make_grader  # noqa: E402
from engine.grading.base import GradeRequest  # noqa: E402
from engine.grading.offline import OfflineGrader  # noqa: E402
from engine.grading.result import Grade  # noqa: E402
from engine.interviewer.follow_ups import chosen_probe_dimension  # noqa: E402
from engine.questions.bank import default_bank  # noqa: E402
from engine.questions.model import Question, free_question  # noqa: E402
from engine.transcript import Transcript  # noqa: E402

# The highest overall each adversarial family may reach (issue 10). confidently_wrong and
# long_shallow are labelled 1-2, and the grader may fairly credit the one or two sound points
# they contain, so their ceiling is 2.0 rather than the 1.8 of answers that say nothing.
CEILINGS: dict[str, float] = {
    "template": 1.8,
    "jargon": 1.8,
    "signpost_only": 1.8,
    "off_topic_strong": 1.5,
    "off_topic_chat": 1.5,
    "very_short": 1.5,
    "other_language": 1.5,
    "confidently_wrong": 2.0,
    "long_shallow": 2.0,
}
DUPLICATE_SLACK = 0.1
TARGET_SPEARMAN = 0.85
TARGET_PAIRWISE = 0.90


@dataclass(frozen=True)
class Graded:
    answer: CorpusAnswer
    grade: Grade
    seconds: float


def question_for(answer: CorpusAnswer) -> Question:
    """The bank question an answer was written for, or the free question it names."""
    if answer.question_id:
        return default_bank().get(answer.question_id)
    return free_question(answer.question_text, answer.category)


def grade_all(answers: Sequence[CorpusAnswer], grader: OfflineGrader | None = None) -> list[Graded]:
    grader = grader or make_grader("offline")
    graded = []
    for answer in answers:
        request = GradeRequest(question_for(answer), Transcript.from_text(answer.text))
        start = time.perf_counter()
        grade = grader.grade(request)
        graded.append(Graded(answer, grade, time.perf_counter() - start))
    return graded


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    """Spearman's rho with average ranks for ties (Pearson on the ranks)."""
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


def pairwise(graded: Sequence[Graded]) -> tuple[float, int, list[tuple[str, str]]]:
    """Share of same-question pairs with different labels the grader orders the same way."""
    by_question: dict[str, list[Graded]] = defaultdict(list)
    for g in graded:
        by_question[g.answer.file].append(g)
    right = 0.0
    total = 0
    wrong: list[tuple[str, str]] = []
    for items in by_question.values():
        for i, a in enumerate(items):
            for b in items[i + 1 :]:
                if a.answer.label == b.answer.label:
                    continue
                total += 1
                hi, lo = (a, b) if a.answer.label > b.answer.label else (b, a)
                if hi.grade.overall > lo.grade.overall:
                    right += 1
                elif hi.grade.overall == lo.grade.overall:
                    right += 0.5
                    wrong.append((hi.answer.id, lo.answer.id))
                else:
                    wrong.append((hi.answer.id, lo.answer.id))
    return (right / total if total else 1.0), total, wrong


def family_maxima(graded: Sequence[Graded]) -> dict[str, dict[str, object]]:
    table: dict[str, dict[str, object]] = {}
    for family, ceiling in CEILINGS.items():
        members = [g for g in graded if g.answer.family == family]
        if not members:
            continue
        top = max(members, key=lambda g: g.grade.overall)
        table[family] = {
            "n": len(members),
            "max": round(top.grade.overall, 2),
            "ceiling": ceiling,
            "ok": top.grade.overall <= ceiling + 1e-9,
            "worst": top.answer.id,
        }
    return table


def duplicates(graded: Sequence[Graded]) -> dict[str, object]:
    by_id = {g.answer.id: g for g in graded}
    rows = []
    for g in graded:
        original = by_id.get(g.answer.duplicate_of or "")
        if g.answer.family != "duplicated" or original is None:
            continue
        rows.append((g.answer.id, g.grade.overall - original.grade.overall))
    worst = max(rows, key=lambda r: r[1], default=None)
    return {
        "n": len(rows),
        "max_gain": None if worst is None else round(worst[1], 2),
        "allowed": DUPLICATE_SLACK,
        "ok": worst is None or worst[1] <= DUPLICATE_SLACK + 1e-9,
    }


def probe_share(graded: Sequence[Graded]) -> dict[str, object]:
    """Among answers labelled below solid that carry probe_ok, how often the probe fits.

    The probe is the one the interview would ask (``chosen_probe_dimension``: an answer the
    grade calls off topic is redirected, which counts as a miss), as the tuning-half test counts.
    """
    eligible = [g for g in graded if g.answer.label < 3 and g.answer.probe_ok]
    hits = sum(
        1
        for g in eligible
        if chosen_probe_dimension(question_for(g.answer), g.grade, g.answer.text)
        in g.answer.probe_ok
    )
    return {"n": len(eligible), "share": round(hits / len(eligible), 3) if eligible else None}


def evaluate(split: str | None) -> dict[str, object]:
    answers = load_corpus(split)
    graded = grade_all(answers)
    labels = [float(g.answer.label) for g in graded]
    scores = [g.grade.overall for g in graded]
    accuracy, pairs, wrong = pairwise(graded)
    seconds = sorted(g.seconds for g in graded)
    return {
        "split": split or "all",
        "answers": len(graded),
        "questions": len({g.answer.file for g in graded}),
        "spearman": round(spearman(scores, labels), 3),
        "pairwise_accuracy": round(accuracy, 3),
        "pairs": pairs,
        "misordered_pairs": wrong,
        "families": family_maxima(graded),
        "duplicated": duplicates(graded),
        "probe_ok_share_below_solid": probe_share(graded),
        "median_ms_per_answer": round(1000 * statistics.median(seconds), 1) if seconds else None,
        "targets": {"spearman": TARGET_SPEARMAN, "pairwise_accuracy": TARGET_PAIRWISE},
        "_graded": graded,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="report", choices=("report", "tune", "all"))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show", action="store_true", help="list every answer's score")
    args = parser.parse_args(argv)
    result = evaluate(None if args.split == "all" else args.split)
    graded: list[Graded] = result.pop("_graded")  # type: ignore[assignment]
    if args.show:
        for g in sorted(graded, key=lambda g: (g.answer.file, -g.answer.label)):
            a = g.answer
            print(
                f"{a.id:42} {a.family:18} label {a.label}  overall {g.grade.overall:.2f}  "
                f"rel {g.grade.relevance if g.grade.relevance is not None else float('nan'):.2f}"
                f"  flags {len(g.grade.red_flags)}",
                file=sys.stderr,
            )
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['split']} half: {result['answers']} answers, {result['questions']} questions")
    print(f"Spearman {result['spearman']} (target >= {TARGET_SPEARMAN})")
    print(
        f"Pairwise ordering {result['pairwise_accuracy']} over {result['pairs']} pairs "
        f"(target >= {TARGET_PAIRWISE})"
    )
    for family, row in result["families"].items():  # type: ignore[union-attr]
        mark = "ok" if row["ok"] else "OVER"
        print(
            f"  {family:18} n={row['n']:2}  max {row['max']:.2f}  ceiling {row['ceiling']}  {mark}"
        )
    print(f"Duplicated: {result['duplicated']}")
    print(f"Probe in probe_ok (below solid): {result['probe_ok_share_below_solid']}")
    print(f"Median {result['median_ms_per_answer']} ms per answer")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
