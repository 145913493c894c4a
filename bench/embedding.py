"""Sentence-embedding speed: model load, one typical answer, the whole question bank, a huge answer.

What it measures (medians over ``--runs``; wall time and this process's CPU time, because the
machine may be shared and CPU time shows the cost without other people's load):

- ``load``: a fresh process importing ``engine.semantic`` and calling ``load_encoder()``.
- ``answer_30``: 30 sentences of the calibration answers (about 28 tokens each), uncached.
- ``bank``: every prompt, expected point, follow-up and red flag of the bundled bank, uncached;
  then the same through ``embed(cache=True)``: first run (fills the cache) and a later run (hits).
- ``words_10000``: a 10,000-word answer in 17-word sentences, the grader's worst case.

    .venv/bin/python bench/embedding.py [--runs 7] [--threads N] [--json]

``--threads`` sets OpenBLAS's and onnxruntime's thread counts (default: one per core; with int8
products the encoder itself keeps OpenBLAS to one thread). ``--precision float32`` measures the
exact path.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CALIBRATION_ANSWERS = REPO_ROOT / "tests" / "data" / "calibration" / "answers.yaml"
LOAD_SNIPPET = (
    "import time; t, c = time.perf_counter(), time.process_time(); "
    "from engine.semantic import load_encoder; load_encoder(); "
    "print(time.perf_counter() - t, time.process_time() - c)"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--precision", choices=("int8", "float32"), default="int8")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.threads:
        os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)  # before numpy is imported
        os.environ["MOCKINTERVIEW_EMBEDDING_THREADS"] = str(args.threads)  # onnxruntime
    os.environ["MOCKINTERVIEW_EMBEDDING_PRECISION"] = args.precision
    sys.path.insert(0, str(REPO_ROOT))
    tmp = tempfile.TemporaryDirectory()
    os.environ["MOCKINTERVIEW_DATA_DIR"] = tmp.name

    from engine.semantic import embed, load_encoder

    result: dict = {"openblas": openblas_info(), "runs": args.runs, "load_avg": os.getloadavg()}
    loads = load_times(args.runs)
    result["load"] = {
        "wall_s": statistics.median(w for w, _ in loads),
        "cpu_s": statistics.median(c for _, c in loads),
        "precision": args.precision,
    }
    encoder = load_encoder()

    answer = answer_sentences()[:30]
    result["answer_30"] = timed(lambda: encoder.encode(answer), args.runs)
    result["answer_30"]["tokens"] = sum(encoder.token_count(s) for s in answer)

    bank = bank_texts()
    result["bank"] = timed(lambda: encoder.encode(bank), max(1, args.runs // 3))
    result["bank"]["texts"] = len(bank)
    result["bank"]["tokens"] = sum(encoder.token_count(s) for s in bank)
    first = time.perf_counter()
    embed(bank, cache=True)
    result["bank"]["cache_fill_wall_s"] = time.perf_counter() - first
    result["bank_cached"] = timed(lambda: embed(bank, cache=True), args.runs)

    words = " ".join(answer).split()
    huge = [" ".join((words * 400)[i : i + 17]) for i in range(0, 10_000, 17)]
    result["words_10000"] = timed(lambda: encoder.encode(huge), max(1, args.runs // 3))
    result["words_10000"]["sentences"] = len(huge)
    result["words_10000"]["tokens"] = sum(encoder.token_count(s) for s in huge)
    tmp.cleanup()

    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"OpenBLAS: {result['openblas']}; load average {result['load_avg']}")
    load = result["load"]
    print(
        f"load: {load['wall_s'] * 1e3:.0f} ms wall, {load['cpu_s'] * 1e3:.0f} ms CPU (new process)"
    )
    for name in ("answer_30", "bank", "bank_cached", "words_10000"):
        row = result[name]
        extra = {k: v for k, v in row.items() if k not in ("wall_ms", "cpu_ms")}
        print(f"{name}: {row['wall_ms']:.1f} ms wall, {row['cpu_ms']:.1f} ms CPU  {extra}")


def timed(work, runs: int) -> dict:
    """Median wall and CPU milliseconds of ``work()`` after one warm-up call."""
    work()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return {"wall_ms": statistics.median(walls) * 1e3, "cpu_ms": statistics.median(cpus) * 1e3}


def load_times(runs: int) -> list[tuple[float, float]]:
    """Wall and CPU seconds from import to loaded model, each in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    times = []
    for _ in range(runs):
        command = [sys.executable, "-c", LOAD_SNIPPET]
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        wall, cpu = out.stdout.split()
        times.append((float(wall), float(cpu)))
    return times


def answer_sentences() -> list[str]:
    """Sentences of the calibration's strong and ok answers, in file order."""
    import yaml

    answers = yaml.safe_load(CALIBRATION_ANSWERS.read_text(encoding="utf-8"))
    sentences = []
    for entry in answers.values():
        for kind in ("strong", "ok"):
            text = entry.get(kind)
            if isinstance(text, str):
                sentences += [s for s in re.split(r"(?<=[.!?])\s+", text.strip()) if s]
    return sentences


def bank_texts() -> list[str]:
    """Every text of the bundled bank a grader compares answers with."""
    from engine.questions.bank import QuestionBank

    texts = []
    for question in QuestionBank.load(include_user=False).questions:
        texts.append(question.prompt)
        for points in question.expected.values():
            texts.extend(points)
        texts.extend(follow_up.text for follow_up in question.follow_ups)
        for flag in getattr(question, "red_flags", ()):
            texts.append(flag if isinstance(flag, str) else flag.text)
    return texts


def openblas_info() -> dict:
    """OpenBLAS's kernel and thread count as numpy's bundled copy reports them."""
    import ctypes

    import numpy as np

    libs = sorted((Path(np.__file__).parent.parent / "numpy.libs").glob("libscipy_openblas*.so"))
    if not libs:
        return {"found": False}
    lib = ctypes.CDLL(str(libs[0]))
    lib.scipy_openblas_get_corename64_.restype = ctypes.c_char_p
    return {
        "core": lib.scipy_openblas_get_corename64_().decode(),
        "threads": lib.scipy_openblas_get_num_threads64_(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
    }


if __name__ == "__main__":
    main()
