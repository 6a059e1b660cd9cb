"""Bad input on disk: damaged documents, newer versions, read-only folders, a full disk."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from guide.transcript import Marker, MarkerKind
from kvale_errors import StoreError
from kvale_i18n import translator
from store import Project
from store.storage import SCHEMA_VERSION
from tests.store.store_helpers import transcript


def _two_interviews(tmp_path: Path) -> tuple[Project, str, str]:
    project = Project.init(tmp_path / "p")
    a = project.new_interview("I1", "h", "en").id
    b = project.new_interview("I2", "h", "en").id
    project.set_transcript(a, transcript(40, "alpha"))
    project.set_transcript(b, transcript(40, "beta"))
    return project, a, b


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # half-written (not by kvale: it writes atomically)
        lambda text: "",
        lambda text: "[1, 2, 3]",
        lambda text: "\x00\x01garbage",
        lambda text: '{"interview": {"1": {}}}',  # no schema version
    ],
    ids=["truncated", "empty", "not-a-document", "garbage", "no-version"],
)
def test_one_damaged_interview_leaves_the_others_readable(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    project, a, b = _two_interviews(tmp_path)
    path = project.path / "interviews" / f"{a}.json"
    path.write_text(damage(path.read_text()))
    again = Project.open(project.path)  # the project itself still opens
    with pytest.raises(StoreError) as err:
        again.interview(a)
    assert str(path) in str(err.value)
    assert "Restore it from your backup; the other interviews are unaffected" in str(err.value)
    assert again.interview(b).word_count == 40
    assert {s.id for s in again.interviews()} == {a, b}


def test_damaged_project_document_names_the_file(tmp_path: Path) -> None:
    project, _a, _b = _two_interviews(tmp_path)
    path = project.path / "kvale-project.json"
    path.write_text(path.read_text()[:-10])
    with pytest.raises(StoreError, match=r"kvale-project\.json is damaged"):
        Project.open(project.path)


def test_damaged_marker_line_names_the_file_and_torn_last_line_is_dropped(tmp_path: Path) -> None:
    project, a, _b = _two_interviews(tmp_path)
    project.add_marker(a, Marker(1.0, MarkerKind.ASKED, "1"))
    project.add_marker(a, Marker(2.0, MarkerKind.ASKED, "2"))
    log = project.path / "interviews" / f"{a}.markers.jsonl"
    good = log.read_bytes()
    log.write_bytes(good + b'{"t": 3.0, "k": "as')  # the writer died mid-append
    assert [m.time for m in Project.open(project.path).interview(a).markers] == [1.0, 2.0]
    project.add_marker(a, Marker(4.0, MarkerKind.ASKED, "4"))  # after a resume: cut, then append
    assert [m.time for m in Project.open(project.path).interview(a).markers] == [1.0, 2.0, 4.0]
    good = log.read_bytes()
    lines = good.split(b"\n")
    lines[1] = b"{broken"
    log.write_bytes(b"\n".join(lines))
    with pytest.raises(StoreError, match=rf"{a}\.markers\.jsonl is damaged \(line 2"):
        Project.open(project.path).interview(a)


def test_newer_schema_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    project, a, b = _two_interviews(tmp_path)
    path = project.path / "interviews" / f"{a}.json"
    data = json.loads(path.read_text())
    data["meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    text = json.dumps(data)
    path.write_text(text)
    with pytest.raises(StoreError, match=r"written by a newer kvale .* Update kvale"):
        Project.open(project.path).interview(a)
    assert path.read_text() == text
    assert Project.open(project.path).interview(b).word_count == 40


def test_older_schema_version_is_migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from store import storage

    project, a, _b = _two_interviews(tmp_path)
    path = project.path / "interviews" / f"{a}.json"
    data = json.loads(path.read_text())
    data["meta"]["1"]["schema_version"] = 0
    data["interview"]["1"]["lang"] = data["interview"]["1"].pop("language")  # the "old" field
    path.write_text(json.dumps(data))

    def v0_to_v1(old: storage.Data) -> storage.Data:
        old["interview"]["1"]["language"] = old["interview"]["1"].pop("lang")
        return old

    monkeypatch.setitem(storage.MIGRATIONS, 0, v0_to_v1)
    assert Project.open(project.path).interview(a).language == "en"


@pytest.fixture
def small_mount(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs (we are root in the test container; otherwise skip)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs: {done.stderr.decode().strip()}")
    yield mnt
    subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_keeps_the_previous_document(small_mount: Path) -> None:
    project = Project.init(small_mount / "p")
    iid = project.new_interview("I1", "h", "en").id
    project.set_transcript(iid, transcript(30))
    before = (project.path / "interviews" / f"{iid}.json").read_bytes()
    with pytest.raises(StoreError, match=r"The disk is full.*previous version is intact") as full:
        project.set_transcript(iid, transcript(5000))  # far bigger than 64 KiB
    nb = translator("nb").gettext(full.value.template or "").format(**full.value.params)
    assert nb.startswith("Disken er full: kvale kunne ikke lagre ") and "uskadet" in nb
    assert (project.path / "interviews" / f"{iid}.json").read_bytes() == before
    assert not [p for p in (project.path / "interviews").iterdir() if ".tmp-" in p.name]
    assert Project.open(project.path).interview(iid).word_count == 30
    # fill the disk completely: a marker append fails with a sentence, nothing is lost
    fd = os.open(small_mount / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(fd, b"\0" * 1024):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)
    with pytest.raises(StoreError, match="The disk is full"):
        for i in range(200):
            project.add_marker(iid, Marker(float(i), MarkerKind.BOOKMARK, text="x" * 200))
    assert Project.open(project.path).interview(iid).word_count == 30


def test_read_only_folder_is_a_sentence(small_mount: Path) -> None:
    project = Project.init(small_mount / "p")
    iid = project.new_interview("I1", "h", "en").id
    # Root ignores file permissions, so make the whole file system read-only instead.
    done = subprocess.run(["mount", "-o", "remount,ro", str(small_mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot remount read-only: {done.stderr.decode().strip()}")
    with pytest.raises(StoreError, match=r"no permission to save .*not read-only"):
        project.set_transcript(iid, transcript(10))
    with pytest.raises(StoreError, match="no permission to save"):
        project.add_marker(iid, Marker(1.0, MarkerKind.ASKED))
    assert Project.open(project.path).interview(iid).word_count == 0  # reading still works
    with pytest.raises(StoreError, match="cannot create the project folder"):
        Project.init(small_mount / "q")
