"""Fuzz the guide parser: whatever the text, out comes a Guide or a GuideError with a line.

The text is built from guide-like fragments (headings, numbers, dashes, quotes,
front matter pieces, braces, unicode, NUL) so that hypothesis reaches deep
into the grammar instead of stopping at the first line.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guide.bundled import bundled_guides
from guide.model import Guide
from guide.parser import format_outline, guide_warnings, parse_guide
from kvale_errors import GuideError

FRAGMENTS = [
    "---",
    "...",
    "title: T",
    "title:",
    "language: nb",
    "language: Norsk",
    "research_questions:",
    "  RQ1: Hva styrker?",
    "  - Hva reduserer?",
    "  RQ1: dup",
    "author: x",
    "# Title",
    "#",
    "## ",
    "## 1 Informasjon",
    "## 2 Hva styrker? {rq=RQ1 min=8}",
    "## 3 Bad {rq=RQ9}",
    "## 4 {min=0}",
    "## Avslutning",
    "## Closing",
    "## 2.1 wrong",
    "### 2.2 Heading question",
    "### Unnumbered heading question",
    "#### deep",
    "1.1 Hvor lenge?",
    "1.1. Trailing dot?",
    "2.1 Q?",
    "2.1",
    "3.1 Other section?",
    "1. Flat?",
    "2) Flat paren?",
    "2.1.a Probe explicit",
    "2.1.1 Probe numeric",
    "2.a Section probe",
    "1.2.3.4 Too deep",
    "- Bullet question?",
    "-",
    "* star",
    "+ plus",
    "    - probe",
    "  - probe",
    "\t- tab probe",
    "    - 2.1.a explicit probe",
    "    - a) letter probe",
    "   1. numbered probe",
    "    - note: for the interviewer",
    "- note:",
    "- keywords: a, b",
    "  - keywords: ,",
    "note: bare",
    "> intro line",
    ">",
    "> > nested",
    "lazy text",
    "Kom gjerne med eksempler.",
    "    indented continuation",
    "```",
    "~~~",
    "| a | b |",
    "|---|---|",
    "<div>",
    "<!-- comment -->",
    "<!-- open",
    "-->",
    "<!-- c --> tail",
    "![img](x.png)",
    "text <b>bold</b>",
    "***",
    "- - -",
    "===",
    "{",
    "}",
    "{rq=RQ1}",
    "{}",
    "{min=abc}",
    "{rq=RQ1 min=8",
    "[link](http://x)",
    "\\# escaped",
    "æøå ÆØÅ ✓ 🎙",
    "\x00",
    "\x1b",
    "\ufeff",
    "\r",
    "\u2028",
    "",
    "",
    "",
]

FRONT_MATTER = [
    "title: T",
    "title:",
    "title: 'Quoted: title'",
    "language: nb",
    "language: Norsk",
    "lang: en",
    "research_questions:",
    "  RQ1: Hva styrker?",
    "  - Hva reduserer?",
    "  RQ1: dup",
    "  bad id: x",
    "author: x",
    "# comment",
    "  stray indent",
    "no colon here",
    "",
]

# Printable text without control characters: those are fuzzed through FRAGMENTS,
# and on their own they would stop almost every document at its first line.
plain = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)
line = st.one_of(
    st.sampled_from(FRAGMENTS),
    st.sampled_from(FRAGMENTS),
    st.sampled_from(FRAGMENTS),
    st.builds(lambda a, b: a + " " + b, st.sampled_from(FRAGMENTS), plain),
    st.builds(lambda a, b: a + b, plain, st.sampled_from(FRAGMENTS)),
    plain,
)
front_matter = st.one_of(
    st.just(""),
    st.just("---\ntitle: T\nresearch_questions:\n  RQ1: Hva styrker?\n---\n"),
    st.lists(st.sampled_from(FRONT_MATTER), max_size=6).map(
        lambda items: "\n".join(["---", *items, "---", ""])
    ),
)
start_of_body = st.sampled_from(["", "## 1 Start\n", "## 2 Hva styrker? {rq=RQ1}\n2.1 Q?\n"])
documents = st.builds(
    lambda fm, head, body: fm + head + "\n".join(body),
    front_matter,
    start_of_body,
    st.lists(line, max_size=25),
)


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(documents)
def test_parser_returns_a_guide_or_a_located_guide_error(text: str) -> None:
    try:
        guide = parse_guide(text, path="fuzz.md")
    except GuideError as error:
        assert error.line is not None and error.line >= 1
        assert error.line <= text.count("\n") + text.count("\r") + 1
        assert error.path == "fuzz.md"
        assert "—" in error.detail  # what happened — what to do
        return
    assert isinstance(guide, Guide)
    assert guide.source == text
    check_guide_invariants(guide)


def check_guide_invariants(guide: Guide) -> None:
    """What every parsed guide satisfies, whatever its text."""
    assert format_outline(guide)
    guide_warnings(guide)
    ids = guide.ids
    assert len(ids) == len(set(ids)), "ids must be unique"
    assert guide.sections
    for section in guide.sections:
        assert section.question.is_section and section.question.id == section.id
        assert section.question.text
        for question in section.questions:
            assert question.section_id == section.id
            assert question.id.startswith(section.id + ".")
            assert question.text
            for probe in question.probes:
                assert probe.id.startswith(question.id + ".")
                assert probe.text


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_parser_on_arbitrary_text(text: str) -> None:
    try:
        guide = parse_guide(text)
    except GuideError as error:
        assert error.line is not None
        assert 1 <= error.line <= text.count("\n") + text.count("\r") + 1
        return
    assert guide.source == text


BUNDLED_LINES = [b.read_text().split("\n") for b in bundled_guides()]
mutation = st.tuples(
    st.sampled_from(["replace", "insert", "delete", "duplicate", "indent", "dedent"]),
    st.integers(min_value=0, max_value=200),
    line,
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(BUNDLED_LINES), st.lists(mutation, min_size=1, max_size=4))
def test_parser_on_mutated_bundled_guides(lines: list[str], mutations: list[tuple]) -> None:
    """Real guides with a few lines broken: the errors a researcher's edit can cause."""
    lines = list(lines)
    for kind, position, fragment in mutations:
        i = position % len(lines)
        if kind == "replace":
            lines[i] = fragment
        elif kind == "insert":
            lines.insert(i, fragment)
        elif kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "indent":
            lines[i] = "    " + lines[i]
        else:
            lines[i] = lines[i].lstrip()
    text = "\n".join(lines)
    try:
        guide = parse_guide(text, path="mutated.md")
    except GuideError as error:
        assert error.line is not None
        assert 1 <= error.line <= len(lines) + text.count("\r")
        assert "—" in error.detail
        return
    check_guide_invariants(guide)
