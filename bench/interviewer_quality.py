"""Does the interviewer behave like a person over whole conversations? A checklist per interview.

Scripted candidates of known quality (strong, medium, weak) and adversarial ones (silence, noise,
gibberish, repeating the question, off topic, a generic template, a monologue past the limit,
three clarifying questions in a row, "just tell me the answer") are replayed from
``bench/candidates/*.yaml`` through ``mockinterview demo``'s host: every candidate turn is
spoken with our TTS voice, streamed through the Whisper transcriber in half-second chunks as
fast as it takes them (no sleeping, as ``bench/stream_latency.py`` does), and driven through
the same interview state machine the desktop uses. ``--real-mic`` instead plays each turn into
a virtual microphone (a private PulseAudio, ``tests/fixtures/virtual_mic.py``) in real time and
records it with the app's recorder, so a run takes as long as the answers.

Each interview is scored on true/false checks (``CHECKS``); a check that cannot apply to an
interview (no clarifying question was asked) is left out rather than counted as passed. Output:
``{"interviews", "checks", "passed", "pass_rate", "failures": [...]}`` plus per-interview detail.
Every candidate file is also a ``mockinterview demo --answers FILE --json`` input, so a failure
can be replayed and read by hand.

Examples:
    python bench/interviewer_quality.py --json
    python bench/interviewer_quality.py --only strong-feed-and-drop --only silent --json
    python bench/interviewer_quality.py --real-mic --json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.candidate_script import CandidateScript, load_candidate_script  # noqa: E402
from engine.interviewer.follow_ups import SOLID_SCORE, probe_key  # noqa: E402
from engine.interviewer.phrasing import QUOTED_LEAD, spoken  # noqa: E402
from engine.interviewer.redirects import OVER_TIME_GRACE_S  # noqa: E402
from engine.questions.model import Question  # noqa: E402

CANDIDATES_DIR = Path(__file__).resolve().parent / "candidates"

ADVERSARIAL_CEILING = 1.8
"""No adversarial candidate may score above this on any question."""

REDIRECT_BEHAVIOURS = frozenset({"off_topic", "gibberish", "repeating", "solution_request"})
"""Adversarial behaviours the interviewer must answer with a redirect rather than a probe."""

PROBE_BEHAVIOURS = frozenset({"generic"})
"""Adversarial behaviours that are weak attempts at the question (a template answer), which the
interviewer must probe rather than redirect, although grading rates them low on relevance."""

NOTE_FOR_BEHAVIOUR = {
    "silence": "nothing was heard",
    "noise": "nothing was heard",
    "monologue": "ran past its limit",
    "solution_request": "asked for the answer",
}
"""What the report must say happened, per adversarial behaviour (``session.notes``)."""

LEAK_NGRAM = 4
"""A run of this many words from an expected point, said by the interviewer, is a leak."""

CHECKS = (
    "no_repeated_probe",
    "no_probe_on_solid",
    "clarifications_from_bank",
    "redirect_on_off_topic",
    "no_expected_points_leaked",
    "wrap_up_on_time",
    "report_quotes_verbatim",
    "probe_quotes_verbatim",
    "score_order",
    "adversarial_ceiling",
    "session_saved_and_explained",
)

Capture = Callable[[Any], Any]


# --------------------------------------------------------------------------------- running
def run_candidate(
    path: Path,
    out_dir: Path,
    capture: Capture | None = None,
    question_ids: Sequence[str] = (),
) -> tuple[CandidateScript, dict[str, Any]]:
    """Replay one candidate file as a whole spoken interview; its ``demo --json`` summary."""
    from engine.demo import run_demo
    from engine.demo_summary import interview_summary

    script = load_candidate_script(path)
    exchanges: list[dict[str, Any]] = []
    session = run_demo(
        out_dir=out_dir,
        answers=path,
        question_ids=question_ids,
        log=exchanges,
        capture=capture,
    )
    return script, interview_summary(session, exchanges)


# --------------------------------------------------------------------------------- checking
def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def _ngrams(words: Sequence[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def _bank_question(question_id: str | None) -> Question | None:
    if not question_id:
        return None
    from engine.questions.bank import QuestionBank

    return QuestionBank.load(include_user=False).get(question_id)


def check_interview(
    script: CandidateScript, summary: dict[str, Any]
) -> dict[str, tuple[bool, str]]:
    """The checks that apply to one interview: check id -> (passed, what went wrong)."""
    results: dict[str, tuple[bool, str]] = {}
    turns = summary["turns"]
    questions = summary["questions"]
    bank = [_bank_question(q["id"]) for q in questions]
    probes = [t for t in turns if t["reply_purpose"] == "follow_up"]

    keys = [probe_key(t["reply"]) for t in probes]
    repeated = sorted({t["reply"] for t, k in zip(probes, keys, strict=True) if keys.count(k) > 1})
    results["no_repeated_probe"] = (not repeated, f"asked twice: {repeated}")

    on_solid = _probes_on_solid(probes, summary["grades"])
    results["no_probe_on_solid"] = (not on_solid, f"probed solid dimensions: {on_solid}")

    clar = _clarifications_from_bank(turns, bank)
    if clar is not None:
        results["clarifications_from_bank"] = clar

    results["redirect_on_off_topic"] = _redirects(script, turns)
    results["no_expected_points_leaked"] = _leaks(turns, bank)
    results["wrap_up_on_time"] = _wrap_ups(turns)
    results["report_quotes_verbatim"] = _report_quotes(summary)
    quoted = [t for t in probes if t.get("probe_quote")]
    if quoted:
        bad = [t["probe_quote"] for t in quoted if t["probe_quote"] not in t["heard"]]
        results["probe_quotes_verbatim"] = (not bad, f"not in the transcript: {bad}")
    if script.kind == "adversarial":
        scores = [q["overall"] for q in questions if q["overall"] is not None]
        high = [s for s in scores if s > ADVERSARIAL_CEILING]
        results["adversarial_ceiling"] = (not high, f"scored {high} (ceiling 1.8)")
    results["session_saved_and_explained"] = _saved(script, summary)
    return results


def _probes_on_solid(probes: Iterable[dict[str, Any]], grades: list[dict[str, Any]]) -> list[str]:
    """Gap probes whose dimension was already solid over the question's answers so far.

    Constraint changes are left out: they do not probe a gap, they test whether a solid plan
    adapts (``engine.interviewer.follow_ups``).
    """
    found = []
    for probe in probes:
        if probe.get("probe_constraint") or probe["turn"] is None:
            continue
        dimension = probe["probe_dimension"]
        earlier = [
            g
            for g in grades
            if g["question_index"] == probe["question_index"] and g["turn"] <= probe["turn"]
        ]
        best = 0
        for graded in earlier:
            for score in graded["grade"]["dimensions"]:
                if score["id"] == dimension and score["score"] is not None:
                    best = max(best, score["score"])
        if best >= SOLID_SCORE:
            found.append(f"{dimension} (scored {best})")
    return found


def _clarifications_from_bank(
    turns: list[dict[str, Any]], bank: list[Question | None]
) -> tuple[bool, str] | None:
    """Every clarifying question on a bank question got one of the bank's answers."""
    asked = [
        t
        for t in turns
        if t["reply_purpose"] == "clarification_reply" and bank[t["question_index"]] is not None
    ]
    asked = [t for t in asked if bank[t["question_index"]].clarifications]  # type: ignore[union-attr]
    if not asked:
        return None
    unanswered = []
    for turn in asked:
        question = bank[turn["question_index"]]
        assert question is not None
        reply = " ".join(_words(turn["reply"]))
        answers = [" ".join(_words(spoken(a))) for a in question.clarifications.values()]
        if not any(a and a in reply for a in answers):
            unanswered.append(turn["heard"])
    return (not unanswered, f"not answered from the bank: {unanswered}")


