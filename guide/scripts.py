"""The guide's text that is not a question: notes, keywords, descriptions and the scripts.

`Scripts` adds to `guide.drafts.Drafts` what `guide.reader.Reader` does with
a ``note:`` or ``keywords:`` line, a paragraph (a question's description, or
closing text) and a block quote (the intro read aloud before the first
section, or the closing at the very end).
"""

from __future__ import annotations

import re

from markdown_it.tree import SyntaxTreeNode

from guide.drafts import Drafts, Parts
from guide.frontmatter import FrontMatter
from guide.markup import block_problem
from kvale_errors import N_

_QUOTE_LINE = re.compile(r"^ {0,3}>")
_KEYWORD_LABELS = ("keyword", "keywords", "nøkkelord", "stikkord")


def block_line(node: SyntaxTreeNode) -> int:
    """The 1-based line a block starts on."""
    return node.map[0] + 1 if node.map else 1


def raw_inline(node: SyntaxTreeNode) -> str:
    """The raw Markdown of a block's text (paragraph, heading, guide line), '' if none."""
    return next((child.content for child in node.children if child.type == "inline"), "")


class Scripts(Drafts):
    """The drafts of one guide file, with its lines (to find a quote's lines without '>')."""

    def __init__(self, lines: list[str], front: FrontMatter, path: str | None) -> None:
        super().__init__(front, path)
        self.lines = lines

    def labelled(self, line: int, label: str, text: str) -> None:
        kind = "keywords" if label in _KEYWORD_LABELS else "note"
        self.check_not_closed(line)
        question = self.question
        if question is None:
            raise self.fail(
                N_(
                    "this '{label}:' line has no question to belong to — put it under a "
                    "question or a section heading"
                ),
                line,
                label=label,
            )
        if kind == "note":
            self.nonempty(
                text, line, N_("the note is empty — write it after '{label}:'"), label=label
            )
            question.notes.append([(line, text)])
        elif not [w for w in re.split(r"[,;]", text) if w.strip()]:
            raise self.fail(
                N_(
                    "no keywords after '{label}:' — list words separated by commas, such as "
                    "'{label}: colleague, team', or delete the line"
                ),
                line,
                label=label,
            )
        else:
            question.keywords.append([(line, text)])

    # -- text and quotes -----------------------------------------------------------------

    def text(self, line: int, content: str) -> None:
        if self.closing_line is not None:
            self.closing.append([(line, content)])
            return
        question = self.question
        if question is None:
            raise self.fail(
                N_(
                    "text before the first section is not understood — start it with '> ' if "
                    "it is the intro read aloud, or put it under a section heading such as "
                    "'## 1 …'"
                ),
                line,
            )
        question.description.append([(line, content)])

    def quote(self, node: SyntaxTreeNode, *, at_end: bool) -> None:
        assert node.map is not None
        start = node.map[0] + 1
        lazy = next(
            (
                number
                for number in range(start, node.map[1] + 1)
                if self.lines[number - 1].strip() and not _QUOTE_LINE.match(self.lines[number - 1])
            ),
            None,
        )
        if self.closing_line is not None:
            self.closing.extend(self.quote_paragraphs(node))
        elif not self.sections:
            if lazy is not None:
                raise self.fail(
                    N_(
                        "this line follows the quoted intro but does not start with '>' — "
                        "start it with '> ' to keep it in the intro"
                    ),
                    lazy,
                )
            self.intro.extend(self.quote_paragraphs(node))
        elif at_end and lazy is None:
            self.closing.extend(self.quote_paragraphs(node))
        else:
            raise self.fail(
                N_(
                    "a quoted script ('> …') in the middle of the guide is not understood — "
                    "quotes are read aloud as the intro (before the first section) or the "
                    "closing (at the very end); remove the '>' to make it the question's "
                    "description"
                ),
                start,
            )

    def quote_paragraphs(self, node: SyntaxTreeNode) -> list[Parts]:
        """The paragraphs of a quote; a list's items stay in their paragraph, one per line."""
        paragraphs: list[Parts] = []
        for child in node.walk(include_self=False):
            problem = block_problem(child)
            if problem is not None:
                raise self.fail_with(problem)
            if child.type not in ("paragraph", "guide_line"):
                continue
            item = child.parent
            if item is not None and item.type == "list_item" and paragraphs:
                marker = f"{item.info}{item.markup}" if item.info else item.markup
                paragraphs[-1].append((block_line(child), f"\n{marker} {raw_inline(child)}"))
            else:
                paragraphs.append([(block_line(child), raw_inline(child))])
        return paragraphs
