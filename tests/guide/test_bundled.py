"""The guides shipped with kvale: they parse, and the thesis guide is faithful to the thesis."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from pathlib import Path

import pytest

from guide.bundled import bundled_guides, load_bundled
from guide.model import Guide
from guide.parser import guide_warnings, load_guide
from kvale_errors import GuideError

SEED = Path("/work/shared/seed/thesis-method-and-guide.txt")
NAMES = ["example-en", "nav-trivsel-en", "nav-trivsel-nb"]


def test_bundled_guides_are_listed_with_title_and_language() -> None:
    found = {b.name: b for b in bundled_guides()}
    assert sorted(found) == NAMES
    assert found["nav-trivsel-nb"].language == "nb"
    assert found["nav-trivsel-nb"].title == (
        "Ansatte i NAV sin opplevelse av arbeidsglede og arbeidsbelastninger"
    )
    assert found["nav-trivsel-en"].language == "en"
    assert found["example-en"].language == "en"
    assert found["example-en"].filename == "example-en.md"


@pytest.mark.parametrize("name", NAMES)
def test_each_bundled_guide_parses_cleanly(name: str) -> None:
    guide = load_bundled(name)
    assert guide.sections
    assert guide.title and guide.intro
    assert guide_warnings(guide) == []
    (bundled,) = [b for b in bundled_guides() if b.name == name]
    text = bundled.read_text()
    assert guide.source == text
    assert guide.content_hash == hashlib.sha256(text.encode("utf-8")).hexdigest()
    # The same file read from disk gives the same guide.
    from_disk = load_guide(Path(str(bundled.resource)))
    assert from_disk.ids == guide.ids
    assert from_disk.content_hash == guide.content_hash


@pytest.mark.parametrize("name", NAMES)
def test_content_hash_is_stable(name: str) -> None:
    assert load_bundled(name).content_hash == load_bundled(name + ".md").content_hash


def test_unknown_name_lists_the_bundled_guides() -> None:
    with pytest.raises(GuideError) as caught:
        load_bundled("nav-trivsel")
    assert "nav-trivsel-nb" in caught.value.sentence
    assert "example-en" in caught.value.sentence


@pytest.fixture(scope="module")
def nb() -> Guide:
    return load_bundled("nav-trivsel-nb")


@pytest.fixture(scope="module")
def en() -> Guide:
    return load_bundled("nav-trivsel-en")


def test_english_and_norwegian_have_the_same_structure(nb: Guide, en: Guide) -> None:
    assert en.ids == nb.ids
    assert list(en.research_questions) == list(nb.research_questions)
    for a, b in zip(nb.sections, en.sections, strict=True):
        assert (a.id, a.research_question, a.planned_minutes) == (
            b.id,
            b.research_question,
            b.planned_minutes,
        )
        assert bool(a.question.description) == bool(b.question.description)
        assert len(a.question.notes) == len(b.question.notes)
    assert len(en.intro.split("\n\n")) == len(nb.intro.split("\n\n")) == 3


def test_thesis_guide_structure(nb: Guide) -> None:
    assert nb.ids == [
        "1", "1.1", "1.2", "1.3", "1.4",
        "2", "2.1", "2.2", "2.3", "2.4",
        "3", "3.1", "3.2", "3.3", "3.4",
        "4", "4.1", "4.2", "4.3",
        "5",
        "6",
    ]  # fmt: skip
    assert nb.research_questions == {
        "RQ1": "Hva styrker trivselen til NAV-ansatte?",
        "RQ2": "Hva reduserer trivselen til NAV-ansatte?",
    }
    assert [s.research_question for s in nb.sections] == [None, "RQ1", "RQ2", None, None, None]
    assert sum(s.planned_minutes or 0 for s in nb.sections) == 60
    assert nb.question("2").description == "Kom gjerne med eksempler."
    assert nb.question("2.4").text == "I forhold til det sosialpolitiske eller organisatoriske?"
    assert nb.question("6").text == "Er det noe du vil tilføye?"
    assert nb.intro.startswith("Jeg heter ")


def _words(text: str) -> str:
    """Text reduced to its words, for comparing with the PDF extract of the thesis."""
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.mark.skipif(not SEED.exists(), reason="the thesis extract is not on this machine")
def test_thesis_guide_is_verbatim_appendix_3(nb: Guide) -> None:
    seed = SEED.read_text(encoding="utf-8")
    appendix = seed[seed.index("Vedlegg 3- Intervjuguide") :]
    lines = appendix.splitlines()
    assert _words(lines[1]) == _words(nb.title)
    intro_end = next(i for i, line in enumerate(lines) if line.strip() == "1 Informasjon")
    assert _words(" ".join(lines[2:intro_end])) == _words(nb.intro)
    guide_words = _words(" ".join(lines[intro_end:]))
    for question in nb.questions():
        # A theme's label ("Første forskningsspørsmål-") sits between its number and its
        # question in the thesis; the bundled guide keeps it as a note.
        written = question.text if question.is_section else f"{question.id} {question.text}"
        assert _words(written) in guide_words, question.id
        assert _words(question.description) in guide_words, question.id
        for note in question.notes:
            assert _words(f"{question.id} {note}") in guide_words, question.id
    # every numbered line of the appendix is a question of the bundled guide
    numbered = re.findall(r"^\s*(\d+(?:\.\d+)?)\.? ", "\n".join(lines[intro_end:]), re.M)
    assert sorted(set(numbered)) == sorted(nb.ids)


def test_example_guide_shows_every_feature() -> None:
    guide = load_bundled("example-en")
    questions = list(guide.questions())
    assert guide.research_questions and guide.intro and guide.closing
    assert all(s.planned_minutes for s in guide.sections)
    assert {s.research_question for s in guide.sections} == {None, "RQ1", "RQ2"}
    assert any(q.probes for q in questions)
    assert any(q.notes for q in questions)
    assert any(q.keywords for q in questions)
    assert any(q.description for q in questions)
    probe_ids = [p.id for q in questions for p in q.probes]
    assert "2.1.c" in probe_ids  # written
    assert "2.1.a" in probe_ids and "2.2.b" in probe_ids  # derived, lettered
    assert "2.3" in guide.ids  # an unnumbered question numbered from its place


GOLDEN = Path(__file__).parent / "data" / "bundled-guides.json"


@pytest.mark.parametrize("name", NAMES)
def test_bundled_guide_parses_as_before_the_token_parser(name: str) -> None:
    """Every id, text, line, note and setting, as the line-by-line parser read them.

    ``data/bundled-guides.json`` was written by the parser before it moved onto
    markdown-it-py's token stream (issue 19), from these same files.
    """
    guide = load_bundled(name)
    parsed = dataclasses.asdict(guide)
    parsed.pop("source")
    parsed["content_hash"] = guide.content_hash
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))[name]
    assert json.loads(json.dumps(parsed)) == expected
