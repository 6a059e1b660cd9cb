"""Exports never crash on text, and a failure names the file and the passage
(issue 14, case 11).

A control character pasted into a condensation note crashed `kvale export docx` after
two of three files; a full disk during a .docx export printed a traceback after its
sentence.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from process_helpers import ENV, ROOT, folder_state
from store_helpers import passages_of, small_guide, transcript

from kvale_errors import StoreError
from store import Project
from store.codebook import Codebook
from store.corpus import corpus_from_project
from store.exports import FORMATS, export_corpus, export_project
from store.exports.common import clean_text
from store.exports.qdpx import check_qdpx

BAD = "\x01\x0b\x1f\ufffe"  # (a lone surrogate cannot even be stored: see the unit test)


def _project(path: Path) -> tuple[Project, list[str]]:
    project = Project.init(path, name="text")
    guide_hash = project.add_guide(small_guide())
    ids = []
    for who in ("I1", "I2", "I3"):
        iid = project.new_interview(who, guide_hash, "en").id
        segments = transcript(30, who.lower())
        passages = passages_of(segments)
        first = passages[0]
        passages[0] = type(first)(
            first.start, first.end, f"pasted{BAD}text {first.text}", first.words, first.primary
        )
        project.set_passages(iid, passages)
        ids.append(iid)
    book = Codebook()
    group = book.add_group(f"Group{BAD}", research_question="RQ1")
    code = book.add_code(f"code{BAD}", group_id=group.id)
    book.codes = [type(code)(code.id, code.name, f"about{BAD}", group.id)]
    book.apply(code.id, ids[1], project.interview(ids[1]).passages[0], 0, 12)
    book.set_note(group.id, f"A note with a pasted{BAD} control character.", participant="I2")
    book.set_note(group.id, f"Overall{BAD}.")
    book.save(path)
    return project, ids


def test_clean_text_keeps_offsets_and_what_xml_holds() -> None:
    assert clean_text(f"a{BAD}\ud800b\tc\nd\re æøå 🙂") == "a     b\tc\nd\re æøå 🙂"


def test_every_format_exports_text_with_control_characters(tmp_path: Path) -> None:
    project, _ids = _project(tmp_path / "p")
    for fmt in FORMATS:
        paths = export_project(project, fmt, None)
        assert paths, fmt
    for p in (project.path / "exports" / "docx").glob("*.docx"):
        Document(str(p))  # opens
    codes = Document(str(project.path / "exports" / "docx" / "codes-and-condensation.docx"))
    assert any("A note with a pasted" in p.text for p in codes.paragraphs)
    qdpx = next((project.path / "exports" / "qdpx").glob("*.qdpx"))
    assert check_qdpx(qdpx) == []
    for p in (project.path / "exports").rglob("*"):
        if p.suffix in {".md", ".txt", ".csv", ".srt", ".vtt"}:
            assert not set(BAD) & set(p.read_text()), p


def test_a_failure_names_the_file_and_the_passage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, ids = _project(tmp_path / "p")
    export_project(project, "md", None)
    before = folder_state(project.path)
    from store.exports import common, docx

    # without the shared cleaning, python-docx refuses the pasted character: the failure
    # the researcher sees must say where
    monkeypatch.setattr(common, "clean_text", lambda text: text)
    monkeypatch.setattr(docx, "clean_text", lambda text: text)
    corpus = corpus_from_project(project)
    with pytest.raises(StoreError) as err:
        export_corpus(corpus, "docx")
    sentence = err.value.sentence
    assert f"transcript-I1-{ids[0]}.docx" in sentence
    assert f"passage 1 (at 00:00:00) of interview {ids[0]}" in sentence
    assert "exports folder is as it was" in sentence
    assert folder_state(project.path) == before  # nothing half-written, no hidden copy


FULL = r"""
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from tui.cli import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("limit", [3000, 15000, 37000])
def test_a_full_disk_during_a_docx_export_is_one_sentence(tmp_path: Path, limit: int) -> None:
    # A real full disk needs a small file system, which CI cannot mount: RLIMIT_FSIZE makes
    # every write past `limit` bytes fail (EFBIG) on the same write path as ENOSPC.
    project, _ids = _project(tmp_path / "p")
    project.close()
    before = folder_state(project.path)
    done = subprocess.run(
        [sys.executable, "-c", FULL, str(limit), "--project", str(project.path), "export", "docx"],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("kvale: Export problem: The disk is full")
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert folder_state(project.path) == before
    assert not [p for p in project.path.rglob(".*") if not p.name.startswith(".kvale")]
