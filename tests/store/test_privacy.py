"""The consent form's promises in the store: encryption at rest, withdrawal that leaves
nothing, pseudonymous codes, the end date (real files on disk, real processes)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from guide.transcript import Marker, MarkerKind, Segment
from kvale_errors import StoreError
from store import Consent, Project, crypto, lifecycle, privacy
from store.codebook import Codebook
from store.corpus import corpus_from_project
from store.exports import export_corpus
from tests.store.store_helpers import passages_of
from tui.deletion_report import deletion_text

ROOT = Path(__file__).parents[2]
PASS = "a long enough passphrase"
N = 2**12  # scrypt cost for tests (the default, 2**17, is for real projects)

# what the withdrawn participant WX7 said and what was noted about them
THEIR_PHRASE = "the lighthouse keeper sold marmalade"
THIRD_PARTY = "Ingeborg"  # a colleague they named, added to the redaction list
NOT_A_NAME = "Fjellstue"  # a capitalised word of theirs marked "not a name"
NOTE = "seemed tired after the reorganisation"
GROUP_NOTE = "WX7 links workload to sleep"
# what another participant said (must survive the purge)
OTHER_PHRASE = "the ferry timetable changed twice"
SHARED_NAME = "Solveig"  # named by both: stays in the redaction list


@pytest.fixture(autouse=True)
def _forget_keys():  # type: ignore[no-untyped-def]
    yield
    crypto.forget()


def _segments(*texts: str) -> list[Segment]:
    return [Segment(float(i * 5), float(i * 5 + 4), t, ()) for i, t in enumerate(texts)]


def _study(path: Path, passphrase: str | None = None) -> tuple[Project, str, str]:
    """A project with the withdrawing participant WX7 and another, I2, coded and exported."""
    project = Project.init(path, passphrase=passphrase, kdf_n=N)
    theirs = project.new_interview("WX7", "h", "en").id
    other = project.new_interview("I2", "h", "en").id
    project.record_consent("WX7", Consent(interview=True, audio=True, date="2026-11-02"))
    segs = _segments(
        f"I think {THEIR_PHRASE}.",
        f"My colleague {THIRD_PARTY} and {SHARED_NAME} helped.",
        f"We met at {NOT_A_NAME} every spring.",
    )
    project.set_transcript(theirs, segs)
    project.set_passages(theirs, passages_of(segs))
    project.add_marker(theirs, Marker(time=3.0, kind=MarkerKind.NOTE, text=NOTE))
    osegs = _segments(f"Well, {OTHER_PHRASE}.", f"{SHARED_NAME} runs the office.")
    project.set_transcript(other, osegs)
    project.set_passages(other, passages_of(osegs))
    project.update_settings(redaction_names=[THIRD_PARTY, f"{SHARED_NAME}=[manager]"])
    book = Codebook()
    code = book.add_code("workload")
    group = book.add_group("strain")
    passage = passages_of(segs)[0]
    book.apply(code.id, theirs, passage, 0, len(passage.text))
    book.set_note(group.id, GROUP_NOTE, participant="WX7")
    book.not_names.append(NOT_A_NAME)
    book.save(project.path)
    return project, theirs, other


def _every_plaintext(root: Path) -> list[tuple[Path, bytes]]:
    """Every file's bytes; in an encrypted project, sealed files and lines decrypted
    instead (their ciphertext is random letters: a short needle such as a participant
    code turns up in it by chance, about once in a few hundred runs)."""
    cipher = crypto.cipher_for(root)
    out = []
    for p in root.rglob("*"):
        if not p.is_file():
            continue
        raw = p.read_bytes()
        if cipher is not None and crypto.is_sealed(raw):
            out.append((p, cipher.open(raw, str(p))))
        elif cipher is not None and raw.startswith(b"~"):
            lines = raw.decode().splitlines()
            out.append((p, "\n".join(cipher.open_line(x, str(p)) for x in lines).encode()))
        else:
            out.append((p, raw))
    return out


def _holding(root: Path, needles: list[str]) -> list[tuple[str, str]]:
    found = []
    for p, data in _every_plaintext(root):
        for n in needles:
            if n.encode("utf-8") in data or n.lower().encode() in data.lower():
                found.append((str(p.relative_to(root)), n))
    # file and folder names too
    for p in root.rglob("*"):
        found += [(str(p.relative_to(root)), n) for n in needles if n in p.name]
    return found


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_withdrawal_leaves_nothing_of_theirs(tmp_path: Path, encrypted: bool) -> None:
    project, theirs, other = _study(tmp_path / "p", PASS if encrypted else None)
    outside = tmp_path / "handed-in"
    export_corpus(corpus_from_project(project), "md", outside, participant="WX7")
    export_corpus(corpus_from_project(project), "csv", tmp_path / "all.csv")
    export_corpus(corpus_from_project(project), "txt")  # inside the project
    planted = [THEIR_PHRASE, THIRD_PARTY, NOT_A_NAME, NOTE, GROUP_NOTE, "WX7"]
    # the scan can fail: before the purge it finds every planted string
    assert {n for _, n in _holding(project.path, planted)} == set(planted)

    report = lifecycle.purge_participant(project, "WX7")

    assert _holding(project.path, planted) == []
    assert [s.id for s in project.interviews()] == [other]
    assert not (project.path / "interviews" / f"{theirs}.json").exists()
    # what the others need is intact
    assert _holding(project.path, [OTHER_PHRASE, SHARED_NAME])
    assert project.settings.redaction_names == [f"{SHARED_NAME}=[manager]"]
    assert report.list_entries == 2  # Ingeborg and Fjellstue were theirs only
    # exports outside the project are listed for the researcher, with every file
    listed = set(report.outside_exports)
    assert str(tmp_path / "all.csv") in listed
    assert any(p.startswith(str(outside)) for p in listed)
    told = deletion_text(report)
    assert "kvale cannot delete them for you" in told
    for p in listed:
        assert f"\n  {p}" in told
    # the record shows a withdrawal happened and when, not whose
    (record,) = project.purge_records()
    assert record.code == "" and record.when and record.files >= 2
    # the all-participants export stays listed for a later withdrawal, without WX7
    (left,) = privacy.outside_exports(project.path)
    assert left.path == str(tmp_path / "all.csv") and left.participants == ("I2",)


def test_purged_numbers_are_not_given_again(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    project.add_participant("I4")
    lifecycle.purge_participant(project, "I4")
    assert project.next_participant_code() == "I5"
    assert _holding(project.path, ["I4"]) == []


def test_purge_all_leaves_no_list_entry(tmp_path: Path) -> None:
    project, _t, _o = _study(tmp_path / "p")
    export_corpus(corpus_from_project(project), "csv", tmp_path / "all.csv")
    report = lifecycle.purge_all(project)
    assert project.settings.redaction_names == []
    book = Codebook.load(project.path)
    assert book.not_names == [] and book.spans == [] and not book.notes
    assert str(tmp_path / "all.csv") in report.outside_exports
    assert privacy.outside_exports(project.path) == []
    assert _holding(project.path, [THEIR_PHRASE, OTHER_PHRASE, SHARED_NAME, "WX7", "I2"]) == []


@pytest.mark.parametrize(
    "code", ["Kari_Nordmann", "kari", "Ola-3", "nordmann7", "Aase", "KARI", "NORDMANN-2", "ASTRID"]
)
def test_a_code_that_looks_like_a_name_is_refused(tmp_path: Path, code: str) -> None:
    project = Project.init(tmp_path / "p")
    with pytest.raises(StoreError, match="looks like a name"):
        project.new_interview(code, "h", "en")
    with pytest.raises(StoreError, match="looks like a name"):
        project.add_participant(code)
    assert project.participants() == []


@pytest.mark.parametrize("code", ["I3", "WX7", "P-07", "INT12", "AB_3", "FG2-1", "Ø2"])
def test_pseudonyms_are_accepted(tmp_path: Path, code: str) -> None:
    project = Project.init(tmp_path / "p")
    assert project.add_participant(code).code == code


# --- encryption -----------------------------------------------------------------------


def test_an_encrypted_project_keeps_nothing_readable(tmp_path: Path) -> None:
    project, theirs, _o = _study(tmp_path / "p", PASS)
    export_corpus(corpus_from_project(project), "md")
    planted = [THEIR_PHRASE, THIRD_PARTY, NOTE, GROUP_NOTE, OTHER_PHRASE]
    raw = [(p, p.read_bytes()) for p in project.path.rglob("*") if p.is_file()]
    assert len(raw) >= 6
    for p, data in raw:
        for n in planted:
            assert n.encode() not in data, (p, n)
    # and every document reads back after a new unlock
    project.close()
    crypto.forget()
    with pytest.raises(crypto.ProjectLocked, match="is encrypted"):
        Project.open(tmp_path / "p")
    with pytest.raises(crypto.WrongPassphrase, match="does not open"):
        crypto.unlock(tmp_path / "p", "not the passphrase")
    crypto.unlock(tmp_path / "p", PASS)
    again = Project.open(tmp_path / "p")
    assert THEIR_PHRASE in again.interview(theirs).segments[0].text
    assert again.interview(theirs).notes[0].text == NOTE
    assert Codebook.load(again.path).not_names == [NOT_A_NAME]
    exported = next((again.path / "exports" / "md").iterdir()).read_bytes()
    assert crypto.is_sealed(exported)
    assert THEIR_PHRASE in crypto.cipher_for(again.path).open(exported, "x").decode()  # type: ignore[union-attr]


def _kvale(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


def test_a_wrong_passphrase_or_a_changed_byte_is_a_sentence(tmp_path: Path) -> None:
    project, theirs, _o = _study(tmp_path / "p", PASS)
    project.close()
    root = str(tmp_path / "p")
    env = {"KVALE_PASSPHRASE": PASS}
    ok = _kvale("--project", root, "list", env=env)
    assert ok.returncode == 0 and "WX7" in ok.stdout, ok.stderr
    wrong = _kvale("--project", root, "list", env={"KVALE_PASSPHRASE": "wrong passphrase"})
    assert wrong.returncode == 2 and "does not open this project" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    locked = _kvale("--project", root, "list", env={"KVALE_PASSPHRASE": ""})
    assert locked.returncode == 2 and "KVALE_PASSPHRASE" in locked.stderr
    assert "Traceback" not in locked.stderr
    doc = tmp_path / "p" / "interviews" / f"{theirs}.json"
    data = bytearray(doc.read_bytes())
    data[40] ^= 1
    doc.write_bytes(bytes(data))
    changed = _kvale("--project", root, "export", "md", "--out", str(tmp_path / "o"), env=env)
    assert "cannot be decrypted: it was changed or damaged" in changed.stderr
    assert "Traceback" not in changed.stderr


def test_kvale_encrypt_converts_a_plain_project(tmp_path: Path) -> None:
    project, theirs, _o = _study(tmp_path / "p")
    export_corpus(corpus_from_project(project), "md")
    project.close()
    from tui.encrypt import encrypt_project
    from tui.import_queue import QueueEntry, load_queue, save_queue

    # the import queue names the files imported (a name can be in a file name)
    source = str(tmp_path / "recordings" / "Kari Nordmann 2026-03-01.m4a")
    save_queue(tmp_path / "p", [QueueEntry(source, 10, 1, "I7", 61.0, "done", "I7-x")])
    done = encrypt_project(tmp_path / "p", PASS, kdf_n=N)
    assert done.files >= 5 and done.lines_files >= 1
    for p in (tmp_path / "p").rglob("*"):
        if p.is_file():
            assert THEIR_PHRASE.encode() not in p.read_bytes(), p
            assert b"Kari Nordmann" not in p.read_bytes(), p
    assert [e.source for e in load_queue(tmp_path / "p")] == [source]
    crypto.forget()
    crypto.unlock(tmp_path / "p", PASS)
    again = Project.open(tmp_path / "p")
    assert THEIR_PHRASE in again.interview(theirs).segments[0].text
    assert again.interview(theirs).notes[0].text == NOTE
    with pytest.raises(StoreError, match="encrypted already"):
        encrypt_project(tmp_path / "p", PASS, kdf_n=N)


# --- file modes -----------------------------------------------------------------------

UMASK_SCRIPT = r"""
import os, sys
os.umask(0)
from pathlib import Path
import numpy as np
from guide.transcript import Marker, MarkerKind, Segment
from store import Project, lifecycle
from store.codebook import Codebook
from store.corpus import corpus_from_project
from store.exports import export_corpus
from audio.writer import ChunkWriter
base = Path(sys.argv[1])
for name, passphrase in (("plain", None), ("sealed", "a long enough passphrase")):
    p = Project.init(base / name, passphrase=passphrase, kdf_n=2**12)
    iid = p.new_interview("I1", "h", "en").id
    p.set_transcript(iid, [Segment(0.0, 1.0, "hello there", ())])
    p.add_marker(iid, Marker(time=0.5, kind=MarkerKind.NOTE, text="n"))
    Codebook().save(p.path)
    w = ChunkWriter(p.recordings_dir(iid) / "part-01", 16000, 1, key=p.recording_key(iid))
    w.write(np.zeros((16000, 1), np.int16)); w.flush(); w.close()
    export_corpus(corpus_from_project(p), "docx")
    export_corpus(corpus_from_project(p), "md", base / "outside" / name / "md")
    iid2 = p.new_interview("I2", "h", "en").id
    lifecycle.purge_participant(p, "I2")
    p.close()
