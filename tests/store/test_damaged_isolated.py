"""One damaged interview stays its own problem (issue 14, case 7).

It made every export fail (exit 2, nothing written) and emptied the review screen,
while the message said "the other interviews are unaffected".
"""

from __future__ import annotations

from pathlib import Path

from process_helpers import kvale
from store_helpers import passages_of, small_guide, transcript

from store import Project
from store.corpus import corpus_from_project


def _three(path: Path) -> tuple[Project, list[str]]:
    project = Project.init(path)
    guide_hash = project.add_guide(small_guide())
    ids = []
    for who in ("I1", "I2", "I3"):
        iid = project.new_interview(who, guide_hash, "en").id
        segments = transcript(30, f"{who.lower()}x")
        project.set_transcript(iid, segments)
        project.set_passages(iid, passages_of(segments))
        ids.append(iid)
    return project, ids


def test_a_damaged_interview_is_listed_and_the_others_export(tmp_path: Path) -> None:
    project, ids = _three(tmp_path / "p")
    project.close()
    doc = project.path / "interviews" / f"{ids[1]}.json"
    doc.write_text(doc.read_text()[:200])  # truncated behind kvale's back

    listed = kvale("--project", str(project.path), "list")
    assert listed.returncode == 0, listed.stderr
    (row,) = [line for line in listed.stdout.splitlines() if line.startswith(ids[1])]
    assert row.rstrip().endswith("damaged")
    assert str(doc) in listed.stderr and "Restore it from your backup" in listed.stderr

    for fmt in ("md", "csv", "docx", "qdpx", "txt"):
        done = kvale("--project", str(project.path), "export", fmt)
        assert done.returncode == 0, (fmt, done.stderr)
        assert f"interview {ids[1]} is damaged and left out" in done.stderr
        assert "Traceback" not in done.stderr
    md = next((project.path / "exports" / "md").glob("*.md")).read_text()
    assert "i1x0" in md and "i3x0" in md and "i2x0" not in md


def test_review_reads_the_others_and_names_the_damaged_one(tmp_path: Path) -> None:
    project, ids = _three(tmp_path / "p")
    doc = project.path / "interviews" / f"{ids[0]}.json"
    doc.write_text("\x00garbage")
    corpus = corpus_from_project(Project.open(project.path, read_only=True))
    assert [i.id for i in corpus.interviews] == ids[1:]
    assert list(corpus.damaged) == [ids[0]]
    assert str(doc) in corpus.damaged[ids[0]]
