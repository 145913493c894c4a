"""How long the UI thread is stuck while an answer is recorded, streamed, graded and reported.

A 5 ms precise timer on the UI thread records the gap between its ticks; a gap much longer than
the interval means the event loop could not turn (a frozen window). The probe runs while JFK's
11 s of real speech is played into the REAL virtual microphone (a private PulseAudio, see
tests/fixtures/virtual_mic.py) and goes through the real main window and interview controller:
recorder -> streaming Whisper (tiny.en) -> finish -> offline grading -> save -> the closing
line -> the report screen being built and filled.

A watchdog thread samples the UI thread's Python stack whenever it has not ticked for
``--blame-ms`` (30 ms by default), so a stall can be pinned on what held the thread: our code
on the UI thread, or (stack parked in the event loop) another thread holding the interpreter.

Usage:
    .venv/bin/python bench/ui_stall.py [--runs 5] [--json]

Needs pulseaudio (``make setup`` installs it); uses the offscreen Qt platform.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["MOCKINTERVIEW_DATA_DIR"] = tempfile.mkdtemp(prefix="mockinterview-stall-")

JFK = REPO.parent / "shared" / "data" / "jfk.flac"
QUESTION_ID = "metrics-ai-writing-assistant"
TARGET_MS = 50.0


class StallProbe:
    """The longest gaps between ticks of a fast timer on the UI thread, plus who caused them."""

    def __init__(self, interval_ms: int, blame_ms: float) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.interval_s = interval_ms / 1000
        self.blame_s = blame_ms / 1000
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self.waits: list[float] = []  # per gap: seconds the OS kept the UI thread off the CPU
        self.blamed: collections.Counter[str] = collections.Counter()
        self.phase = lambda: ""
        self.long_gaps: list[tuple[float, float, str]] = []  # (ms, net ms, phase) over blame_ms
        self._last = 0.0
        self._main_id = threading.get_ident()
        self._stop = threading.Event()
        self._watchdog = threading.Thread(target=self._watch, name="stall-watchdog", daemon=True)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._last_wait = _runqueue_wait_s()
        self.timer.start()
        self._watchdog.start()

    def stop(self) -> None:
        self.timer.stop()
        self._stop.set()
        self._watchdog.join(timeout=2)

    def _tick(self) -> None:
        now = time.perf_counter()
        wait = _runqueue_wait_s()
        self.gaps.append(now - self._last)
        self.waits.append(wait - self._last_wait)
        if now - self._last > self.blame_s:
            gap_ms = (now - self._last) * 1000
            net_ms = gap_ms - (wait - self._last_wait) * 1000
            self.long_gaps.append((round(gap_ms, 1), round(net_ms, 1), self.phase()))
        self._last, self._last_wait = now, wait

    def _watch(self) -> None:
        sampled_for = -1.0
        while not self._stop.wait(0.005):
            last = self._last
            if time.perf_counter() - last < self.blame_s or last == sampled_for:
                continue
            sampled_for = last  # one sample per stall
            frame = sys._current_frames().get(self._main_id)
            if frame is None:
                continue
            stack = traceback.extract_stack(frame)
            ours = [f for f in stack if "/desktop/" in f.filename or "/engine/" in f.filename]
            chain = ours[-3:] if ours else stack[-1:]
            where = " < ".join(
                f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(chain)
            )
            if not ours:
                where = f"(event loop: another thread held the GIL) {where}"
            self.blamed[where] += 1

    def stall_ms(self, q: float | None = None, *, net: bool = False) -> float:
        """The longest stall (or the ``q`` quantile) in ms, minus the timer interval.

        ``net``: minus the time the UI thread sat in the OS run queue (another process had the
        core), which is the machine's load, not the app; what remains is our code on the UI
        thread or another of our threads holding the interpreter lock.
        """
        gaps = [g - w for g, w in zip(self.gaps, self.waits, strict=True)] if net else self.gaps
        ordered = sorted(gaps)
        if not ordered:
            return 0.0
        gap = ordered[-1] if q is None else ordered[min(len(ordered) - 1, int(q * len(ordered)))]
        return max(0.0, (gap - self.interval_s) * 1000)


def _runqueue_wait_s() -> float:
    """Seconds this thread has spent runnable but waiting for a CPU (Linux schedstat)."""
    try:
        with open("/proc/thread-self/schedstat", encoding="ascii") as handle:
            return int(handle.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):  # not Linux: no correction
        return 0.0


def wait_until(predicate, timeout_s: float, what: str) -> None:
    """Run the event loop until ``predicate()`` holds (never sleeping on the UI thread)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s

    def check() -> None:
        if predicate() or time.monotonic() > deadline:
            loop.quit()

    poll = QTimer()
    poll.setInterval(10)
    poll.timeout.connect(check)
    poll.start()
    if not predicate():
        loop.exec()
    poll.stop()
    if not predicate():
        raise SystemExit(f"timed out after {timeout_s:g} s waiting for {what}")


