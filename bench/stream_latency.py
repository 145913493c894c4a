"""How long does the user wait after they stop talking: streaming vs one batch pass.

Feeds an answer through ``StreamingSession`` in real-time-sized chunks (100 ms, what a microphone
callback delivers) and measures the time from the last chunk to ``finish()`` returning. It does
not sleep through the audio: after each chunk it waits only while the background worker is
still busy, capped at the chunk's real duration. An idle worker does nothing but wait for
audio, so skipping that idle time changes nothing but the wall clock, and a worker that is
slower than real time is left behind exactly as it would be live.

``batch_s`` is one transcription of the whole audio after the end (what a non-streaming app
makes the user wait); ``wer_vs_batch`` is the word error rate of the streamed transcript
measured against that batch transcript. ``cpu_per_audio_s`` is the process CPU time spent while
streaming (feeding, every pass and ``finish()``) per second of audio: Whisper's threads count,
so on two cores 0.4 means the streamer keeps about a fifth of the machine busy.
``finish_cpu_s`` is the CPU ``finish()`` itself spent: unlike its wall time it does not grow
when other programs compete for the cores (``load_average`` says how busy they were).

Examples:
    python bench/stream_latency.py --audio ../shared/data/jfk.flac --json
    python bench/stream_latency.py --synthetic-answer --runs 3 --json   # a ~3 minute answer
    python bench/stream_latency.py --audio answer.wav --repeat 4 --json
    python bench/stream_latency.py --long-real --runs 3 --json   # 3+ min of real speech
    python bench/stream_latency.py --long-real --no-closing-pause --runs 3 --json
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.speech_corpus import continuous_speech, trim_silence  # noqa: E402
from engine.speech.audio_io import SAMPLE_RATE, load_audio, write_wav  # noqa: E402
from engine.speech.transcriber import Transcriber, get_transcriber  # noqa: E402

JFK = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "jfk.flac"
JFK_TEXT = (
    "And so my fellow Americans, ask not what your country can do for you, "
    "ask what you can do for your country."
)

CLOSING_PAUSE_S = 1.0

# A spoken system-design answer, one utterance per entry, digit-free so TTS and Whisper agree.
ANSWER_SCRIPT = (
    "Before I design anything, I want to make sure I understand the goal of this feed.",
    "I will assume we care about long term engagement, not just clicks in the next session.",
    "So my main metric would be the share of users who come back within a week.",
    "As guardrails I would watch hide rates, reports, and the time it takes a page to load.",
    "Let me sketch the pipeline: candidate generation, a light ranker, then a heavy ranker.",
    "Candidate generation pulls a few thousand items from follows, topics, and similar users.",
    "The light ranker is a small model that trims that set down to a few hundred items.",
    "The heavy ranker can afford cross features between the user and each item.",
    "For labels, I would not train only on clicks, because clicks reward clickbait.",
    "I would combine dwell time, saves, and shares into a weighted engagement target.",
    "Negative feedback such as hiding a post should count strongly against an item.",
    "For features, the user history matters most, then the freshness of the item.",
    "I would also keep author quality signals, since new authors have little history.",
    "The cold start problem is real here, so new items get an exploration budget.",
    "Offline, I would check ranking quality with normalized discounted cumulative gain.",
    "But offline gains often fail to move the online metric, so we need an experiment.",
    "The experiment randomizes by user, runs for at least two full weeks, and watches novelty.",
    "One risk is a feedback loop, where the model only learns from what it already showed.",
    "To limit that, I would log a small random slice of traffic with uniform exploration.",
    "Latency matters too: the heavy ranker must answer in well under a hundred milliseconds.",
    "So I would cache user embeddings and compute item embeddings ahead of time.",
    "For monitoring, I would alert on shifts in feature distributions and in the score spread.",
    "If I had to cut scope, I would ship the light ranker first and learn from real traffic.",
    "To sum up, the design trades a little short term engagement for trust and retention.",
)


def build_synthetic_answer(
    min_s: float = 150.0, closing_pause_s: float = CLOSING_PAUSE_S
) -> tuple[np.ndarray, str]:
    """A 2-4 minute spoken answer: real speech (JFK) plus TTS sentences with natural pauses.

    Pauses vary (0.3 to 1.4 s) like a person thinking between sentences; some sentences follow
    each other with almost no gap, which forces the cutter to use short pauses. The answer ends
    with a closing pause (one second by default): the candidate stops talking, then presses
    "done"; ``--closing-pause-s 0.2`` measures a candidate who presses it mid-breath.
    """
    from engine.speech.voice import synthesize_samples

    pauses = (0.9, 0.3, 1.4, 0.5, 0.7, 0.35, 1.1, 0.6)
    parts: list[np.ndarray] = [load_audio(JFK), _silence(1.0)]
    texts = [JFK_TEXT]
    index = 0
    while sum(len(p) for p in parts) / SAMPLE_RATE < min_s:
        sentence = ANSWER_SCRIPT[index % len(ANSWER_SCRIPT)]
        parts.append(synthesize_samples(sentence, rate=170 + 10 * (index % 3)))
        parts.append(_silence(pauses[index % len(pauses)]))
        texts.append(sentence)
        index += 1
    parts[-1] = _silence(closing_pause_s)
    return np.concatenate(parts).astype(np.float32), " ".join(texts)


def repeat_with_pauses(samples: np.ndarray, times: int, pause_s: float = 1.0) -> np.ndarray:
    """The same audio ``times`` times with a pause between copies (to reach answer length)."""
    if times <= 1:
        return samples
    gap = _silence(pause_s)
    pieces: list[np.ndarray] = []
    for index in range(times):
        if index:
            pieces.append(gap)
        pieces.append(samples)
    return np.concatenate(pieces)


def stream_once(transcriber: Transcriber, samples: np.ndarray, chunk_s: float) -> dict:
    """Feed ``samples`` as a live microphone would and time ``finish()``."""
    chunk = max(1, int(chunk_s * SAMPLE_RATE))
    session = transcriber.stream()
    cpu_began = time.process_time()
    for start in range(0, len(samples), chunk):
        fed_at = time.perf_counter()
        session.feed(samples[start : start + chunk])
        # Wait only while the worker is busy, never longer than the chunk lasts in real time.
        session.wait_idle(timeout=max(0.0, chunk_s - (time.perf_counter() - fed_at)))
    began, finish_cpu = time.perf_counter(), time.process_time()
    transcript = session.finish()
    latency = time.perf_counter() - began
    cpu_s = time.process_time() - cpu_began
    return {
        "latency": latency,
        "finish_cpu_s": time.process_time() - finish_cpu,
        "cpu_s": cpu_s,
        "text": transcript.text,
        "stats": transcript.extra,
    }


def normalize(text: str) -> str:
    """Lower case, no punctuation: WER should count words, not commas."""
    text = text.lower().replace("-", " ")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return " ".join(text.split())


def wer(reference: str, hypothesis: str) -> float:
    import jiwer

    ref, hyp = normalize(reference), normalize(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return float(jiwer.wer(ref, hyp))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--audio", type=Path, help="audio file to stream")
    source.add_argument(
        "--synthetic-answer",
        action="store_true",
        help="build a ~2.5-3.5 minute answer from JFK + TTS sentences with pauses",
    )
    source.add_argument(
        "--long-real",
        action="store_true",
        help="3+ minutes of continuous real speech (bench/speech_corpus.py), 0.1-0.3 s gaps",
    )
    parser.add_argument(
        "--no-closing-pause",
        action="store_true",
        help="end the audio right after the last word (the user presses done mid-breath)",
    )
    parser.add_argument("--min-answer-s", type=float, default=150.0, help="synthetic length")
    parser.add_argument(
        "--closing-pause-s",
        type=float,
        default=CLOSING_PAUSE_S,
        help="silence after the last word of the synthetic answer",
    )
    parser.add_argument("--repeat", type=int, default=1, help="repeat the audio N times")
    parser.add_argument("--reference", help="reference text (adds wer_stream/wer_batch)")
    parser.add_argument("--runs", type=int, default=1, help="streaming runs; latency is the median")
    parser.add_argument("--chunk-ms", type=float, default=100.0)
    parser.add_argument("--model", help="Whisper model folder or name (default: bundled tiny.en)")
    parser.add_argument("--save-audio", type=Path, help="write the streamed audio as WAV")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args(argv)

    reference = args.reference
    if args.synthetic_answer:
        closing = 0.0 if args.no_closing_pause else args.closing_pause_s
        samples, script = build_synthetic_answer(args.min_answer_s, closing)
        reference = reference or script
    elif args.long_real:
        samples, script = continuous_speech(max(args.min_answer_s, 180.0))
        reference = reference or script
        if not args.no_closing_pause:
            samples = np.concatenate([samples, _silence(args.closing_pause_s)])
    else:
        samples = load_audio(args.audio)
        if reference is None and args.audio.resolve() == JFK.resolve():
            reference = JFK_TEXT
    samples = repeat_with_pauses(samples, args.repeat)
    if args.no_closing_pause:
        samples = samples[: len(trim_silence(samples, keep_s=0.0))]
    if reference and args.repeat > 1:
        reference = " ".join([reference] * args.repeat)
    if args.save_audio:
        write_wav(args.save_audio, samples)

    transcriber = get_transcriber(args.model)
    transcriber.load()
    transcriber.transcribe_samples(samples[: SAMPLE_RATE * 2])  # warm up the decoder

    runs = [stream_once(transcriber, samples, args.chunk_ms / 1000) for _ in range(args.runs)]
    began = time.perf_counter()
    batch = transcriber.transcribe_samples(samples)
    batch_s = time.perf_counter() - began

    latencies = [run["latency"] for run in runs]
    audio_s = len(samples) / SAMPLE_RATE
    cpu_ratios = [run["cpu_s"] / audio_s for run in runs]
    decoded = [run["stats"].get("streaming", {}).get("finish_decoded_s", 0.0) for run in runs]
    result = {
        "finish_latency_s": round(statistics.median(latencies), 3),
        "batch_s": round(batch_s, 3),
        "wer_vs_batch": round(statistics.median(wer(batch.text, r["text"]) for r in runs), 4),
        "cpu_per_audio_s": round(statistics.median(cpu_ratios), 3),
        "finish_decoded_s": round(statistics.median(decoded), 2),
        "finish_cpu_s": round(statistics.median(r["finish_cpu_s"] for r in runs), 3),
        "load_average": round(os.getloadavg()[0], 1),
        "audio_s": round(audio_s, 2),
        "finish_latency_runs": [round(value, 3) for value in latencies],
        "cpu_per_audio_s_runs": [round(value, 3) for value in cpu_ratios],
        "wer_vs_batch_runs": [round(wer(batch.text, r["text"]), 4) for r in runs],
        "model": transcriber.model_name,
        "chunk_ms": args.chunk_ms,
        "streaming": runs[0]["stats"].get("streaming", {}),
    }
    if reference:
        result["wer_stream"] = round(statistics.median(wer(reference, r["text"]) for r in runs), 4)
        result["wer_batch"] = round(wer(reference, batch.text), 4)
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>20}: {value}")
        print(f"\nstreamed: {runs[0]['text']}\n\nbatch:    {batch.text}")
    return 0


def _silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


if __name__ == "__main__":
    sys.exit(main())
