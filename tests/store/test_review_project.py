"""Review over a real `store.Project`: read, edit, code, export (library and `kvale export`)."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from review_helpers import small_corpus

from guide.bundled import load_bundled
from guide.transcript import TagSource
from store import Project
from store.codebook import Codebook
from store.corpus import corpus_from_project
from store.exports import FORMATS, export_project
from store.exports.qdpx import check_qdpx
from store.review import ReviewSession
from tui.cli import main as kvale


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A project with the three hand-made interviews, saved through the store."""
    project = Project.init(tmp_path / "nav", name="NAV trivsel")
    project.update_settings(redaction_names=["Kari=[colleague]"])
    guide_hash = project.add_guide(load_bundled("nav-trivsel-en"))
    for item in small_corpus().interviews:
        interview = project.new_interview(item.participant, guide_hash, "en")
        project.save_interview(
            replace(
                interview,
                passages=list(item.passages),
                duration=item.duration,
                started_at=f"{item.date}T10:00:00",
            )
        )
        project.set_status(interview.id, "transcribed")
    return project


def test_corpus_from_a_real_project(project: Project) -> None:
    corpus = corpus_from_project(project)
    assert corpus.name == "NAV trivsel"
    assert [i.participant for i in corpus.interviews] == ["I1", "I2", "I3"]
    assert corpus.interviews[0].date == "2023-03-13"
    assert corpus.interviews[0].status == "transcribed"
    assert corpus.guide is not None and corpus.guide.title.startswith("NAV employees")
    assert corpus.redactions[0].placeholder == "[colleague]"
    assert corpus.interviews[2].passages == small_corpus().interviews[2].passages


def test_edits_and_codes_are_saved_in_the_project(project: Project) -> None:
    session = ReviewSession.open(project)
    i1 = session.corpus.interviews[0]
    session.retag(i1.id, 3, "2.3")
    session.code_passage(i1.id, 3, "team", 0, 24)
    session.split(i1.id, 3, i1.passages[3].text.index("and Kari"))
    again = ReviewSession.open(Project.open(project.path))
    stored = again.corpus.interview(i1.id).passages
    assert len(stored) == len(i1.passages) + 1
    assert stored[3].primary is not None and stored[3].primary.source == TagSource.MANUAL
    assert stored[4].text.startswith("and Kari")
    found, detached = Codebook.load(project.path).resolve(i1.id, stored)
    assert detached == [] and found[0][1] == 3 and found[0][0].text == "We have a good team here"


def test_the_interview_list_counts_the_words_review_counts(
    project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kvale list` counted the engine's segments, so an edit in review left it at the
    old count (a first-time user's finding: 237 in the list, 235 in the app)."""
    session = ReviewSession.open(project)
    i1 = session.corpus.interviews[0]
    session.edit_text(i1.id, 3, "We have a good team.")
    words = session.corpus.interview(i1.id).word_count
    reopened = Project.open(project.path)
    assert reopened.interview(i1.id).word_count == words
    assert next(s.words for s in reopened.interviews() if s.id == i1.id) == words
    assert kvale(["--project", str(project.path), "list"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith(i1.id))
    assert f" {words} words" in line


def test_export_project_every_format(project: Project) -> None:
    for fmt in FORMATS:
        paths = export_project(project, fmt, None)
        assert paths and all(project.path / "exports" in p.parents for p in paths), fmt
    [qdpx] = export_project(project, "qdpx", None)
    assert check_qdpx(qdpx) == []
    with zipfile.ZipFile(qdpx) as zf:
        assert all(b"Kari" not in zf.read(n) for n in zf.namelist())


def test_kvale_export_command(
    project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.csv"
    assert kvale(["--project", str(project.path), "export", "csv", "--out", str(out)]) == 0
    assert f"Wrote {out}" in capsys.readouterr().out
    assert out.read_text(encoding="utf-8").count("\n") == 1 + 14  # header + passages
    code = kvale(["--project", str(project.path), "export", "member-check", "--participant", "I2"])
    assert code == 0 and "member-check-I2.txt" in capsys.readouterr().out
    assert kvale(["--project", str(project.path), "export", "pdf"]) == 2
    err = capsys.readouterr().err
    assert "cannot export 'pdf'" in err and "Traceback" not in err
