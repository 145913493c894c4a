"""Sessions on disk: folders, atomic saves, loading by id or path, corrupt and newer files,
and what happens when the disk is read-only or full while saving."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine.errors import SessionError, StorageFullError
from engine.library.listing import list_sessions
from engine.report.builder import build_report
from engine.store.model import ROLE_ANSWER, STATUS_COMPLETE, QuestionRecord, Turn
from engine.store.sessions import (
    create_session,
    load_session,
    save_session,
    slugify,
    turn_audio_path,
)
from engine.transcript import Transcript
from tests.engine.store.factories import QUESTION, build_interview_session


def test_create_session_makes_a_named_folder_with_audio_dir_and_json(isolated_data_dir):
    session = create_session(
        kind="interview", settings={"engine": "offline"}, title="Feed: ranking!"
    )
    folder = Path(session.folder)
    assert folder.parent == isolated_data_dir / "sessions"
    assert folder.name == session.id
    assert folder.name.endswith("-feed-ranking")
    assert (folder / "audio").is_dir()
    data = json.loads((folder / "session.json").read_text())
    assert data["schema_version"] == 1
    assert data["status"] == "in_progress"
    assert data["settings"]["title"] == "Feed: ranking!"
    assert turn_audio_path(session, 3) == folder / "audio" / "turn-03.wav"


def test_two_sessions_created_in_the_same_second_get_distinct_folders():
    first = create_session(title="same")
    second = create_session(title="same")
    assert first.id != second.id
    assert Path(first.folder).is_dir() and Path(second.folder).is_dir()


def test_slug_is_ascii_and_never_empty():
    assert slugify("Désign — a feed!") == "design-a-feed"
    assert slugify("日本語") == "session"


def test_saved_session_loads_back_identically_by_id_prefix_and_folder():
    session = build_interview_session()
    by_id = load_session(session.id)
    assert by_id.to_dict() == session.to_dict()
    assert load_session(session.folder).to_dict() == session.to_dict()
    assert load_session(Path(session.folder) / "session.json").id == session.id
    assert load_session(session.id[:15]).id == session.id  # unique prefix


def test_unknown_session_says_how_to_find_ids():
    with pytest.raises(SessionError, match="sessions list"):
        load_session("20990101-000000-nothing")


def test_ambiguous_prefix_is_refused_with_the_candidates():
    a = create_session(title="alpha")
    create_session(title="alpha")
    with pytest.raises(SessionError, match="several sessions"):
        load_session(a.id[:8])


def test_save_leaves_no_temp_files_and_replaces_content():
    session = build_interview_session()
    session.notes.append("second save")
    save_session(session)
    names = os.listdir(session.folder)
    assert not [n for n in names if n.endswith(".tmp")]
    assert load_session(session.id).notes == ["second save"]


def test_corrupt_session_is_flagged_and_the_library_still_lists_the_others(isolated_data_dir):
    good = build_interview_session("good one")
    broken = create_session(title="broken")
    (Path(broken.folder) / "session.json").write_text('{"schema_version": 1, "id": ')
    listed = {s.id: s for s in list_sessions()}
    assert listed[good.id].problem == ""
    assert listed[good.id].overall == pytest.approx(build_report(good).overall)
    assert listed[broken.id].is_corrupt
    assert "corrupt" in listed[broken.id].problem
    with pytest.raises(SessionError, match="corrupt"):
        load_session(broken.id)


def test_session_missing_fields_is_corrupt_not_a_crash():
    broken = create_session(title="fields")
    (Path(broken.folder) / "session.json").write_text(
        json.dumps({"schema_version": 1, "id": "x", "questions": [{"turns": []}]})
    )
    with pytest.raises(SessionError, match="bad or missing field"):
        load_session(broken.id)
    assert [s for s in list_sessions() if s.id == broken.id][0].is_corrupt


def test_file_from_a_newer_app_is_refused_with_a_clear_message():
    session = create_session(title="future")
    path = Path(session.folder) / "session.json"
    data = json.loads(path.read_text())
    data["schema_version"] = 7
    path.write_text(json.dumps(data))
    with pytest.raises(SessionError, match="made by a newer mockinterview"):
        load_session(session.id)
    flagged = [s for s in list_sessions() if s.id == session.id][0]
    assert "newer mockinterview" in flagged.problem


def _add_answer(session) -> Turn:
    turn = Turn(
        index=1,
        role=ROLE_ANSWER,
        prompt=QUESTION["text"],
        duration_s=12.0,
        transcript=Transcript.from_text("I would start from the users and their goal."),
    )
    session.questions.append(QuestionRecord(question=dict(QUESTION), turns=[turn]))
    return turn


def test_read_only_disk_while_saving_keeps_the_session_and_writes_an_emergency_copy(
    tmpfs, monkeypatch, private_temp_dir
):
    mount = tmpfs("4m")
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(mount.path))
    session = create_session(title="readonly")
    on_disk_before = (Path(session.folder) / "session.json").read_text()
    mount.make_read_only()

    _add_answer(session)
    session.status = STATUS_COMPLETE
    with pytest.raises(StorageFullError) as caught:
        save_session(session)

    message = str(caught.value)
    assert "read-only" in message or "not writable" in message
    assert "Nothing was lost" in message
    # the data in memory is intact
    assert session.turns[0].transcript.text.startswith("I would start")
    assert session.status == STATUS_COMPLETE
    # the file on disk is the old, complete one (never half-written)
    assert (Path(session.folder) / "session.json").read_text() == on_disk_before
    # the emergency copy holds the new state and is named in the message
    copies = list((private_temp_dir / "mockinterview-rescue").glob("*/session.json"))
    assert len(copies) == 1
    assert str(copies[0]) in message
    rescued = json.loads(copies[0].read_text())
    assert rescued["questions"][0]["turns"][0]["transcript"]["text"].startswith("I would start")


def test_full_disk_while_saving_says_the_disk_is_full(tmpfs, monkeypatch):
    mount = tmpfs("64k", need_size_limit=True)
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(mount.path))
    session = create_session(title="full")
    filler = mount.path / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # take all the remaining space
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    _add_answer(session)
    session.notes.append("x" * 20000)
    with pytest.raises(StorageFullError, match="disk is full"):
        save_session(session)
    assert session.notes[-1] == "x" * 20000
    assert load_session(session.folder).notes == []  # old file intact


def test_bare_names_are_library_ids_and_paths_are_paths(tmp_path, monkeypatch):
    session = build_interview_session("lookup")
    monkeypatch.chdir(tmp_path)
    (tmp_path / session.id[:8]).mkdir()  # an unrelated local folder named like a prefix
    with pytest.raises(SessionError, match="several sessions|no session"):
        load_session("")
    assert load_session(session.id[:17]).id == session.id
    with pytest.raises(SessionError, match="no session folder at"):
        load_session(str(tmp_path / "missing"))
    with pytest.raises(SessionError, match=r"no session\.json"):
        load_session(Path(session.id[:8]))  # a real folder, but not a session


def test_repeated_failed_saves_keep_one_up_to_date_rescue_copy(
    tmpfs, monkeypatch, private_temp_dir
):
    mount = tmpfs("4m")
    monkeypatch.setenv("MOCKINTERVIEW_DATA_DIR", str(mount.path))
    session = create_session(title="two failures")
    mount.make_read_only()
    for note in ("first answer", "second answer"):
        session.notes.append(note)
        with pytest.raises(StorageFullError):
            save_session(session)
    [copy] = (private_temp_dir / "mockinterview-rescue").glob("*/session.json")
    assert json.loads(copy.read_text())["notes"] == ["first answer", "second answer"]
