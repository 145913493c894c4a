"""Fixtures for the store tests: emergency copies kept inside the test's tmp dir, and real
small or read-only filesystems (tmpfs mounts) for the disk-full and read-only cases."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Emergency copies go to the temp dir; keep them inside this test's folder."""
    temp = tmp_path / "systemp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


class Mount:
    """A real tmpfs mounted for one test, which can be remounted read-only."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def make_read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)


def _try_mount(path: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
    )
    return result.returncode == 0


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[callable]:
    """Factory: ``tmpfs(size)`` mounts a tmpfs and returns a ``Mount``; unmounted afterwards."""
    mounted: list[Path] = []

    def make(size: str = "4m") -> Mount:
        path = tmp_path / f"mnt{len(mounted)}"
        path.mkdir()
        if not _try_mount(path, size):
            pytest.skip("needs root to mount a real tmpfs (read-only / full disk)")
        mounted.append(path)
        return Mount(path)

    yield make
    for path in mounted:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)
