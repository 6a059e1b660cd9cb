"""From markdown-it-py's block tree to the guide's sections, questions and probes.

`guide.markup.parse_blocks` gives the Markdown structure; this module says
what each block is in a guide:

- a ``#`` heading is the title, ``##`` a section, ``###`` a question;
- a ``guide_line`` block (``2.1 …``, ``2.1.a …``, ``note: …``, ``a) …``) is a
  question, a probe, a note or keywords; an item of an ordered list (``1.``,
  ``2)``) is numbered by its place in the section;
- an item of a bullet list is a question without a number, or a probe when the
  list is nested in another or indented by two columns or more;
- a block quote is the intro (before the first section) or the closing (at the
  very end, or under ``## Closing``);
- a paragraph is a description under its question, or closing text.

Line numbers come from the blocks' ``map``; the text of each block is kept as
raw Markdown with its line and rendered when the guide is built.
"""

from __future__ import annotations

import re

from markdown_it.tree import SyntaxTreeNode

from guide.frontmatter import FrontMatter
from guide.markup import LABEL, LETTER, NUMBERED, block_problem, is_ignored
from guide.scripts import Scripts, block_line, raw_inline
from guide.settings import clip
from kvale_errors import N_

CLOSING_TITLES = frozenset(
    {"avslutning", "avslutting", "closing", "closing script", "outro", "slutt", "afslutning"}
)
"""Unnumbered section titles that mark the closing script instead of a section."""

_SECTION_NUMBER = re.compile(r"^(?P<id>\d{1,9}(?:\.[0-9a-z]+)*)(?P<punct>[.):])?(?:[ \t]+|$)")
_SEPARATOR = re.compile(r"^[-–—:][ \t]+")
_NO_QUESTION_TEXT = N_("question {qid} has no text — write the question after the number")