def one_run(mic, interval_ms: int, blame_ms: float) -> dict:
    from desktop.controllers import interview_controller as ic
    from desktop.main_window import MainWindow
    from desktop.workers import wait_for_all

    mic.reset()
    window = MainWindow()
    window.resize(1120, 760)
    window.show()
    controller = window.controller
    screen = window.interview_screen
    setup = window.setup_screen
    wait_until(lambda: setup.bank_loaded, 20, "the question bank")
    setup.pick_radio.setChecked(True)
    setup.set_picked([QUESTION_ID])
    setup.follow_ups_spin.setValue(0)
    setup.time_limit_spin.setValue(0)
    setup.start_button.click()
    wait_until(lambda: controller.state == ic.SPEAKING, 30, "the interviewer to speak")
    listening = []
    controller.listening_started.connect(lambda _limit: listening.append(True))
    controller.start_answer_now()  # Space while the interviewer speaks
    wait_until(lambda: bool(listening), 30, "the microphone to open")

    from engine.speech.audio_io import load_audio

    speech = load_audio(JFK)  # decoded before the probe: the harness must not stall the UI
    probe = StallProbe(interval_ms, blame_ms)
    probe.phase = lambda: f"{controller.state}/{window.current_screen_name}"
    started_cpu = time.process_time()
    probe.start()
    finished = []
    controller.finished.connect(lambda _session: finished.append(True))
    answers = 0
    # JFK does not answer the product question, so the interviewer restates it (at most
    # MAX_REDIRECTS times) before moving on: each redirect is answered again with the same speech,
    # which measures recording, streaming and grading once per turn.
    while not finished:
        answers += 1
        heard = len(listening)
        mic.feed(speech, wait=False)
        wait_until(lambda: "country" in screen.transcript.full_text().lower(), 60, "the transcript")
        controller.finish_answer()  # Space while listening
        wait_until(
            lambda heard=heard: bool(finished) or len(listening) > heard,
            90,
            "grading and saving, or the next turn",
        )
        if answers > 4:
            raise SystemExit("the interview never finished: more turns than redirects allow")
    wait_until(lambda: window.current_screen_name == "report", 30, "the report screen")
    ticks = len(probe.gaps)
    wait_until(lambda: len(probe.gaps) > ticks + 20, 10, "a few ticks after the report")
    probe.stop()
    cpu_s = time.process_time() - started_cpu

    window.close()
    wait_until(lambda: not window.isVisible(), 60, "the window to close")
    wait_for_all(30_000)
    window.deleteLater()
    over = sum(1 for gap in probe.gaps if (gap - probe.interval_s) * 1000 > TARGET_MS)
    return {
        "longest_stall_ms": round(probe.stall_ms(), 1),
        "longest_stall_net_ms": round(probe.stall_ms(net=True), 1),
        "p99_ms": round(probe.stall_ms(0.99), 1),
        "p999_ms": round(probe.stall_ms(0.999), 1),
        "ticks": len(probe.gaps),
        "answers": answers,
        "stalls_over_target": over,
        "process_cpu_s": round(cpu_s, 2),
        "load_1min": round(os.getloadavg()[0], 2),
        "blamed": dict(probe.blamed.most_common(6)),
        "long_gaps": probe.long_gaps,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--interval-ms", type=int, default=5)
    parser.add_argument("--blame-ms", type=float, default=30.0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    from tests.fixtures.virtual_mic import VirtualMic  # before anything imports sounddevice

    mic = VirtualMic(Path(tempfile.mkdtemp(prefix="mockinterview-stall-mic-")))
    mic.start()
    try:
        from PySide6.QtWidgets import QApplication

        from desktop.errors import setup_logging
        from engine.speech.transcriber import get_transcriber

        app = QApplication.instance() or QApplication(sys.argv[:1])
        setup_logging()
        get_transcriber(None).load()  # the app has it loaded long before the first answer
        runs = [one_run(mic, args.interval_ms, args.blame_ms) for _ in range(args.runs)]
        del app
    finally:
        mic.close()

    longest = [r["longest_stall_ms"] for r in runs]
    net = [r["longest_stall_net_ms"] for r in runs]
    summary = {
        "runs": runs,
        "median_longest_stall_ms": statistics.median(longest),
        "max_longest_stall_ms": max(longest),
        "median_longest_stall_net_ms": statistics.median(net),
        "max_longest_stall_net_ms": max(net),
        "median_p99_ms": statistics.median(r["p99_ms"] for r in runs),
        "target_ms": TARGET_MS,
    }
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for i, run in enumerate(runs, 1):
            print(
                f"run {i}: longest stall {run['longest_stall_ms']} ms "
                f"(net of run-queue wait {run['longest_stall_net_ms']} ms), "
                f"p99 {run['p99_ms']} ms, "
                f"{run['stalls_over_target']} over {TARGET_MS:g} ms, {run['ticks']} ticks, "
                f"load {run['load_1min']}"
            )
            for where, count in run["blamed"].items():
                print(f"    {count} x {where}")
            for gap_ms, net_ms, phase in run["long_gaps"]:
                print(f"    gap {gap_ms} ms (net {net_ms} ms) in {phase}")
        print(
            f"median longest stall {summary['median_longest_stall_ms']} ms "
            f"(max {summary['max_longest_stall_ms']} ms); net of run-queue wait "
            f"{summary['median_longest_stall_net_ms']} ms "
            f"(max {summary['max_longest_stall_net_ms']} ms); target <= {TARGET_MS:g} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
