"""Each interview with its own guide, in every export (issue 14, case 8).

One interview with the Norwegian thesis guide, then one with ``example-en``: every
export labelled the project with the last guide (the Norwegian interview under
"1.1 What is your job…", CSV question texts, research questions and .qdpx codes from
the wrong guide; 10 of the first interview's 25 question codings dropped from the
.qdpx). Here the real `kvale export` writes every format and the files are read back.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from docx import Document
from process_helpers import kvale

from guide.bundled import load_bundled
from guide.transcript import Passage, Speaker, Tag, TagSource, Word
from store import Project
from store.codebook import Codebook
from store.exports import FORMATS
from store.exports.qdpx import check_qdpx, read_qdpx

NB, EN = load_bundled("nav-trivsel-nb"), load_bundled("example-en")


def _passages(guide, tag: str) -> list[Passage]:  # type: ignore[no-untyped-def]
    out, t = [], 0.0
    for q in guide.questions():
        for speaker, text in (
            (Speaker.INTERVIEWER, q.text),
            (Speaker.PARTICIPANT, f"{tag} svar {q.id}"),
        ):
            words = tuple(
                Word(t + i * 0.3, t + i * 0.3 + 0.2, w) for i, w in enumerate(text.split())
            )
            out.append(
                Passage(
                    t, words[-1].end, text, words, Tag(q.id, TagSource.MARKER, 0.9), (), speaker
                )
            )
            t += 10.0
    return out


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("two-guides") / "p"
    project = Project.init(path, name="two guides")
    ids = {}
    for who, guide in (("I1", NB), ("I2", EN)):
        iid = project.new_interview(who, project.add_guide(guide), guide.language)
        project.set_passages(iid.id, _passages(guide, who.lower()))
        ids[who] = iid.id
    book = Codebook()
    group = book.add_group("Trivsel", research_question="RQ1")
    code = book.add_code("team", group_id=group.id)
    book.apply(code.id, ids["I1"], project.interview(ids["I1"]).passages[1])
    book.save(path)
    project.close()
    for fmt in FORMATS:
        done = kvale("--project", str(path), "export", fmt)
        assert done.returncode == 0, (fmt, done.stderr)
    return path, ids


def _section(text: str, start: str, end: str | None) -> str:
    a = text.index(start)
    return text[a : text.index(end, a) if end else len(text)]


def test_markdown_puts_each_interview_under_its_own_questions(project) -> None:  # type: ignore[no-untyped-def]
    path, _ids = project
    md = next((path / "exports" / "md").glob("*.md")).read_text()
    assert NB.title in md and EN.title in md
    i1, i2 = _section(md, "## I1", "## I2"), _section(md, "## I2", None)
    assert "### 1.1 Hvor lenge har du jobbet i NAV?" in i1
    assert "What is your job" not in i1
    assert "### 1.1 What is your job, and how long have you had it?" in i2
    assert "Hvor lenge" not in i2


def test_csv_and_json_carry_each_interview_s_guide(project) -> None:  # type: ignore[no-untyped-def]
    path, _ids = project
    rows = list(
        csv.DictReader(
            io.StringIO(
                next((path / "exports" / "csv").glob("*.csv")).read_text(encoding="utf-8-sig")
            )
        )
    )
    for row in rows:
        guide = NB if row["participant"] == "I1" else EN
        assert row["guide"] == guide.title
        assert row["question_text"] == guide.question(row["question"]).text
    data = json.loads(next((path / "exports" / "json").glob("*.json")).read_text())
    assert data["guide"] is None  # no single project guide: each interview names its own
    for interview in data["interviews"]:
        guide = NB if interview["participant"] == "I1" else EN
        assert data["guides"][interview["guide"]]["title"] == guide.title
    rqs = {g["title"]: g["research_questions"] for g in data["guides"].values()}
    assert rqs[NB.title]["RQ1"] == NB.research_questions["RQ1"]


def test_txt_transcripts_use_their_own_guide(project) -> None:  # type: ignore[no-untyped-def]
    path, ids = project
    i1 = (path / "exports" / "txt" / f"I1-{ids['I1']}.txt").read_text()
    assert "## 1.1 Hvor lenge har du jobbet i NAV?" in i1 and "What is your job" not in i1


def test_docx_documents_use_their_own_guide(project) -> None:  # type: ignore[no-untyped-def]
    path, ids = project
    folder = path / "exports" / "docx"

    def headings(name: str) -> list[str]:
        doc = Document(str(folder / name))
        return [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]

    # I1 was interviewed in bokmål (its guide's language): its transcript is named so too
    i1 = headings(f"transkripsjon-I1-{ids['I1']}.docx")
    assert "1.1 Hvor lenge har du jobbet i NAV?" in i1
    assert not [h for h in i1 if "What is your job" in h]
    # the project-wide documents: no project language, one interview in each language, so
    # the first interview's (bokmål) names them
    by_q = headings("svar-per-spørsmål.docx")
    assert any(h.startswith(f"{NB.title} · 1.1 Hvor lenge") for h in by_q)
    assert any(h.startswith(f"{EN.title} · 1.1 What is your job") for h in by_q)
    codes = headings("koder-og-kondensering.docx")
    rq1 = next(h for h in codes if h.startswith("RQ1"))
    assert NB.research_questions["RQ1"] in rq1 and EN.research_questions["RQ1"] in rq1


def test_qdpx_codes_every_passage_with_its_own_guide_s_question(project) -> None:  # type: ignore[no-untyped-def]
    path, _ids = project
    qdpx = next((path / "exports" / "qdpx").glob("*.qdpx"))
    assert check_qdpx(qdpx) == []
    _root, _texts, selections = read_qdpx(qdpx)
    for who, guide in (("I1", NB), ("I2", EN)):
        mine = [s for s in selections if s.source.startswith(who) and s.code != "team"]
        assert len(mine) == 2 * len(list(guide.questions()))  # none dropped
        for s in mine:
            qid = s.code.split(" ", 1)[0]
            assert s.code == f"{qid} {guide.question(qid).text}"
    with zipfile.ZipFile(qdpx) as zf:
        qde = zf.read("project.qde").decode()
    assert f"Guide questions: {NB.title}" in qde and f"Guide questions: {EN.title}" in qde
