"""The library index: rebuilt when deleted, garbage or old; search; progress; two writers."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from engine import paths
from engine.library.index import INDEX_SCHEMA_VERSION, LibraryIndex
from engine.library.listing import list_sessions
from engine.report.builder import build_report
from engine.store.sessions import create_session
from tests.conftest import REPO_ROOT
from tests.engine.store.factories import build_interview_session


def _rows_in_index() -> int:
    conn = sqlite3.connect(paths.library_index_path())
    try:
        return conn.execute("SELECT count(*) FROM sessions").fetchone()[0]
    finally:
        conn.close()


def test_listing_indexes_what_was_saved():
    session = build_interview_session("indexed")
    [summary] = list_sessions()
    assert _rows_in_index() == 1
    assert summary.id == session.id
    assert summary.title == "indexed"
    assert summary.question_ids == ("feed-ranking",)
    assert summary.categories == ("design",)
    assert summary.answers == 2
    assert summary.dimension_scores["user_signals"] == 4.0  # best across main + follow-up
    assert summary.filler_count == 4
    assert summary.word_count > 0 and summary.wpm == pytest.approx(140, abs=2)
    assert summary.engine == "offline"


def test_deleted_index_is_rebuilt_from_the_folders():
    ids = {build_interview_session(f"s{i}").id for i in range(3)}
    list_sessions()
    paths.library_index_path().unlink()
    assert {s.id for s in list_sessions()} == ids
    assert _rows_in_index() == 3


def test_garbage_index_file_is_replaced_and_rebuilt():
    ids = {build_interview_session(f"g{i}").id for i in range(2)}
    index = paths.library_index_path()
    for suffix in ("-wal", "-shm"):
        Path(str(index) + suffix).unlink(missing_ok=True)
    index.write_bytes(b"this is not a database at all" * 100)
    assert {s.id for s in list_sessions()} == ids
    assert _rows_in_index() == 2


def test_index_of_an_older_schema_is_rebuilt():
    session = build_interview_session("old schema")
    list_sessions()
    conn = sqlite3.connect(paths.library_index_path())
    conn.execute("DROP TABLE sessions")
    conn.execute("CREATE TABLE sessions (id TEXT)")
    conn.execute(f"PRAGMA user_version={INDEX_SCHEMA_VERSION - 1}")
    conn.commit()
    conn.close()
    [summary] = list_sessions()
    assert summary.id == session.id and summary.overall == pytest.approx(
        build_report(session).overall
    )


def test_folders_added_or_removed_behind_the_index_are_noticed():
    keep = build_interview_session("keep")
    gone = build_interview_session("gone")
    shutil.rmtree(gone.folder)
    assert [s.id for s in list_sessions()] == [keep.id]


def test_search_matches_titles_questions_and_what_was_said():
    feed = build_interview_session("feed practice")
    other = create_session(title="pacing drill")
    assert [s.id for s in list_sessions("exploration")] == [feed.id]  # in a transcript
    assert [s.id for s in list_sessions("SHORT-VIDEO feed")] == [feed.id]  # question, any case
    assert [s.id for s in list_sessions("pacing drill")] == [other.id]
    assert list_sessions("100%_nothing") == []


def test_progress_gives_one_point_per_graded_session_oldest_first():
    first = build_interview_session("one")
    create_session(title="ungraded")
    second = build_interview_session("two")
    points = LibraryIndex().progress()
    assert [p.session_id for p in points] == sorted([first.id, second.id])
    assert points[0].overall == pytest.approx(build_report(first).overall)
    assert points[0].dimension_scores["metrics"] == 2.0
    assert points[0].wpm == pytest.approx(140, abs=2)


_WRITER = """
import sys
from tests.engine.store.factories import build_interview_session
from engine.library.listing import list_sessions
for i in range(int(sys.argv[1])):
    build_interview_session(f"{sys.argv[2]} {i}")
    list_sessions()  # as a running app does after each save: the index catches up
"""


def test_two_processes_saving_and_listing_at_once_both_land_in_the_index(isolated_data_dir):
    build_interview_session("warm")
    list_sessions()  # the index exists, as with a running app
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WRITER, "12", name],
            cwd=REPO_ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("alpha", "beta")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    # read the table directly: the rows must come from the two processes' own listings
    assert _rows_in_index() == 25
    titles = {s.title for s in list_sessions()}
    assert {f"alpha {i}" for i in range(12)} <= titles
    assert {f"beta {i}" for i in range(12)} <= titles


def test_listing_works_from_memory_when_the_index_cannot_be_written(tmpfs, monkeypatch):
    mount = tmpfs("4m")
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(mount.path))
    session = build_interview_session("ro listing")
    paths.library_index_path().unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(paths.library_index_path()) + suffix).unlink(missing_ok=True)
    mount.make_read_only()
    assert [s.id for s in list_sessions()] == [session.id]


def test_listing_still_works_when_an_existing_index_turns_read_only(tmpfs, monkeypatch):
    mount = tmpfs("4m")
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(mount.path))
    first = build_interview_session("before")
    copy = Path(first.folder).with_name(first.id + "-copy")
    shutil.copytree(first.folder, copy)  # a folder the index has not seen: the sync must write
    mount.make_read_only()
    assert sorted(s.folder.name for s in list_sessions()) == [first.id, copy.name]


def test_index_damaged_inside_its_pages_is_rebuilt():
    ids = {build_interview_session(f"d{i}").id for i in range(6)}
    list_sessions()
    index = paths.library_index_path()
    conn = sqlite3.connect(index)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(index.read_bytes())
    assert len(data) > 8192
    data[4096:] = b"\xde\xad\xbe\xef" * ((len(data) - 4096) // 4)  # page 1 (schema) stays valid
    index.write_bytes(bytes(data))
    assert {s.id for s in list_sessions()} == ids
    assert _rows_in_index() == 6