def _redirects(script: CandidateScript, turns: list[dict[str, Any]]) -> tuple[bool, str]:
    """Off-topic turns get a redirect; on-topic candidates and generic attempts never do."""
    redirected = [t for t in turns if t["redirect"]]
    if script.behaviour in REDIRECT_BEHAVIOURS:
        first = next((t for t in turns if t["behaviour"] == "speech"), None)
        ok = first is not None and first["redirect"]
        reply = first["reply_purpose"] if first else "nothing"
        return ok, f"the first {script.behaviour} turn got a {reply}, not a redirect"
    if script.behaviour in PROBE_BEHAVIOURS:
        first = next((t for t in turns if t["behaviour"] == "speech"), None)
        ok = first is not None and first["reply_purpose"] == "follow_up" and not redirected
        reply = first["reply_purpose"] if first else "nothing"
        return ok, f"the first {script.behaviour} turn got a {reply}, not a probe"
    if script.kind in ("strong", "medium", "weak"):
        return not redirected, f"redirected on-topic answers: {[t['heard'] for t in redirected]}"
    return True, ""


def _leaks(turns: list[dict[str, Any]], bank: list[Question | None]) -> tuple[bool, str]:
    """No interviewer line holds a run of an expected point's words that the prompt lacks."""
    leaked = []
    for number, question in enumerate(bank):
        if question is None or not question.expected:
            continue
        allowed_text = " ".join(
            [question.prompt, question.context, *question.clarifications.values()]
        )
        allowed = _ngrams(_words(f"{allowed_text} {spoken(allowed_text)}"), LEAK_NGRAM)
        # A probe's quoted lead repeats the candidate's own words: those are not handed out.
        lines = " ".join(
            f"{t['asked']} | {QUOTED_LEAD.sub('', t['reply'])}"
            for t in turns
            if t["question_index"] == number
        )
        said = _ngrams(_words(lines), LEAK_NGRAM)
        for points in question.expected.values():
            for point in points:
                grams = _ngrams(_words(point), LEAK_NGRAM) - allowed
                if grams & said:
                    leaked.append(point)
    return (not leaked, f"expected points said by the interviewer: {leaked}")


