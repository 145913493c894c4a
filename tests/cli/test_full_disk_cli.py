"""``mockinterview import`` on a full or read-only data dir: one clear line, nothing left behind.

The disks are real (a 300 KB tmpfs from ``tests/fixtures/tiny_disk.py``): libsndfile, SQLite and
Python each meet ENOSPC/EROFS their own way, which no mock would reproduce.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from engine.paths import DATA_DIR_ENV

REPO_ROOT = Path(__file__).resolve().parents[2]


def _import(jfk_path: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    # Emergency copies of session files go to the temp dir: keep them inside this test's folder.
    rescue_tmp = data_dir.parent.parent / "tmp"
    rescue_tmp.mkdir(exist_ok=True)
    env = dict(
        os.environ, HF_HUB_OFFLINE="1", TMPDIR=str(rescue_tmp), **{DATA_DIR_ENV: str(data_dir)}
    )
    return subprocess.run(
        [sys.executable, "-m", "engine", "import", str(jfk_path)]
        + ["--question", "design-short-video-feed"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def _one_clear_line(result: subprocess.CompletedProcess[str], *phrases: str) -> str:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "LibsndfileError" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("mockinterview import: ")
    for phrase in phrases:
        assert phrase in lines[0], lines[0]
    return lines[0]


def test_a_disk_that_fills_up_during_the_import(jfk_path: Path, tiny_disk: Path) -> None:
    # 300 KB takes the session file but not 11 s of 16 kHz audio (about 350 KB).
    data = tiny_disk / "data"
    result = _import(jfk_path, data)
    _one_clear_line(result, "turn-01.wav", "the disk is full", "--data-dir")
    assert list((data / "sessions").iterdir()) == []  # the half-made session is gone
    assert jfk_path.is_file()


def test_a_disk_full_before_the_import_starts(jfk_path: Path, full_disk: Path) -> None:
    result = _import(jfk_path, full_disk)
    _one_clear_line(result, "the disk is full")
    assert not any((full_disk / "sessions").iterdir())


def test_a_read_only_data_dir(jfk_path: Path, read_only_disk: Path) -> None:
    result = _import(jfk_path, read_only_disk / "data")
    _one_clear_line(result, "read-only")
