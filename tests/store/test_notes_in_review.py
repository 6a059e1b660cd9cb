"""Notes and bookmarks taken during the interview, in review and in every export that
carries the transcript (issue 14, case 10): they were only in the marker log."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from docx import Document
from store_helpers import passages_of, small_guide, transcript

from guide.transcript import Marker, MarkerKind
from store import Project
from store.exports import export_project
from store.exports.qdpx import check_qdpx
from store.review import ReviewSession


def _project(path: Path) -> tuple[Project, str]:
    project = Project.init(path, name="notes")
    project.update_settings(redaction_names=["Kari=[colleague]"])
    iid = project.new_interview("I1", project.add_guide(small_guide()), "en").id
    segments = transcript(60, "w")  # three passages: 0-7.9 s, 8-15.9 s, 16-23.9 s
    project.set_passages(iid, passages_of(segments))
    project.add_marker(iid, Marker(1.0, MarkerKind.ASKED, "1"))
    project.add_marker(iid, Marker(10.0, MarkerKind.NOTE, text="ask Kari about the roster"))
    project.add_marker(iid, Marker(17.5, MarkerKind.BOOKMARK))
    return project, iid


def test_review_shows_notes_with_their_passage_and_edits_them(tmp_path: Path) -> None:
    project, iid = _project(tmp_path / "p")
    session = ReviewSession.open(project)
    interview = session.corpus.interview(iid)
    assert [n.kind for n in interview.notes] == [MarkerKind.NOTE, MarkerKind.BOOKMARK]
    assert [n.text for n in interview.notes_at(1)] == ["ask Kari about the roster"]
    assert [n.kind for n in interview.notes_at(2)] == [MarkerKind.BOOKMARK]
    session.edit_note(iid, 1, "  Kari   cried here ")
    again = Project.open(project.path)
    markers = again.interview(iid).markers
    assert [m.text for m in markers if m.kind == MarkerKind.BOOKMARK] == ["Kari cried here"]
    assert len(markers) == 3  # the other markers kept


def test_every_transcript_export_carries_the_notes_redacted(tmp_path: Path) -> None:
    project, _iid = _project(tmp_path / "p")
    out = project.path / "exports"
    for fmt in ("md", "txt", "docx", "csv", "json", "qdpx"):
        export_project(project, fmt, None)
    md = next((out / "md").glob("*.md")).read_text()
    assert "> *`00:00:10` Note: ask [colleague] about the roster*" in md
    assert md.index("w39") < md.index("Note: ask") < md.index("w40")  # after its passage
    assert "`00:00:17` Bookmark*" in md
    txt = next((out / "txt").glob("*.txt")).read_text()
    assert "[00:00:10] (Note: ask [colleague] about the roster)" in txt
    doc = Document(str(next((out / "docx").glob("transcript-*.docx"))))
    assert "[00:00:10] Note: ask [colleague] about the roster" in [p.text for p in doc.paragraphs]
    rows = list(
        csv.DictReader(
            io.StringIO(next((out / "csv").glob("*.csv")).read_text(encoding="utf-8-sig"))
        )
    )
    assert [r["notes"] for r in rows] == [
        "",
        "00:00:10 Note: ask [colleague] about the roster",
        "00:00:17 Bookmark",
    ]
    data = json.loads(next((out / "json").glob("*.json")).read_text())
    assert data["interviews"][0]["notes"][0]["text"] == "ask [colleague] about the roster"
    qdpx = next((out / "qdpx").glob("*.qdpx"))
    assert check_qdpx(qdpx) == []
    with zipfile.ZipFile(qdpx) as zf:
        qde = zf.read("project.qde").decode()
    assert "<PlainTextContent>Note: ask [colleague] about the roster</PlainTextContent>" in qde
    assert qde.count("<NoteRef") == 2 and "Kari" not in qde
