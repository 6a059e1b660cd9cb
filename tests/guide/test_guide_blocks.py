"""What the token-stream reader adds: YAML front matter read by PyYAML, and Markdown block
structure (lists, quotes, continuation lines) from markdown-it-py."""

from __future__ import annotations

import pytest

from guide.parser import parse_guide
from kvale_errors import GuideError
from tests.guide.test_parser import assert_in_norwegian


@pytest.mark.parametrize(
    ("front", "line", "fix"),
    [
        pytest.param("title: [unclosed", 3, "without brackets", id="yaml-bracket"),
        pytest.param("title: T\nlanguage: nb: x", 4, "put the value in quotes", id="two-colons"),
        pytest.param("title: *nope", 3, "'key: value'", id="yaml-other"),
        pytest.param('title: "unclosed\nlanguage: nb', 3, "same quote mark", id="yaml-quote"),
        pytest.param(
            "title: T\n1.1 Not a setting\nlanguage: nb", 4, "is not a setting", id="no-colon"
        ),
        pytest.param("just words\ntitle: T", 3, "is not a setting", id="no-colon-first"),
        pytest.param("title: T\n\tlanguage: nb", 4, "indented", id="tab-indent"),
        pytest.param("title: T\n  stray indent: x", 4, "indented", id="indented-later"),
        pytest.param("title:\n  nested: map", 4, "takes one line of text", id="title-mapping"),
        pytest.param("title: T\nlanguage: nb\n  continued", 4, "same line", id="multi-line"),
        pytest.param("research_questions:\n  - [a, b]", 4, "a colon", id="rq-list-in-list"),
        pytest.param("research_questions:\n  RQ1:", 4, "write it after 'RQ1:'", id="rq-empty"),
        pytest.param(
            "research_questions:\n      RQ1: a\n  RQ2: b",
            5,
            "indent every research",
            id="rq-indent",
        ),
        pytest.param(
            "research_questions:\n  RQ1: a\n    RQ2: b", 5, "indent every research", id="rq-indent2"
        ),
    ],
)
def test_front_matter_mistakes_name_their_line(front: str, line: int, fix: str) -> None:
    """Line 1 is empty and line 2 the opening '---': the first setting is on line 3."""
    with pytest.raises(GuideError) as caught:
        parse_guide(f"\n---\n{front}\n---\n## 1 S\n", path="g.md")
    assert caught.value.line == line, caught.value.detail
    assert fix in caught.value.detail
    assert "—" in caught.value.detail
    assert_in_norwegian(caught.value)


def test_front_matter_values_are_yaml_text() -> None:
    guide = parse_guide(
        "---\n# a comment\ntitle: 2024  # a year, kept as text\nlanguage: nb\n"
        "research_questions:\n  - RQ5: Named in a list?\n  - Unnamed?\n...\n## 1 S {rq=RQ5}\n"
    )
    assert guide.title == "2024"
    assert guide.research_questions == {"RQ5": "Named in a list?", "RQ2": "Unnamed?"}


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        # an ordered list not starting at 1 ends the description above it
        ("## 1 S\nA description\n2. Second\n", ["1", "1.2"]),
        # a bullet list may go back to the margin: that item is a question again
        ("## 1 S\n1.1 Q\n    - probe\n- question\n", ["1", "1.1", "1.2"]),
        # a numbered line ends the list item above it
        ("## 1 S\n- first\n1.5 second\n", ["1", "1.1", "1.5"]),
    ],
)
def test_block_structure(text: str, ids: list[str]) -> None:
    assert parse_guide(text).ids == ids


def test_a_deeper_line_under_a_description_is_a_probe_not_text() -> None:
    guide = parse_guide("## 1 S\nA description\n    - a probe\n")
    assert guide.question("1").description == "A description"
    assert [p.text for p in guide.question("1").probes] == ["a probe"]


def test_continuation_lines_and_notes_over_two_lines() -> None:
    guide = parse_guide("## 1 S\n1.1 A long\nquestion\n    - note: look\n      twice\n")
    assert guide.question("1.1").text == "A long question"
    assert guide.question("1.1").notes == ("look twice",)


def test_a_list_inside_the_intro_keeps_its_lines() -> None:
    guide = parse_guide("> Before we start:\n> - you may stop\n> - no names\n\n## 1 S\n")
    assert guide.intro == "Before we start:\n- you may stop\n- no names"


@pytest.mark.parametrize(
    ("text", "line", "fix"),
    [
        pytest.param("## 1 S\n## Closing\n> Bye\n1.1 Q\n", 4, "to the end", id="closing-lazy"),
        pytest.param("## 1 S\n1.1 Q\n> Thanks\nlazy\n", 3, "remove the '>'", id="end-lazy"),
        pytest.param("## 1 S\n- > quoted\n", 2, "remove the '>'", id="quote-in-list"),
        pytest.param("## 1 S\n1.1 Q\n  - p ![x](y.png)\n", 3, "in words", id="image-probe"),
        pytest.param("## 1 S\n1.1 Q\nand <b>this</b>\n", 3, "remove the tag", id="html-2nd-line"),
    ],
)
def test_block_mistakes(text: str, line: int, fix: str) -> None:
    with pytest.raises(GuideError) as caught:
        parse_guide(text, path="g.md")
    assert caught.value.line == line, caught.value.detail
    assert fix in caught.value.detail


def test_a_line_of_unicode_spaces_is_blank() -> None:
    guide = parse_guide(
        "> Intro one.\n\u2028\n> Intro two.\n\n## 1 S\n1.1 Q\n\u00a0\nDescription\n"
    )
    assert guide.intro == "Intro one.\n\nIntro two."
    assert guide.question("1.1").description == "Description"
