"""The Markdown side of a guide file, through markdown-it-py.

The guide format is line-oriented (a numbered line is a question, an indented
dash line is a probe), which CommonMark's block structure does not express:
for CommonMark an indented ``- probe`` under ``2.1 Question?`` is part of the
same paragraph. So `guide.parser` reads the lines itself and uses
markdown-it-py for what Markdown knows best:

- `scan_markup` finds the markup a guide cannot hold (code blocks, tables,
  HTML, underlined headings, headings inside lists or quotes) and the lines
  that carry nothing to read (rules like ``---``, HTML comments);
- `render_inline` turns the Markdown of one piece of text (``*emphasis*``,
  ``[links](…)``, ``\\*`` escapes) into the plain text shown on screen, and
  refuses pictures and inline HTML.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

logger = logging.getLogger(__name__)

_MD = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table")
# Block structure only: the inline pass runs per piece of text, in `render_inline`.
_MD_BLOCKS = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table").disable("inline")
# Text without these characters has no inline Markdown: it needs no parser.
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<>!&]")


class MarkupProblem(Exception):
    """A piece of text holds markup a guide cannot hold; the parser adds the line."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


@dataclass
class MarkupScan:
    """What markdown-it found in the whole guide, by 1-based line."""

    problems: dict[int, str] = field(default_factory=dict)
    skip: set[int] = field(default_factory=set)

    def add(self, line: int, sentence: str) -> None:
        self.problems.setdefault(line, sentence)


def scan_markup(text: str) -> MarkupScan:
    """Find unsupported block markup and the lines there is nothing to read on.

    Args:
        text: the guide text with newlines normalised to ``\\n`` (the front
            matter blanked out, so line numbers stay those of the file).

    Returns:
        Problems (line → sentence saying what is not understood and what to do)
        and the lines to skip (thematic breaks, HTML comments).
    """
    scan = MarkupScan()
    for token in _MD_BLOCKS.parse(text):
        if token.map is None:
            continue
        first, after = token.map[0] + 1, token.map[1]
        if token.type == "fence":
            scan.add(
                first,
                f"code blocks ('{token.markup}') are not understood in a guide — remove the "
                f"'{token.markup}' lines and write the text as a question, a probe or a note",
            )
        elif token.type == "table_open":
            scan.add(
                first,
                "tables are not understood in a guide — write each question on its own "
                "numbered line instead",
            )
        elif token.type == "html_block":
            _html_block(scan, token.content, first, after)
        elif token.type == "hr":
            scan.skip.update(range(first, after + 1))
        elif token.type == "heading_open":
            if token.markup in ("=", "-"):
                scan.add(
                    after,
                    f"the line of '{token.markup}' under line {after - 1} turns that line into "
                    "an underlined heading, which is not understood — write '## Title' for a "
                    f"section instead, or put an empty line before the '{token.markup}' line",
                )
            elif token.level > 0:
                scan.add(
                    first,
                    "a heading inside a list or a quote is not understood — start the line "
                    "with '## ' at the left margin, with no '-' or '>' before it",
                )
    return scan


def _html_block(scan: MarkupScan, content: str, first: int, after: int) -> None:
    body = content.strip()
    if body.startswith("<!--"):
        if "-->" not in body:
            scan.add(
                first,
                "the comment that starts here with '<!--' is never closed — add '-->' where "
                "it ends, or everything after it would be ignored",
            )
        elif not body.endswith("-->"):
            last = first + body.count("\n")
            scan.add(
                last,
                "text after '-->' on the same line would be ignored as part of the comment — "
                "put it on a line of its own",
            )
        else:
            scan.skip.update(range(first, after + 1))
        return
    tag = body.split(None, 1)[0] if body else "<…>"
    scan.add(
        first,
        f"HTML ('{tag[:30]}') is not understood in a guide — remove it and write plain text",
    )


def render_inline(text: str) -> str:
    """The plain text of one piece of inline Markdown, whitespace collapsed.

    Raises:
        MarkupProblem: the text holds a picture or inline HTML.
    """
    if not text.strip():
        return ""
    if _INLINE_SPECIAL.search(text) is None:
        return " ".join(text.split())
    parts: list[str] = []
    for block in _MD.parseInline(text):
        for child in block.children or ():
            kind = child.type
            if kind in ("text", "code_inline"):
                parts.append(child.content)
            elif kind in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif kind == "image":
                raise MarkupProblem(
                    "pictures ('![…](…)') are not understood in a guide — remove the picture "
                    "or describe it in words"
                )
            elif kind == "html_inline":
                if child.content.startswith("<!--"):
                    continue
                raise MarkupProblem(
                    f"HTML ('{child.content[:30]}') is not understood in a guide — remove "
                    "the tag and write plain text"
                )
    return " ".join("".join(parts).split())
