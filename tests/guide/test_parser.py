"""The guide file format: what each construct becomes, and a sentence for each mistake."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from guide.model import Guide
from guide.parser import (
    check_guide,
    format_outline,
    guide_warnings,
    load_guide,
    parse_guide,
)
from kvale_errors import GuideError
from kvale_i18n import translator


def md(text: str) -> str:
    """Dedent a guide written inline in a test; line 1 is the first line after the quotes."""
    return textwrap.dedent(text).lstrip("\n")


FULL = md(
    """
    ---
    title: Work and well-being
    language: nb
    research_questions:
      RQ1: What strengthens well-being?
      RQ2: "What reduces well-being?"
    ---

    > Welcome. I will ask about your work.
    > Please name no third person.
    >
    > You can stop at any time.

    ## 1 Background {min=5}
    1.1 How long have you worked here?
    1.2. Which department?

    ## 2 What strengthens well-being? {rq=RQ1 min=7,5}
    Feel free to give
    examples.

    - note: first research question
    2.1 With users?
        - Can you give an example?
        - note: let them finish
        - 2.1.c What did it mean to you?
        - keywords: user, client; case
        - And then?
    2.2 With colleagues?
      and in the team?
    - Unnumbered question
      - a) lettered probe
      - b) second lettered probe

    ## Third theme {rq=rq2 min=8min}
    ### 3.5 A heading question
    ### An unnumbered heading question

    ## Avslutning
    > Thank you for
    > your time.
    """
)


@pytest.fixture(scope="module")
def full() -> Guide:
    return parse_guide(FULL, path="full.md")


def test_front_matter(full: Guide) -> None:
    assert full.title == "Work and well-being"
    assert full.language == "nb"
    assert full.research_questions == {
        "RQ1": "What strengthens well-being?",
        "RQ2": "What reduces well-being?",
    }
    assert full.path == "full.md"
    assert full.source == FULL


def test_intro_and_closing(full: Guide) -> None:
    assert full.intro == (
        "Welcome. I will ask about your work. Please name no third person.\n\n"
        "You can stop at any time."
    )
    assert full.closing == "Thank you for your time."


def test_ids_written_and_derived(full: Guide) -> None:
    assert full.ids == [
        "1", "1.1", "1.2",
        "2", "2.1", "2.2", "2.3",
        "3", "3.5", "3.6",
    ]  # fmt: skip
    probes = [p.id for p in full.question("2.1").probes]
    assert probes == ["2.1.a", "2.1.c", "2.1.d"]
    assert [p.id for p in full.question("2.3").probes] == ["2.3.a", "2.3.b"]


@pytest.mark.parametrize(
    ("qid", "text", "line"),
    [
        ("1", "Background", 14),
        ("1.1", "How long have you worked here?", 15),
        ("1.2", "Which department?", 16),
        ("2", "What strengthens well-being?", 18),
        ("2.1", "With users?", 23),
        ("2.2", "With colleagues? and in the team?", 29),
        ("2.3", "Unnumbered question", 31),
        ("3", "Third theme", 35),
        ("3.5", "A heading question", 36),
        ("3.6", "An unnumbered heading question", 37),
    ],
)
def test_question_text_and_line(full: Guide, qid: str, text: str, line: int) -> None:
    question = full.question(qid)
    assert question.text == text
    assert question.line == line
    assert question.section_id == qid.split(".")[0]
    assert question.is_section == ("." not in qid)


def test_probes_notes_keywords(full: Guide) -> None:
    q = full.question("2.1")
    assert [(p.id, p.text, p.line) for p in q.probes] == [
        ("2.1.a", "Can you give an example?", 24),
        ("2.1.c", "What did it mean to you?", 26),
        ("2.1.d", "And then?", 28),
    ]
    assert q.notes == ("let them finish",)
    assert q.keywords == ("user", "client", "case")
    section_question = full.question("2")
    assert section_question.notes == ("first research question",)
    assert section_question.description == "Feel free to give examples."
    assert [p.text for p in full.question("2.3").probes] == [
        "lettered probe",
        "second lettered probe",
    ]


def test_section_attributes(full: Guide) -> None:
    one, two, three = full.sections
    assert (one.research_question, one.planned_minutes) == (None, 5.0)
    assert (two.research_question, two.planned_minutes) == ("RQ1", 7.5)
    assert (three.research_question, three.planned_minutes) == ("RQ2", 8.0)
    assert two.title == "What strengthens well-being?"
    assert [q.id for q in two.questions] == ["2.1", "2.2", "2.3"]
    assert full.section_of("2.2") is two


def test_content_hash_is_the_source_hash(full: Guide) -> None:
    again = parse_guide(FULL, path="elsewhere.md")
    assert again.content_hash == full.content_hash
    assert len(full.content_hash) == 64
    changed = parse_guide(FULL.replace("With users?", "With users!"))
    assert changed.content_hash != full.content_hash


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("## Alpha\n## Beta\n## 5 Gamma\n## Delta\n", ["1", "2", "5", "6"]),
        ("## 2 Two\n- a\n- b\n2.7 c\n- d\n", ["2", "2.1", "2.2", "2.7", "2.8"]),
        ("## 02 Leading zero\n2.01 Question\n", ["2", "2.1"]),
        ("## 1. Dot\n## 2) Paren\n## 3 – Dash title\n", ["1", "2", "3"]),
        ("## 4 Four\n1. First\n2) Second\n", ["4", "4.1", "4.2"]),
        # A guide without sections: each question is a one-question section.
        ("1. How are you?\n2. What do you do?\n   - Why?\n", ["1", "2"]),
        ("- How are you?\n- What do you do?\n", ["1", "2"]),
        ("1. Flat\n1.1 Under the flat one\n## 5 Then a section\n", ["1", "1.1", "5"]),
        ("### 1 Heading question before any section\n", ["1"]),
    ],
)
def test_ids(text: str, ids: list[str]) -> None:
    assert parse_guide(text).ids == ids


@pytest.mark.parametrize(
    ("text", "question", "probes"),
    [
        ("## 1 S\n1.1 Q\n    - a\n    - b\n", "1.1", ["1.1.a", "1.1.b"]),
        ("## 1 S\n1.1 Q\n  - 1.1.x a\n  - b\n", "1.1", ["1.1.x", "1.1.y"]),
        ("## 1 S\n1.1 Q\n\t- z) a\n\t- b\n", "1.1", ["1.1.z", "1.1.aa"]),
        ("## 1 S\n1.1 Q\n   1. a\n   2. b\n   - c\n", "1.1", ["1.1.1", "1.1.2", "1.1.3"]),
        ("## 1 S\n1.1 Q\n1.1.a written without a dash\n", "1.1", ["1.1.a"]),
        ("## 1 S\n  - probe of the section question\n1.1 Q\n", "1", ["1.a"]),
        ("## 1 S\n1.a probe of the section question\n", "1", ["1.a"]),
    ],
)
def test_probe_ids(text: str, question: str, probes: list[str]) -> None:
    guide = parse_guide(text)
    assert [p.id for p in guide.question(question).probes] == probes


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2.1 Hva *styrker* **trivselen**?", "Hva styrker trivselen?"),
        ("2.1 See [the form](https://example.org)", "See the form"),
        ("2.1 Use `code` and \\*stars\\*", "Use code and *stars*"),
        ("2.1 Spaces   collapse <!-- a comment --> here", "Spaces collapse here"),
        ("2.1 Brace {kept} in text?", "Brace {kept} in text?"),
        ("2.1 Æ ø å — ✓", "Æ ø å — ✓"),
    ],
)
def test_inline_markdown_becomes_plain_text(line: str, expected: str) -> None:
    guide = parse_guide(f"## 2 S\n{line}\n")
    assert guide.question("2.1").text == expected


def test_title_from_heading_or_file_name() -> None:
    assert parse_guide("# My guide\n## 1 S\n").title == "My guide"
    assert parse_guide("---\ntitle: Same\n---\n# Same\n## 1 S\n").title == "Same"
    assert parse_guide("## 1 S\n", path="/x/my-study.md").title == "my-study"
    assert parse_guide("## 1 S\n").title == "Untitled guide"


def test_comments_rules_and_blank_lines_are_ignored() -> None:
    text = md(
        """
        <!-- a comment
        over two lines -->
        ## 1 S

        ---
        1.1 Q
        ***
        <!-- one line -->
        1.2 R
        """
    )
    assert parse_guide(text).ids == ["1", "1.1", "1.2"]


def test_final_blockquote_is_the_closing_and_closing_accepts_plain_text() -> None:
    assert parse_guide("## 1 S\n1.1 Q\n\n> Thanks!\n").closing == "Thanks!"
    guide = parse_guide("## 1 S\n## Closing\nThank you.\n\nGoodbye.\n")
    assert guide.closing == "Thank you.\n\nGoodbye."
    assert guide.ids == ["1"]


def test_numbered_section_named_closing_is_a_section() -> None:
    guide = parse_guide("## 1 S\n## 2 Avslutning\n2.1 Er det noe du vil tilføye?\n")
    assert guide.ids == ["1", "2", "2.1"]
    assert guide.closing == ""


def test_research_questions_as_a_list() -> None:
    text = "---\nresearch_questions:\n  - First?\n  - Second?\n---\n## 1 S {rq=RQ2}\n"
    guide = parse_guide(text)
    assert guide.research_questions == {"RQ1": "First?", "RQ2": "Second?"}
    assert guide.sections[0].research_question == "RQ2"


def test_line_endings_tabs_and_bom_keep_line_numbers() -> None:
    text = "\ufeff---\r\ntitle: T\r\n---\r\n## 1 S\r\n1.1 Q\r\n\t- probe\r\n"
    guide = parse_guide(text)
    assert guide.source == text
    assert guide.question("1.1").line == 5
    assert guide.question("1.1").probes[0].line == 6
    with pytest.raises(GuideError) as error:
        parse_guide("## 1 S\r\r1.1\r")
    assert error.value.line == 3


# -- mistakes: (guide text, line of the error, words of the fix in the sentence) ----------

BAD = [
    pytest.param("", 1, "write a title, sections and questions", id="empty"),
    pytest.param("\n  \n\n", 1, "write a title", id="blank"),
    pytest.param("## 1 S\n1.1 Q\x00\n", 2, "is it the right file", id="nul"),
    pytest.param("## 1 S\n\n1.1 Q\x1b\n", 3, "retype the line", id="control-char"),
    pytest.param("---\ntitle: T\n---\n", 1, "add a section heading", id="no-questions"),
    pytest.param("## 1 S\n1.1 " + "x" * 20_000 + "\n", 2, "break it into", id="long-line"),
    pytest.param(
        "## 1 S\nfoo\u2028bar\n\n| a | b |\n|---|---|\n", 4, "numbered line", id="u2028-table"
    ),
    pytest.param("> Only an intro\n", 1, "add a section heading", id="only-intro"),
    # front matter
    pytest.param("---\ntitle: T\nlanguage: nb\n", 1, "add a line with only '---'", id="fm-open"),
    pytest.param(
        "---\ntitle: T\n\n## 1 S\n", 1, "add a line with only '---' before line 4", id="fm-open2"
    ),
    pytest.param("---\ntitle: T\nauthor: Me\n---\n## 1 S\n", 3, "remove the line", id="fm-key"),
    pytest.param("---\ntitle: A\ntitle: B\n---\n## 1 S\n", 3, "keep one", id="fm-twice"),
    pytest.param("---\njust words\n---\n## 1 S\n", 2, "'key: value'", id="fm-no-colon"),
    pytest.param("---\ntitle:\n---\n## 1 S\n", 2, "write it after 'title:'", id="fm-title"),
    pytest.param("---\nlanguage: Norsk\n---\n## 1 S\n", 2, "'language: nb'", id="fm-lang-name"),
    pytest.param("---\nlanguage: 12\n---\n## 1 S\n", 2, "such as nb", id="fm-lang-code"),
    pytest.param(
        "---\nresearch_questions: RQ1 x\n---\n## 1 S\n",
        2,
        "own indented line below it",
        id="fm-rq-inline",
    ),
    pytest.param("---\n  RQ1: x\n---\n## 1 S\n", 2, "under 'research_questions:'", id="fm-indent"),
    pytest.param(
        "---\nresearch_questions:\n  RQ1: a\n  rq1: b\n---\n## 1 S\n",
        4,
        "rename or remove",
        id="fm-rq-twice",
    ),
    pytest.param(
        "---\nresearch_questions:\n  RQ 1: a\n---\n## 1 S\n", 3, "such as RQ1", id="fm-rq-id"
    ),
    pytest.param("---\nresearch_questions:\n---\n## 1 S\n", 2, "add indented lines", id="fm-rq0"),
    pytest.param(
        "---\nresearch_questions:\n  RQ1 no colon\n---\n## 1 S\n", 3, "a colon", id="fm-rq-colon"
    ),
    pytest.param("---\ntitle: >\n  Long\n---\n## 1 S\n", 2, "on the same line", id="fm-multi"),
    pytest.param("---\ntitle: A\n---\n# B\n## 1 S\n", 4, "keep one", id="two-titles"),
    # ids
    pytest.param("## 1 S\n## 1 T\n", 2, "renumber one of them", id="dup-section"),
    pytest.param("## 1 S\n1.1 Q\n1.1 R\n", 3, "renumber one of them", id="dup-question"),
    pytest.param("## 1 S\n1.1 Q\n  - a\n  - 1.1.a b\n", 4, "renumber one of them", id="dup-probe"),
    pytest.param("## 1 S\n- Q\n1.1 R\n", 3, "gets the next id in its place", id="dup-derived"),
    pytest.param("## 1 S\n1.1\n", 2, "write the question after the number", id="empty-q"),
    pytest.param("## 1 S\n1.1 <!-- -->\n", 2, "write the question", id="empty-q-comment"),
    pytest.param("## 3\n", 1, "write its theme or main question", id="empty-section"),
    pytest.param("## {min=3}\n", 1, "write its theme", id="empty-section-attrs"),
    pytest.param("## 1 S\n1.1 Q\n    -\n", 3, "write the follow-up question", id="empty-probe"),
    pytest.param("## 1 S\n-\n", 2, "write the question after the dash", id="empty-bullet"),
    pytest.param(
        "- 2.1.a Text\n## 2 S\n",
        1,
        "indent it under a numbered question such as '2.1 …'",
        id="probe-first",
    ),
    pytest.param("    - Why?\n## 1 S\n", 1, "indent it under a numbered", id="probe-first-2"),
    pytest.param("## 2 S\n  - 2.1.a Text\n", 2, "such as '2.1 …'", id="probe-missing-parent"),
    pytest.param(
        "## 2 S\n2.1 Q\n2.2 R\n  - 2.1.a Text\n", 4, "move it under question 2.1", id="probe-moved"
    ),
    pytest.param(
        "## 1 S\n1.1 Q\n  - 2.1.a x\n", 3, "renumber it '1.1.…'", id="probe-parent-missing"
    ),
    pytest.param("2.1 Q\n", 1, "add a section heading such as '## 2 …'", id="question-first"),
    pytest.param("## 2 S\n3.1 Q\n", 2, "renumber it 2.", id="question-wrong-section"),
    pytest.param("## 2.1 S\n", 1, "under its section", id="section-two-levels"),
    pytest.param("## 2 S\n2.1.1.1 Q\n", 2, "probes '2.1.a'", id="too-deep"),
    pytest.param("## 2 S\n2.1.1.a Q\n", 2, "probes '2.1.a'", id="too-deep-letter"),
    # markup a guide does not hold
    pytest.param("## 1 S\n\n| a | b |\n|---|---|\n", 3, "numbered line", id="table"),
    pytest.param("## 1 S\n1.1 Q ![x](y.png)\n", 2, "describe it in words", id="image"),
    pytest.param("## 1 S\n1.1 Q\n```\ncode\n```\n", 3, "remove the '```' lines", id="fence"),
    pytest.param("## 1 S\n~~~\ncode\n", 2, "remove the '~~~' lines", id="fence-tilde"),
    pytest.param("## 1 S\n<div>\nx\n</div>\n", 2, "write plain text", id="html-block"),
    pytest.param("## 1 S\n1.1 Q <b>bold</b>\n", 2, "remove the tag", id="html-inline"),
    pytest.param("## 1 S\n1.1 Q\n  - why <i>x</i>\n", 3, "remove the tag", id="html-probe"),
    pytest.param("## 1 S\n# Late title\n", 2, "use '## ' for a section", id="h1-late"),
    pytest.param("# A\n# B\n## 1 S\n", 2, "use '## ' for a section", id="h1-twice"),
    pytest.param("## 1 S\n#### Deep\n", 2, "use '## ' for a section", id="h4"),
    pytest.param("###### Deep\n", 1, "use '## ' for a section", id="h6"),
    pytest.param("## 1 S\nTitle\n=====\n", 3, "write '## Title'", id="setext-equals"),
    pytest.param("## 1 S\n1.1 Q\n---\n", 3, "put an empty line before", id="setext-dash"),
    pytest.param("## 1 S\n- ## inner\n", 2, "at the left margin", id="heading-in-list"),
    pytest.param("## 1 S\n<!-- open\n1.1 Q\n", 2, "add '-->'", id="comment-open"),
    pytest.param("## 1 S\n<!-- c --> 1.1 Q\n", 2, "on a line of its own", id="comment-tail"),
    # {attributes}
    pytest.param("## 1 S {foo=1}\n", 1, "rq (the research question", id="attr-unknown"),
    pytest.param("## 1 S {min=soon}\n", 1, "such as min=8", id="attr-min-text"),
    pytest.param("## 1 S {min=0}\n", 1, "such as min=8", id="attr-min-zero"),
    pytest.param("## 1 S {min=900}\n", 1, "such as min=8", id="attr-min-huge"),
    pytest.param("## 1 S {rq=RQ1 min=8\n", 1, "close them with '}'", id="attr-unclosed"),
    pytest.param("## 1 S {min=8} more\n", 1, "at the very end", id="attr-middle"),
    pytest.param("## 1 S {}\n", 1, "or remove them", id="attr-empty"),
    pytest.param("## 1 S {min}\n", 1, "key=value", id="attr-no-value"),
    pytest.param("## 1 S {min=1 min=2}\n", 1, "keep one", id="attr-twice"),
    pytest.param("## 1 S {rq=RQ1,RQ2}\n", 1, "such as rq=RQ1", id="attr-two-rq"),
    pytest.param("## 1 S\n1.1 Q {min=3}\n", 2, "move them there", id="attr-on-question"),
    pytest.param(
        "---\nresearch_questions:\n  RQ1: a\n---\n## 1 S {rq=RQ3}\n",
        5,
        "add 'RQ3: …' under research_questions",
        id="rq-undeclared",
    ),
    pytest.param("## 1 S {rq=RQ1}\n", 1, "add 'research_questions:'", id="rq-none-declared"),
    # text in the wrong place
    pytest.param("Some words\n## 1 S\n", 1, "start it with '> '", id="text-first"),
    pytest.param("> Intro\nlazy line\n## 1 S\n", 2, "to keep it in the intro", id="lazy-quote"),
    pytest.param("## 1 S\n> quote\n1.1 Q\n", 2, "remove the '>'", id="quote-middle"),
    pytest.param("- note: hi\n## 1 S\n", 1, "put it under a question", id="note-first"),
    pytest.param("## 1 S\n- note:\n", 2, "write it after 'note:'", id="note-empty"),
    pytest.param("## 1 S\n- keywords: , ;\n", 2, "separated by commas", id="keywords-empty"),
    # the sentence names the label as the researcher wrote it
    pytest.param("## 1 S\n- notat:\n", 2, "write it after 'notat:'", id="notat-empty"),
    pytest.param("## 1 S\n- nøkkelord: ,\n", 2, "'nøkkelord: colleague", id="nokkelord-empty"),
    pytest.param("## 1 S\n## Closing\n> Bye\n## 2 T\n", 4, "to the end", id="after-closing"),
    pytest.param("## 1 S\n## Closing\n> Bye\n1.1 Q\n", 4, "to the end", id="q-after-closing"),
    pytest.param("## 1 S\n## Closing\n", 2, "write the closing script", id="closing-empty"),
    pytest.param("## 1 S\n## Closing {min=2}\n> x\n", 2, "remove them", id="closing-attrs"),
]


@pytest.mark.parametrize(("text", "line", "fix"), BAD)
def test_each_mistake_names_its_line_and_the_fix(text: str, line: int, fix: str) -> None:
    with pytest.raises(GuideError) as caught:
        parse_guide(text, path="g.md")
    error = caught.value
    assert error.line == line, error.sentence
    assert error.path == "g.md"
    assert fix in error.detail, error.detail
    assert error.sentence.startswith(f"g.md, line {line}: ")
    assert "—" in error.detail  # what happened — what to do
    assert_in_norwegian(error)


def assert_in_norwegian(error: GuideError) -> None:
    """A Norwegian researcher reads the same mistake in bokmål and nynorsk: the line, then a
    sentence that is not the English one (every guide error is made with `GuideError.said`)."""
    assert error.template is not None, f"not translatable: {error.sentence}"
    for language in ("nb", "nn"):
        said = error.in_language(translator(language).gettext)
        where = f"{error.path}: " if error.line is None else f"{error.path}, linje {error.line}: "
        assert said.startswith(where), said
        assert error.detail not in said, said
        assert "—" in said, said


# -- files ---------------------------------------------------------------------------------


def test_load_guide_reads_a_file_and_keeps_its_exact_text(tmp_path: Path) -> None:
    file = tmp_path / "guide.md"
    file.write_bytes(FULL.replace("\n", "\r\n").encode("utf-8"))
    guide = load_guide(file)
    assert guide.path == str(file)
    assert guide.source == FULL.replace("\n", "\r\n")
    assert guide.ids == parse_guide(FULL).ids
    assert check_guide(str(file)).content_hash == guide.content_hash


@pytest.mark.parametrize(
    ("data", "line", "fix"),
    [
        pytest.param(b"## 1 S\n1.1 Q\n\x89PNG\x00\x00", 3, "is it the right file", id="binary"),
        pytest.param(
            "## 1 S\n\n1.1 Hvor lenge?\n1.2 Hva gjør du på jobb?\n".encode("cp1252"),
            4,
            "save the file as UTF-8",
            id="latin-1",
        ),
        pytest.param("## 1 S\n".encode("utf-16"), 1, "save it as UTF-8", id="utf-16"),
        pytest.param(b"", 1, "write a title", id="empty-file"),
    ],
)
def test_load_guide_rejects_files_that_are_not_utf8_text(
    tmp_path: Path, data: bytes, line: int, fix: str
) -> None:
    file = tmp_path / "guide.md"
    file.write_bytes(data)
    with pytest.raises(GuideError) as caught:
        load_guide(file)
    assert caught.value.line == line
    assert caught.value.path == str(file)
    assert fix in caught.value.detail
    assert_in_norwegian(caught.value)


def test_non_utf8_names_the_byte(tmp_path: Path) -> None:
    file = tmp_path / "guide.md"
    file.write_bytes("## 1 Bakgrunn\n1.1 Hvor går du på skolen?\n".encode("cp1252"))
    with pytest.raises(GuideError) as caught:
        load_guide(file)
    assert "byte 0xE5" in caught.value.detail
    assert "'å' in Windows-1252" in caught.value.detail


def test_load_guide_refuses_a_5_mb_file(tmp_path: Path) -> None:
    file = tmp_path / "recording.md"
    file.write_bytes(b"## 1 S\n" + b"x" * (5_000_000 - 7))
    with pytest.raises(GuideError) as caught:
        load_guide(file)
    assert caught.value.detail == (
        "a guide is a few pages; this file is 5.0 MB — is it the right file?"
    )


def test_parse_guide_refuses_a_5_mb_text() -> None:
    with pytest.raises(GuideError) as caught:
        parse_guide("## 1 S\n" + "x" * 5_000_000)
    assert caught.value.line == 1
    assert "5.0 MB" in caught.value.detail


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_load_guide_missing_file_or_folder(tmp_path: Path, kind: str) -> None:
    target = tmp_path / "guide.md"
    if kind == "folder":
        target.mkdir()
    with pytest.raises(GuideError) as caught:
        load_guide(target)
    assert caught.value.path == str(target)
    assert "—" in caught.value.detail
    assert_in_norwegian(caught.value)


# -- outline and advice ------------------------------------------------------------------


def test_format_outline_lists_every_id_and_text(full: Guide) -> None:
    outline = format_outline(full)
    lines = outline.splitlines()
    assert lines[0] == "Work and well-being"
    assert lines[1] == "language nb · 3 sections · 10 questions · 5 probes · 20.5 min planned"
    assert "2  What strengthens well-being?  [RQ1 · 7.5 min]" in lines
    assert "  2.2  With colleagues? and in the team?" in lines
    assert "       - 2.1.c  What did it mean to you?" in lines
    assert "       note: let them finish" in lines
    assert "       keywords: user, client, case" in lines
    for question in full.questions():
        assert question.id in outline and question.text in outline
    assert "Closing, read aloud (5 words)" in lines


def test_guide_warnings() -> None:
    text = "---\nresearch_questions:\n  RQ1: a\n  RQ2: b\n---\n## 1 S {rq=RQ1 min=5}\n## 2 T\n"
    assert guide_warnings(parse_guide(text)) == [
        "line 7: section 2 has no planned minutes while other sections do — add {min=…} to "
        "its heading",
        "research question RQ2 is not linked to any section — add {rq=RQ2} to the heading of "
        "the sections that serve it",
    ]
    assert guide_warnings(parse_guide(FULL)) == []
