"""Fixtures for the store tests: emergency copies kept inside the test's tmp dir, and real
small or read-only filesystems (tmpfs mounts) for the disk-full and read-only cases."""

from __future__ import annotations

import os
import stat
import subprocess
import tempfile
from collections.abc import Callable, Iterator
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
    """A real filesystem for one test that can be made read-only.

    As root it is a tmpfs (remounted ``ro``: the kernel answers EROFS, as on a locked SD card or
    a full-disk emergency remount). Without root it is a plain folder whose permissions are
    dropped (EACCES), the other way a data dir stops accepting writes.
    """

    def __init__(self, path: Path, is_tmpfs: bool) -> None:
        self.path = path
        self.is_tmpfs = is_tmpfs

    def make_read_only(self) -> None:
        if self.is_tmpfs:
            subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)
            return
        for root, dirs, _files in os.walk(self.path):
            for name in [*dirs, "."]:
                os.chmod(Path(root) / name, stat.S_IRUSR | stat.S_IXUSR)

    def undo(self) -> None:
        if self.is_tmpfs:
            subprocess.run(["umount", "-l", str(self.path)], capture_output=True)
        else:
            for root, dirs, _files in os.walk(self.path):
                for name in [*dirs, "."]:
                    os.chmod(Path(root) / name, stat.S_IRWXU)


def _try_mount(path: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    return result.returncode == 0


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[..., Mount]]:
    """Factory: ``tmpfs(size, need_size_limit=False)`` -> a ``Mount``, undone afterwards."""
    made: list[Mount] = []

    def make(size: str = "4m", need_size_limit: bool = False) -> Mount:
        path = tmp_path / f"mnt{len(made)}"
        path.mkdir()
        if _try_mount(path, size):
            mount = Mount(path, is_tmpfs=True)
        elif need_size_limit:
            pytest.skip("a small real filesystem (tmpfs) needs root to mount")
        else:
            mount = Mount(path, is_tmpfs=False)
        made.append(mount)
        return mount

    yield make
    for mount in made:
        mount.undo()
