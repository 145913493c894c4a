"""The engine must run without Qt (CLI, CI, headless servers): import all of it with Qt blocked."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import REPO_ROOT

_SCRIPT = textwrap.dedent(
    """
    import importlib, importlib.abc, pkgutil, sys

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith(("PySide6.", "shiboken6")):
                raise ImportError(f"engine imported Qt: {name}")
            return None

    sys.meta_path.insert(0, BlockQt())
    import engine
    failures = []
    # engine.__main__ runs the CLI when imported (it would open the GUI), so it is skipped.
    walked = pkgutil.walk_packages(engine.__path__, "engine.")
    names = ["engine"] + [m.name for m in walked if not m.name.endswith("__main__")]
    for name in names:
        try:
            importlib.import_module(name)
        except Exception as exc:
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    print(len(names), "modules")
    print("\\n".join(failures))
    sys.exit(1 if failures else 0)
    """
)


def test_every_engine_module_imports_without_qt():
    proc = subprocess.run(
        [sys.executable, "-c", _SCRIPT], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert int(proc.stdout.split()[0]) > 10  # it really walked the package
