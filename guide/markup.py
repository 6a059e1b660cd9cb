"""The Markdown side of a guide file: markdown-it-py, with the guide's own lines as a plugin.

markdown-it-py (CommonMark, plus tables so that they can be refused) reads the
block structure: headings, bullet and ordered lists and their nesting, block
quotes, paragraphs and their continuation lines, thematic breaks, comments,
code and HTML, each with its lines (``token.map``). `parse_blocks` returns
that as a `SyntaxTreeNode` tree, which `guide.reader` turns into a guide.

Three things a guide writes are not Markdown, and a block rule adds them
(`_guide_line`): a numbered line such as ``2.1 Question?`` or ``2.1.a Probe``
(CommonMark reads only ``1.`` and ``1)`` as list markers), a ``note:`` or
``keywords:`` line, and a lettered probe ``a) …`` in a list or indented.
Each becomes a ``guide_line`` block that ends the paragraph above it, as a
list item would. Two CommonMark habits are switched off because a guide means
otherwise: an indented line is never code (guides indent probes by four
spaces, and markdown-it-py lets lists start there once the ``code`` rule is
off), and a deeper-indented line does not continue the paragraph above it
(`_paragraph`, CommonMark's paragraph rule without that case). Link reference
definitions are off too: ``[x]: y`` is text in a guide.

`render_inline` turns the inline Markdown of a piece of text (``*emphasis*``,
``[links](…)``, ``\\*`` escapes) into the plain text shown on screen, and
refuses pictures and inline HTML, naming the line.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import StateBlock
from markdown_it.tree import SyntaxTreeNode

from kvale_errors import N_

logger = logging.getLogger(__name__)

NUMBERED = re.compile(
    r"^(?P<id>\d{1,9}(?:\.\d{1,9})*(?:\.[a-z]{1,2})?)(?P<punct>[.)])?(?:[ \t]+|$)(?P<text>.*)",
    re.DOTALL,
)
LABEL = re.compile(
    r"^(?P<label>notes?|notat|merknad|keywords?|nøkkelord|stikkord)[ \t]*:[ \t]*(?P<text>.*)",
    re.IGNORECASE | re.DOTALL,
)
LETTER = re.compile(r"^(?P<letter>[a-z])[.)][ \t]+(?P<text>.*)", re.DOTALL)
# A line the guide reads as an item of its own, where CommonMark would continue the
# paragraph above it (an ordered list not starting at 1, an empty '-').
_ITEM_LIKE = re.compile(r"^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
# Text without these characters has no inline Markdown: it needs no parser.
_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<>!&]")
_QUOTE_DEPTH = "kvale_quote_depth"


class MarkupProblem(Exception):
    """A piece of text holds markup a guide cannot hold, on ``line`` (1-based).

    ``template`` is the sentence in English (marked ``N_``, so the app can show it in the
    researcher's language) and ``params`` the values filled into it.
    """

    def __init__(self, template: str, line: int, **params: Any) -> None:
        super().__init__(template.format(**params))
        self.template = template
        self.params = params
        self.line = line


def _in_quote(state: StateBlock) -> bool:
    """Inside a quote, but not asked by the quote whether a line without '>' ends it."""
    return bool(state.env.get(_QUOTE_DEPTH)) and state.parentType != "blockquote"


def _guide_match(state: StateBlock, line: int) -> dict[str, str] | None:
    """What guide line starts at ``line`` (kind and parts), or None."""
    if _in_quote(state):
        return None  # inside '> …' every line is script text
    text = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]
    numbered = NUMBERED.match(text)
    if numbered is not None and "." in numbered.group("id"):
        return {"kind": "number", "id": numbered.group("id"), "punct": numbered["punct"] or ""}
    label = LABEL.match(text)
    if label is not None:
        return {"kind": "label", "label": label.group("label").lower()}
    letter = LETTER.match(text)
    if letter is not None and (state.parentType == "list" or state.sCount[line] >= 2):
        return {"kind": "letter", "letter": letter.group("letter")}
    return None


def _paragraph_end(state: StateBlock, start: int) -> int:
    """The line after the paragraph starting at ``start``: the next blank line or block."""
    rules = state.md.block.ruler.getRules("paragraph")
    old, state.parentType = state.parentType, "paragraph"
    line = start + 1
    while line < state.lineMax and not state.isEmpty(line):
        if state.sCount[line] >= 0 and any(
            rule(state, line, state.lineMax, True) for rule in rules
        ):
            break
        line += 1
    state.parentType = old
    return line


def _push_block(state: StateBlock, kind: str, start: int, end: int, meta: dict[str, str]) -> None:
    content = mdTrim(state.getLines(start, end, state.blkIndent, False))
    state.line = end
    opening = state.push(f"{kind}_open", "p", 1)
    opening.map = [start, end]
    opening.meta = meta
    inline = state.push("inline", "", 0)
    inline.content = content
    inline.map = [start, end]
    inline.children = []
    state.push(f"{kind}_close", "p", -1)


def _guide_line(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    found = _guide_match(state, start)
    if silent:  # asked whether this line ends the paragraph above it
        if found is not None:
            return True
        text = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]
        return not _in_quote(state) and _ITEM_LIKE.match(text) is not None
    if found is None:
        return False
    _push_block(state, "guide_line", start, _paragraph_end(state, start), found)
    return True


def _paragraph(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    _push_block(state, "paragraph", start, _paragraph_end(state, start), {})
    return True


def _counting_quotes(rule: Any) -> Any:
    def blockquote(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        state.env[_QUOTE_DEPTH] = state.env.get(_QUOTE_DEPTH, 0) + 1
        try:
            return bool(rule(state, start, end, silent))
        finally:
            state.env[_QUOTE_DEPTH] -= 1

    return blockquote


def _make_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table")
    md.disable(["code", "reference", "inline"])  # inline: per piece, in render_inline
    quote = next(r for r in md.block.ruler.__rules__ if r.name == "blockquote")
    md.block.ruler.at("blockquote", _counting_quotes(quote.fn), {"alt": list(quote.alt)})
    md.block.ruler.at("paragraph", _paragraph)
    md.block.ruler.before(
        "paragraph", "guide_line", _guide_line, {"alt": ["paragraph", "blockquote"]}
    )
    return md


_MD_BLOCKS = _make_parser()
_MD_INLINE = MarkdownIt("commonmark")


def parse_blocks(text: str) -> SyntaxTreeNode:
    """The block tree of a guide's text (newlines ``\\n``, front matter blanked out)."""
    return SyntaxTreeNode(_MD_BLOCKS.parse(text, {}))


def block_problem(node: SyntaxTreeNode) -> MarkupProblem | None:
    """Markup a guide cannot hold in this block (with its 1-based line); else None."""
    if node.map is None:
        return None
    first, after = node.map[0] + 1, node.map[1]
    if node.type == "fence":
        return MarkupProblem(
            N_(
                "code blocks ('{markup}') are not understood in a guide — remove the "
                "'{markup}' lines and write the text as a question, a probe or a note"
            ),
            first,
            markup=node.markup,
        )
    if node.type == "table":
        return MarkupProblem(
            N_(
                "tables are not understood in a guide — write each question on its own "
                "numbered line instead"
            ),
            first,
        )
    if node.type == "html_block":
        return _html_block(node.content, first)
    if node.type == "heading" and node.markup in ("=", "-"):
        return MarkupProblem(
            N_(
                "the line of '{markup}' under line {above} turns that line into "
                "an underlined heading, which is not understood — write '## Title' for a "
                "section instead, or put an empty line before the '{markup}' line"
            ),
            after,
            markup=node.markup,
            above=after - 1,
        )
    if node.type == "heading" and node.level > 0:
        return MarkupProblem(
            N_(
                "a heading inside a list or a quote is not understood — start the line "
                "with '## ' at the left margin, with no '-' or '>' before it"
            ),
            first,
        )
    return None


def is_ignored(node: SyntaxTreeNode) -> bool:
    """A block with nothing to read: a thematic break (``---``) or an HTML comment."""
    return node.type == "hr" or (node.type == "html_block" and block_problem(node) is None)


def _html_block(content: str, first: int) -> MarkupProblem | None:
    body = content.strip()
    if body.startswith("<!--"):
        if "-->" not in body:
            return MarkupProblem(
                N_(
                    "the comment that starts here with '<!--' is never closed — add '-->' "
                    "where it ends, or everything after it would be ignored"
                ),
                first,
            )
        if not body.endswith("-->"):
            return MarkupProblem(
                N_(
                    "text after '-->' on the same line would be ignored as part of the "
                    "comment — put it on a line of its own"
                ),
                first + body.count("\n"),
            )
        return None
    tag = body.split(None, 1)[0] if body else "<…>"
    return MarkupProblem(
        N_("HTML ('{tag}') is not understood in a guide — remove it and write plain text"),
        first,
        tag=tag[:30],
    )


def render_inline(text: str, line: int) -> str:
    """The plain text of a piece of inline Markdown that starts on ``line``, whitespace collapsed.

    Raises:
        MarkupProblem: the text holds a picture or inline HTML (with the line it is on).
    """
    if not text.strip():
        return ""
    if _INLINE_SPECIAL.search(text) is None:
        return " ".join(text.split())
    parts: list[str] = []
    for block in _MD_INLINE.parseInline(text):
        for child in block.children or ():
            kind = child.type
            if kind in ("text", "code_inline"):
                parts.append(child.content)
            elif kind in ("softbreak", "hardbreak"):
                parts.append(" ")
                line += 1
            elif kind == "image":
                raise MarkupProblem(
                    N_(
                        "pictures ('![…](…)') are not understood in a guide — remove the "
                        "picture or describe it in words"
                    ),
                    line,
                )
            elif kind == "html_inline":
                if child.content.startswith("<!--"):
                    line += child.content.count("\n")
                    continue
                raise MarkupProblem(
                    N_(
                        "HTML ('{tag}') is not understood in a guide — remove the tag and "
                        "write plain text"
                    ),
                    line,
                    tag=child.content[:30],
                )
    return " ".join("".join(parts).split())
