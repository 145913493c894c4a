"""Time from process start to the first shown window of the desktop app.

Runs ``python -m engine gui`` (the same path as ``mockinterview gui``) several times with an
isolated data dir; the app writes a marker once its window has been shown and painted
(``MOCKINTERVIEW_STARTUP_MARKER``) and quits at once (``MOCKINTERVIEW_QUIT_AFTER_SHOWN``). The
figure is the marker's timestamp minus the moment just before the process was spawned, so it
includes interpreter start-up, imports, building the window and the first paint.

Usage:
    .venv/bin/python bench/startup.py [--runs 7] [--json]

Uses the offscreen Qt platform unless DISPLAY is set (then the real X server, e.g. Xvfb).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def one_run(data_dir: Path) -> tuple[float, list[str]]:
    marker = data_dir / "shown.json"
    marker.unlink(missing_ok=True)
    env = dict(os.environ)
    env["MOCKINTERVIEW_DATA_DIR"] = str(data_dir)
    env["MOCKINTERVIEW_STARTUP_MARKER"] = str(marker)
    env["MOCKINTERVIEW_QUIT_AFTER_SHOWN"] = "1"
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    started = time.time()
    subprocess.run(
        [sys.executable, "-m", "engine", "gui"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=60,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    data = json.loads(marker.read_text(encoding="utf-8"))
    return float(data["shown_at"]) - started, list(data["heavy_modules"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mi-startup-") as tmp:
        one_run(Path(tmp))  # warm the OS file cache; not counted
        results = [one_run(Path(tmp)) for _ in range(args.runs)]
    times = [t for t, _ in results]
    heavy = sorted({m for _, mods in results for m in mods})
    summary = {
        "startup_to_window_s_median": round(statistics.median(times), 3),
        "min_s": round(min(times), 3),
        "max_s": round(max(times), 3),
        "runs": args.runs,
        "heavy_modules_before_show": heavy,
        "platform": "xcb" if os.environ.get("DISPLAY") else "offscreen",
    }
    if args.json:
        print(json.dumps(summary))
    else:
        print(
            f"start to first window: median {summary['startup_to_window_s_median']:.3f} s "
            f"(min {summary['min_s']:.3f}, max {summary['max_s']:.3f}, {args.runs} runs, "
            f"{summary['platform']}); heavy modules imported before show: {heavy or 'none'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