"""


def test_every_file_is_0600_and_every_folder_0700_under_umask_000(tmp_path: Path) -> None:
    """In a real process with umask 000 (not through the CLI, which also sets 077)."""
    done = subprocess.run(
        [sys.executable, "-c", UMASK_SCRIPT, str(tmp_path / "w")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    seen = 0
    for p in (tmp_path / "w").rglob("*"):
        mode = p.stat().st_mode & 0o777
        want = 0o700 if p.is_dir() else 0o600
        assert mode == want, f"{p.relative_to(tmp_path)} is {oct(mode)}"
        seen += 1
    assert seen > 20


def test_the_cli_keeps_files_private_under_umask_000(tmp_path: Path) -> None:
    root = tmp_path / "c"
    script = "import os, sys; os.umask(0); from tui.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "KVALE_PASSPHRASE": PASS}
    for argv in (["init", str(root)], ["--project", str(root), "project", "show"]):
        done = subprocess.run(
            [sys.executable, "-c", script, *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stderr
    modes = {p.name: p.stat().st_mode & 0o777 for p in [root, *root.rglob("*")]}
    assert all(m in (0o600, 0o700) for m in modes.values()), modes


# --- the end date ---------------------------------------------------------------------


def test_the_end_date_is_a_command_with_reminders(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    project.close()
    soon = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    done = _kvale("--project", str(tmp_path / "p"), "project", "set", "end-date", soon)
    assert done.returncode == 0 and f"end date is now {soon}" in done.stdout, done.stderr
    shown = _kvale("--project", str(tmp_path / "p"), "list")
    assert "ends in 10 days" in shown.stderr
    bad = _kvale("--project", str(tmp_path / "p"), "project", "set", "end-date", "30.02.2027")
    assert bad.returncode == 2 and "write it as YYYY-MM-DD or DD.MM.YYYY" in bad.stderr
    # a date that has passed would have the data deleted already: refused, nothing changed
    gone = _kvale("--project", str(tmp_path / "p"), "project", "set", "end-date", "2020-01-01")
    assert gone.returncode == 2 and "2020-01-01 has passed" in gone.stderr
    assert "ends in 10 days" in _kvale("--project", str(tmp_path / "p"), "list").stderr
    # as a Norwegian consent form writes it
    far = _kvale("--project", str(tmp_path / "p"), "project", "set", "end-date", "1.1.2099")
    assert far.returncode == 0 and "(was " in far.stdout
    assert "ends in" not in _kvale("--project", str(tmp_path / "p"), "list").stderr
    raw = json.loads((tmp_path / "p" / "kvale-project.json").read_text())
    assert raw["project"]["1"]["settings"]["end_date"] == "2099-01-01"
    # past the end date: the expiry message names the command
    past = Project.open(tmp_path / "p")
    past.update_settings(end_date=dt.date(2020, 1, 1))
    past.add_participant("I1")
    past.close()
    expired = _kvale("--project", str(tmp_path / "p"), "list")
    assert expired.returncode == 0  # listing works after the end date
    with pytest.raises(StoreError, match="end date"):
        Project.open(tmp_path / "p")


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2027-06-30", dt.date(2027, 6, 30)),
        ("30.06.2027", dt.date(2027, 6, 30)),
        ("1.7.2027", dt.date(2027, 7, 1)),
        (" 30.06.2027. ", dt.date(2027, 6, 30)),
    ],
)
def test_dates_are_read_as_researchers_write_them(text: str, date: dt.date) -> None:
    assert privacy.parse_date(text) == date


@pytest.mark.parametrize("text", ["31.02.2027", "2027/06/30", "06.30.2027", "juni 2027", ""])
def test_what_is_no_date_is_refused_in_a_sentence(text: str) -> None:
    with pytest.raises(StoreError, match=r"is not a date: write it as YYYY-MM-DD or DD\.MM\.YYYY"):
        privacy.parse_date(text)


def test_the_end_date_reminder_speaks_the_ui_s_language(tmp_path: Path) -> None:
    project = Project.init(tmp_path / "p")
    today = dt.date(2027, 6, 1)
    project.update_settings(end_date=dt.date(2027, 6, 4))
    assert "ends in 3 days" in str(privacy.end_date_reminder(project, today))
    assert "slutter om 3 dager" in str(privacy.end_date_reminder(project, today, "nb"))
    assert "sluttar om 3 dagar" in str(privacy.end_date_reminder(project, today, "nn"))
    late = privacy.end_date_reminder(project, dt.date(2027, 7, 1), "nb")
    assert late is not None and "er passert" in late