def _wrap_ups(turns: list[dict[str, Any]]) -> tuple[bool, str]:
    """A turn past its window gets a wrap-up (never a probe); a turn within it never does."""
    wrong = []
    for turn in turns:
        window = turn["window_s"]
        over = window is not None and turn["duration_s"] > window + OVER_TIME_GRACE_S
        if over != turn["wrap_up"]:
            state = "over" if over else "within"
            wrong.append(f"{turn['duration_s']:.0f} s of {window} s ({state}): {turn['reply']!r}")
    return (not wrong, f"wrong wrap-up decisions: {wrong}")


def _report_quotes(summary: dict[str, Any]) -> tuple[bool, str]:
    heard = {g["turn"]: g["heard"] for g in summary["grades"]}
    bad = [
        q["quote"]
        for question in summary["questions"]
        for q in question["quotes"]
        if q["quote"] not in heard.get(q["turn"], "")
    ]
    return (not bad, f"quotes not in their transcript: {bad}")


def _saved(script: CandidateScript, summary: dict[str, Any]) -> tuple[bool, str]:
    folder = summary.get("session")
    if not folder or not (Path(folder) / "session.json").is_file():
        return False, "no session.json"
    if summary["status"] != "complete":
        return False, f"session status {summary['status']}"
    expected = NOTE_FOR_BEHAVIOUR.get(script.behaviour)
    interrupted = any(t["interrupted"] for t in summary["turns"])
    notes = " ".join(summary["notes"])
    if expected and expected not in notes:
        return False, f"the report does not say {expected!r}: {summary['notes']}"
    if interrupted and "before the question was fully spoken" not in notes:
        return False, f"the interruption is not in the report: {summary['notes']}"
    return True, ""


def score_order(runs: list[tuple[CandidateScript, dict[str, Any]]]) -> dict[str, tuple[bool, str]]:
    """strong > medium > weak on every question the three tiers answered; keyed by candidate."""
    by_question: dict[str, dict[str, tuple[str, float]]] = {}
    for script, summary in runs:
        if script.kind not in ("strong", "medium", "weak"):
            continue
        for question in summary["questions"]:
            key = question["id"] or question["text"]
            if question["overall"] is not None:
                by_question.setdefault(key, {})[script.kind] = (script.name, question["overall"])
    results: dict[str, tuple[bool, str]] = {}
    for key, tiers in by_question.items():
        if set(tiers) != {"strong", "medium", "weak"}:
            continue
        strong, medium, weak = (tiers[k][1] for k in ("strong", "medium", "weak"))
        ok = strong > medium > weak
        detail = f"{key}: strong {strong}, medium {medium}, weak {weak}"
        for name, _score in tiers.values():
            held = results.get(name, (True, ""))
            results[name] = (held[0] and ok, held[1] if ok else detail)
    return results