class Reader(Scripts):
    """One walk over the blocks of one guide; raises GuideError on the first problem."""

    def __init__(self, lines: list[str], front: FrontMatter, path: str | None) -> None:
        super().__init__(lines, front, path)
        self.heading_title_seen = False

    def run(self, root: SyntaxTreeNode) -> None:
        blocks = root.children
        last = max((i for i, b in enumerate(blocks) if not is_ignored(b)), default=-1)
        for index, block in enumerate(blocks):
            self.block(block, depth=0, at_end=index == last)

    def column(self, node: SyntaxTreeNode) -> int:
        """The column a block's first line starts at (tabs to 4), for top-level blocks."""
        raw = self.lines[node.map[0]] if node.map else ""
        expanded = raw.expandtabs(4)
        return len(expanded) - len(expanded.lstrip(" "))

    def block(self, node: SyntaxTreeNode, *, depth: int, at_end: bool) -> None:
        problem = block_problem(node)
        if problem is not None:
            raise self.fail_with(problem)
        line, kind = block_line(node), node.type
        if kind in ("hr", "html_block"):
            return
        if kind == "heading":
            self.heading(line, int(node.tag[1]), raw_inline(node))
        elif kind == "blockquote":
            self.quote(node, at_end=at_end)
        elif kind in ("bullet_list", "ordered_list"):
            for item in node.children:  # each item at its own column: a list may go back left
                nested = depth > 0 or self.column(item) >= 2
                self.list_item(item, nested=nested, depth=depth)
        elif kind == "guide_line":
            self.guide_line(node, indent=2 if depth > 0 or self.column(node) >= 2 else 0)
        else:
            self.text(line, raw_inline(node))

    # -- headings ----------------------------------------------------------------------

    def heading(self, line: int, level: int, text: str) -> None:
        if level == 1:
            self.title_heading(line, text)
        elif level == 2:
            self.section_heading(line, text)
        elif level == 3:
            self.check_not_closed(line)
            text, attrs = self.split_attributes(text, line)
            match = NUMBERED.match(text)
            if match is not None:
                self.numbered(line, match["id"], match["text"], indent=0, attrs=attrs)
            else:
                self.unnumbered_question(line, text, attrs)
        else:
            raise self.fail(
                N_(
                    "'{hashes}' headings are not understood — use '## ' for a section, and "
                    "'### ' or a numbered line such as '2.1 …' for a question"
                ),
                line,
                hashes="#" * level,
            )

    def title_heading(self, line: int, text: str) -> None:
        if self.sections or self.heading_title_seen:
            raise self.fail(
                N_(
                    "a '# ' heading is only understood once, as the title at the top — use "
                    "'## ' for a section"
                ),
                line,
            )
        title = self.render([(line, text)])
        if not title:
            raise self.fail(N_("the title heading is empty — write the title after '# '"), line)
        if self.title is not None and self.title != title:
            raise self.fail(
                N_(
                    "the guide has two titles: '{first}' in the front matter (line {where}) "
                    "and '{second}' here — keep one"
                ),
                line,
                first=clip(self.title),
                where=self.title_line or 1,
                second=clip(title),
            )
        self.title, self.title_line = title, line
        self.heading_title_seen = True

    def section_heading(self, line: int, text: str) -> None:
        self.check_not_closed(line)
        text, attrs = self.split_attributes(text, line)
        match = _SECTION_NUMBER.match(text)
        sid: str | None = None
        title_raw = text
        if match is not None:
            parts = match.group("id").split(".")
            if len(parts) > 1:
                raise self.fail(
                    N_(
                        "a section heading has one number, as in '## 2 …'; '{qid}' is a "
                        "question's number — write that question as a line '{qid} …' under "
                        "its section"
                    ),
                    line,
                    qid=match.group("id"),
                )
            sid = str(int(parts[0]))
            title_raw = _SEPARATOR.sub("", text[match.end() :].strip())
        title = self.render([(line, title_raw)])
        if sid is None and title.lower().rstrip(":. ") in CLOSING_TITLES:
            if attrs:
                raise self.fail(
                    N_("the closing part takes no settings in '{{…}}' — remove them"), line
                )
            self.closing_line = line
            return
        if not title:
            if sid:
                raise self.fail(
                    N_(
                        "section {sid} has no text — write its theme or main question after "
                        "'## {sid} '"
                    ),
                    line,
                    sid=sid,
                )
            raise self.fail(
                N_(
                    "this section heading has no text — write its theme or main question "
                    "after '## '"
                ),
                line,
            )
        self.new_section(line, sid, [(line, title_raw)], attrs, flat=False)

    # -- lists and numbered lines --------------------------------------------------------

    def list_item(self, item: SyntaxTreeNode, *, nested: bool, depth: int) -> None:
        line = block_line(item)
        children = list(item.children)
        first = children[0] if children else None
        if first is not None and first.type == "guide_line":
            self.guide_line(first, indent=2 if nested else 0)
            children = children[1:]
        elif first is None or first.type == "paragraph":
            text = raw_inline(first) if first is not None else ""
            text, attrs = self.split_attributes(text, line)
            if item.info:  # an ordered list's number: '1.' or '2)'
                self.numbered(line, item.info, text, indent=2 if nested else 0, attrs=attrs)
            elif nested:
                if attrs:
                    raise self.attributes_misplaced(line)
                self.new_probe(line, None, text)
            else:
                self.unnumbered_question(line, text, attrs)
            children = children[1:]
        elif first.type == "blockquote":
            raise self.fail(
                N_(
                    "a quote ('>') inside a list is not understood — quotes are the intro or "
                    "the closing, at the left margin; remove the '>'"
                ),
                block_line(first),
            )
        for child in children:
            self.block(child, depth=depth + 1, at_end=False)

    def guide_line(self, node: SyntaxTreeNode, *, indent: int) -> None:
        line, raw, kind = block_line(node), raw_inline(node), node.meta["kind"]
        if kind == "label":
            label = LABEL.match(raw)
            assert label is not None  # the block rule matched it
            self.labelled(line, node.meta["label"], label["text"])
        elif kind == "letter":
            letter = LETTER.match(raw)
            assert letter is not None
            question = self.question
            pid = f"{question.id}.{letter['letter']}" if question else None
            self.new_probe(line, pid, letter["text"])
        else:
            text, attrs = self.split_attributes(
                raw[len(node.meta["id"] + node.meta["punct"]) :], line
            )
            self.numbered(line, node.meta["id"], text.strip(), indent=indent, attrs=attrs)

    def numbered(
        self, line: int, raw_id: str, text: str, *, indent: int, attrs: dict[str, str]
    ) -> None:
        parts = [part if part.isalpha() else str(int(part)) for part in raw_id.split(".")]
        letter = parts[-1].isalpha()
        numeric = len(parts) - (1 if letter else 0)
        self.check_not_closed(line)
        if (numeric >= 3 and letter) or numeric >= 4:
            raise self.fail(
                N_(
                    "'{number}' has more levels of numbering than a guide has — number "
                    "sections '2', questions '2.1' and probes '2.1.a'"
                ),
                line,
                number=raw_id,
            )
        if letter or numeric == 3:
            if attrs:
                raise self.attributes_misplaced(line)
            self.new_probe(line, ".".join(parts), text)
            return
        section = self.section
        if numeric == 1 and indent >= 2 and self.question is not None:
            if attrs:
                raise self.attributes_misplaced(line)
            self.new_probe(line, f"{self.question.id}.{parts[0]}", text)
            return
        if numeric == 1 and (section is None or section.flat):
            self.nonempty(text, line, _NO_QUESTION_TEXT, qid=parts[0])
            self.new_section(line, parts[0], [(line, text)], attrs, flat=True)
            return
        if attrs:
            raise self.attributes_misplaced(line)
        if section is None:
            raise self.fail(
                N_(
                    "question {qid} comes before any section — add a section heading such as "
                    "'## {sid} …' above it"
                ),
                line,
                qid=".".join(parts),
                sid=parts[0],
            )
        if numeric == 1:
            qid = f"{section.id}.{parts[0]}"
        else:
            qid = ".".join(parts)
            if parts[0] != section.id:
                raise self.fail(
                    N_(
                        "question {qid} is under section {sid} (line {where}) — renumber it "
                        "{sid}.… or move it under section {other}"
                    ),
                    line,
                    qid=qid,
                    sid=section.id,
                    where=section.line,
                    other=parts[0],
                )
        self.nonempty(text, line, _NO_QUESTION_TEXT, qid=qid)
        self.new_question(line, qid, [(line, text)])

    def unnumbered_question(self, line: int, text: str, attrs: dict[str, str]) -> None:
        self.check_not_closed(line)
        self.nonempty(
            text,
            line,
            N_("this question has no text — write the question after the dash, or delete the line"),
        )
        section = self.section
        if section is None or section.flat:
            self.new_section(line, None, [(line, text)], attrs, flat=True)
            return
        if attrs:
            raise self.attributes_misplaced(line)
        self.new_question(line, None, [(line, text)])
