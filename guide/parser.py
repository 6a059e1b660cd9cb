"""Read an interview guide from its Markdown file.

The format (documented for researchers in ``docs/guide-format.md``)::

    ---
    title: My study
    language: en
    research_questions:
      RQ1: What makes work good?
    ---

    > Intro script, read aloud before the first question.

    ## 1 Background {min=5}
    1.1 How long have you worked here?

    ## 2 What makes your work good? {rq=RQ1 min=15}
    Take your time; examples help.

    2.1 With colleagues?
        - Can you give an example from last week?
        - 2.1.c What did that mean to you?
        - note: let them finish before following up
        - keywords: colleague, team
    - An unnumbered question gets the next number: 2.2

    ## Closing
    > Thank you!

Ids are the researcher's own numbering ("2", "2.1", "2.1.a"); lines without a
number get the next number in their place. Every problem is a
`kvale_errors.GuideError` naming the line and what to do.

Decisions a researcher can rely on:

- Questions before any ``##`` section: a guide may be a plain numbered list
  (``1. How are you?``), and then each such line is a main question of its own
  (a one-question section, id "1"). A ``2.1`` line before any section is an
  error: its number names a section that is not there.
- A quote (``> …``) is the intro before the first section and the closing at
  the very end (or under ``## Closing``/``## Avslutning``); in the middle of
  the guide it is an error, not silently attached to a question.
- ``note:`` and ``keywords:`` lines belong to the question above them (or to
  the section's own question right under its heading), indented or not.

The layers: this module checks the bytes and characters; `guide.frontmatter`
reads the YAML front matter (PyYAML); `guide.markup` the Markdown blocks
(markdown-it-py, with the guide's numbered lines as a block rule);
`guide.reader` says what each block is in a guide, and `guide.drafts` numbers
and builds the `guide.model.Guide`.
"""

from __future__ import annotations

import contextlib
import logging
import re
from pathlib import Path

from guide.frontmatter import parse_front_matter
from guide.markup import parse_blocks
from guide.model import Guide
from guide.outline import format_outline, guide_warnings
from guide.reader import CLOSING_TITLES, Reader
from kvale_errors import N_, GuideError

__all__ = [
    "CLOSING_TITLES",
    "MAX_BYTES",
    "check_guide",
    "format_outline",
    "guide_warnings",
    "load_guide",
    "parse_guide",
]

logger = logging.getLogger(__name__)

MAX_BYTES = 1_000_000
"""A guide is a few pages; anything above this is not the right file."""

MAX_LINE = 10_000
"""Characters in one line: a long intro paragraph is a few thousand."""