def evaluate(runs: list[tuple[CandidateScript, dict[str, Any]]]) -> dict[str, Any]:
    """The harness figure over all interviews."""
    order = score_order(runs)
    failures = []
    interviews = []
    total = passed = 0
    for script, summary in runs:
        results = check_interview(script, summary)
        if script.name in order:
            results["score_order"] = order[script.name]
        for check, (ok, detail) in results.items():
            total += 1
            passed += ok
            if not ok:
                failures.append({"interview": script.name, "check": check, "detail": detail})
        interviews.append(
            {
                "candidate": script.name,
                "kind": script.kind,
                "behaviour": script.behaviour,
                "questions": [q["id"] or q["text"] for q in summary["questions"]],
                "scores": [q["overall"] for q in summary["questions"]],
                "probes": [
                    {"dimension": t["probe_dimension"], "text": t["reply"]}
                    for t in summary["turns"]
                    if t["reply_purpose"] == "follow_up"
                ],
                "redirects": sum(1 for t in summary["turns"] if t["redirect"]),
                "checks": {k: ok for k, (ok, _d) in results.items()},
            }
        )
    questions = {q for i in interviews for q in i["questions"]}
    return {
        "interviews": len(runs),
        "questions": len(questions),
        "checks": total,
        "passed": passed,
        "pass_rate": round(passed / total, 3) if total else 0.0,
        "failures": failures,
        "per_interview": interviews,
    }


# --------------------------------------------------------------------------------- real mic
def real_mic_capture(root: Path) -> tuple[Capture, Callable[[], None]]:
    """A capture that plays each turn into a virtual microphone and records it in real time.

    The app's recorder reads the private PulseAudio's pipe source through sounddevice, and each
    chunk it delivers goes straight into the streaming transcriber, as in the desktop. A second
    of silence follows every turn: audio arrives up to a second after it is written.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "fixtures"))
    from virtual_mic import VirtualMic  # type: ignore[import-not-found]

    root.mkdir(parents=True, exist_ok=True)
    mic = VirtualMic(root)
    mic.start()

    def capture(audio: Any) -> Any:
        import numpy as np

        from engine.speech.recorder import Recorder
        from engine.speech.transcriber import get_transcriber

        stream = get_transcriber(None).stream(tentative=False)
        recorder = Recorder(
            root / f"turn-{time.monotonic_ns()}.wav", device=mic.device, on_chunk=stream.feed
        )
        recorder.start()
        try:
            mic.feed(np.concatenate([audio, np.zeros(16000, dtype=np.float32)]))
        finally:
            recorder.stop()
        return stream.finish()

    return capture, mic.close


# --------------------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", default=str(CANDIDATES_DIR), metavar="DIR")
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--real-mic", action="store_true", help="through a virtual microphone")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    paths = sorted(Path(args.candidates).glob("*.yaml"))
    if args.only:
        paths = [p for p in paths if p.stem in args.only]
    began = time.perf_counter()
    cpu_began = time.process_time()
    runs = []
    with tempfile.TemporaryDirectory(prefix="interviewer-quality-") as scratch:
        capture, stop = (None, None)
        if args.real_mic:
            capture, stop = real_mic_capture(Path(scratch) / "mic")
        try:
            for path in paths:
                runs.append(run_candidate(path, Path(scratch) / path.stem, capture))
                print(f"ran {path.stem}", file=sys.stderr, flush=True)
        finally:
            if stop is not None:
                stop()
        result = evaluate(runs)
    result["wall_s"] = round(time.perf_counter() - began, 1)
    result["cpu_s"] = round(time.process_time() - cpu_began, 1)
    result["path"] = "virtual microphone, real time" if args.real_mic else "chunked stream"
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['passed']}/{result['checks']} checks passed ({result['pass_rate']:.0%})")
        for failure in result["failures"]:
            print(f"  {failure['interview']}: {failure['check']}: {failure['detail']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
