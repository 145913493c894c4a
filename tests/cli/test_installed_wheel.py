"""The built wheel works on its own: installed into a fresh venv, run from outside the checkout.

This is what ``pipx install`` does for a user. The wheel is built from a clean copy of the source
(so a stale ``build/`` folder cannot hide a missing file), installed with ``--no-deps`` into a new
virtual environment, and the third-party dependencies are borrowed from the test venv through a
``.pth`` line (installing PySide6, faster-whisper and friends again would only re-test pip). The
borrowed folder is added as a plain path, so the test venv's editable hook for mockinterview never
runs, and the test checks that ``engine`` really comes from the new venv.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from engine.questions.bank import QuestionBank

REPO_ROOT = Path(__file__).resolve().parents[2]
# What the wheel is built from: the source tree minus caches, outputs and other venvs.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", "artifacts", ".*_cache"
)


def _check(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kwargs)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed_app(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A fresh venv with only the wheel installed; returns its python and console script."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    shutil.copytree(REPO_ROOT, source, ignore=_NOT_SOURCE)
    wheels = root / "wheels"
    # Build isolation as a user gets it (setuptools from the package index or pip's cache).
    _check(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(source), "-w", str(wheels)]
    )
    (wheel,) = wheels.glob("mockinterview-*.whl")

    venv = root / "venv"
    _check(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], env=_clean_env(root / "data")
    )
    scripts = venv / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / ("python.exe" if os.name == "nt" else "python")
    _check(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps"]
        + ["--no-index", str(wheel)],
        env=_clean_env(root / "data"),
    )
    # Only now borrow the dependencies: before the install, pip would see the test venv's own
    # mockinterview through this line and call the wheel "already satisfied".
    purelib = _check(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        env=_clean_env(root / "data"),
    ).stdout.strip()
    assert Path(purelib, "engine", "cli", "main.py").is_file()
    borrowed = sysconfig.get_paths()["purelib"]
    Path(purelib, "borrowed_test_dependencies.pth").write_text(borrowed + "\n", encoding="utf-8")
    return {"python": python, "script": scripts / "mockinterview", "venv": venv}


def _clean_env(data_dir: Path) -> dict[str, str]:
    """The environment without the checkout on PYTHONPATH (which would also make pip see the
    checkout's egg-info as an installed mockinterview), with its own data dir."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(MOCKINTERVIEW_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1")
    return env


@pytest.mark.slow
def test_wheel_installs_the_app_with_its_data(
    installed_app: dict[str, Path], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _clean_env(tmp_path / "data")
    where = _check(
        [
            str(installed_app["python"]),
            "-c",
            "import engine, question_bank, assets; "
            "print(engine.__file__); print(question_bank.__file__); print(assets.__file__)",
        ],
        cwd=elsewhere,
        env=env,
    ).stdout.split()
    venv = installed_app["venv"].resolve()
    for module_file in where:
        assert Path(module_file).resolve().is_relative_to(venv), module_file

    listed = _check(
        [str(installed_app["script"]), "questions", "list", "--json"], cwd=elsewhere, env=env
    )
    ids = [q["id"] for q in json.loads(listed.stdout)]
    shipped = QuestionBank.load(include_user=False)
    assert not shipped.errors
    assert len(ids) == len(shipped.questions) >= 70
    assert sorted(ids) == sorted(q.id for q in shipped.questions)


@pytest.mark.slow
def test_wheel_runs_the_demo_outside_the_checkout(
    installed_app: dict[str, Path], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    result = _check(
        [str(installed_app["script"]), "demo", "--out", str(out)],
        cwd=elsewhere,
        env=_clean_env(tmp_path / "data"),
    )
    (session_file,) = out.rglob("session.json")
    session = json.loads(session_file.read_text(encoding="utf-8"))
    answers = [t for q in session["questions"] for t in q["turns"] if t["role"] == "answer"]
    assert answers, result.stdout
    assert all(t["transcript"]["text"].strip() for t in answers)
    assert all((session_file.parent / t["audio"]).is_file() for t in answers)


@pytest.mark.slow
def test_wheel_doctor_finds_the_bundled_model_and_voice(
    installed_app: dict[str, Path], tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [str(installed_app["script"]), "doctor", "--json"],
        cwd=elsewhere,
        env=_clean_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    checks = {check["id"]: check for check in json.loads(result.stdout)["checks"]}
    for check_id in ("data_dir", "whisper_model", "voice"):
        assert checks[check_id]["status"] == "ok", checks[check_id]
    assert str(tmp_path / "data") in checks["data_dir"]["detail"]