_TOO_BIG = N_("a guide is a few pages; this file is {size} MB — is it the right file?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_characters(text: str, path: str | None) -> None:
    if not text.strip():
        raise GuideError.said(
            N_(
                "the guide is empty — write a title, sections and questions (see the example "
                "with 'kvale guide show example-en')"
            ),
            path=path,
            line=1,
        )
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        raise GuideError.said(
            N_("a guide is a few pages; this text is {size} MB — is it the right file?"),
            path=path,
            line=1,
            size=f"{size / 1_000_000:.1f}",
        )
    for number, content in enumerate(text.split("\n"), start=1):
        if len(content) > MAX_LINE:
            raise GuideError.said(
                N_(
                    "this line is {length} characters long; a guide line is a sentence or a "
                    "paragraph — break it into shorter lines, or check that this is the right "
                    "file"
                ),
                path=path,
                line=number,
                length=len(content),
            )
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        char = bad.group()
        if char == "\x00":
            sentence = N_(
                "this line holds a NUL character (a zero byte): the file looks binary or "
                "damaged — is it the right file? A guide is plain text, saved as UTF-8"
            )
        else:
            sentence = N_(
                "this line holds an invisible control character (U+{code}) — retype the line "
                "in your editor to remove it"
            )
        raise GuideError.said(sentence, path=path, line=line, code=f"{ord(char):04X}")
    surrogate = re.search(r"[\ud800-\udfff]", text)
    if surrogate is not None:
        line = text.count("\n", 0, surrogate.start()) + 1
        raise GuideError.said(
            N_(
                "this line holds a broken character (a lone surrogate) — retype the line in "
                "your editor and save the file as UTF-8"
            ),
            path=path,
            line=line,
        )


def parse_guide(text: str, *, path: str | None = None) -> Guide:
    """Parse the text of a guide file.

    Args:
        text: the whole file, as text.
        path: where it came from, for error messages and ``Guide.path``.

    Returns:
        The guide; ``source`` is ``text`` exactly.

    Raises:
        GuideError: the first problem, with its line number and what to do.
    """
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    _check_characters(normalised, path)
    if normalised.startswith("\ufeff"):
        normalised = normalised[1:]
    lines = normalised.split("\n")
    front = parse_front_matter(lines, path=path)
    # The front matter is blanked (lines keep their numbers), and so are lines of only
    # Unicode spaces (U+2028, U+00A0): blank for a researcher, text for CommonMark.
    body = "\n".join(
        "" if i < front.end or not line.strip() else line for i, line in enumerate(lines)
    )
    reader = Reader(lines, front, path)
    reader.run(parse_blocks(body))
    guide = reader.build(text)
    logger.debug(
        "parsed guide %r: %d sections, %d ids", guide.title, len(guide.sections), len(reader.ids)
    )
    return guide


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_guide_bytes(data: bytes, *, path: str | None = None) -> str:
    """The text of a guide file's bytes, or a GuideError saying why it is not text.

    Raises:
        GuideError: a binary file (NUL bytes), UTF-16, or bytes that are not UTF-8
            (naming the line of the first bad byte).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GuideError.said(
            N_(
                "the file is saved as UTF-16 — save it as UTF-8 in your editor "
                "('Save as…' → encoding UTF-8)"
            ),
            path=path,
            line=1,
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise GuideError.said(
            N_(
                "this looks like a binary file, not a text guide (it holds NUL bytes) — is it "
                "the right file? A guide is a plain-text Markdown file (.md)"
            ),
            path=path,
            line=_line_of(data, nul),
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start : error.start + 1]
        template = N_(
            "the file is not UTF-8 text: byte 0x{byte} on this line cannot be read — save the "
            "file as UTF-8 in your editor ('Save as…' → encoding UTF-8)"
        )
        character = ""
        with contextlib.suppress(UnicodeDecodeError):
            character = byte.decode("cp1252")
            template = N_(
                "the file is not UTF-8 text: byte 0x{byte} on this line cannot be read, which "
                "reads as '{character}' in Windows-1252 — save the file as UTF-8 in your "
                "editor ('Save as…' → encoding UTF-8)"
            )
        raise GuideError.said(
            template,
            path=path,
            line=_line_of(data, error.start),
            byte=byte.hex().upper(),
            character=character,
        ) from None


def load_guide(path: Path | str) -> Guide:
    """Read and parse a guide file.

    Args:
        path: the guide file (Markdown, UTF-8).

    Returns:
        The guide, with ``path`` set and ``source`` the file's exact text.

    Raises:
        GuideError: the file is missing, unreadable, too big, binary, not UTF-8,
            empty, or malformed (with the line and what to do).
    """
    file = Path(path)
    name = str(file)
    try:
        size = file.stat().st_size
        if file.is_dir():
            raise GuideError.said(
                N_("this is a folder, not a guide file — give the path of the guide's .md file"),
                path=name,
            )
        if size > MAX_BYTES:
            raise GuideError.said(_TOO_BIG, path=name, size=f"{size / 1_000_000:.1f}")
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise GuideError.said(
            N_("there is no guide file here — check the folder and the file name"), path=name
        ) from None
    except PermissionError:
        raise GuideError.said(
            N_("kvale is not allowed to read this file — check its permissions"), path=name
        ) from None
    except OSError as error:
        raise GuideError.said(
            N_("the file cannot be read ({reason}) — check the path"),
            path=name,
            reason=str(error.strerror or error),
        ) from None
    if len(data) > MAX_BYTES:  # it grew while it was read
        raise GuideError.said(_TOO_BIG, path=name, size=f"{len(data) / 1_000_000:.1f}")
    text = decode_guide_bytes(data, path=name)
    guide = parse_guide(text, path=name)
    logger.info("loaded guide %s (%d questions)", name, len(guide.ids))
    return guide


def check_guide(path: Path | str) -> Guide:
    """Check a guide file as ``kvale guide check`` does: load it strictly.

    Errors are raised (GuideError, with the line); advice that is not an
    error (sections without planned minutes, research questions no section
    serves) comes from `guide_warnings`.
    """
    guide = load_guide(path)
    for warning in guide_warnings(guide):
        logger.info("%s: %s", path, warning)
    return guide
