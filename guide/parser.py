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

The block structure is read line by line here (see `guide.markup` for why);
markdown-it-py finds the Markdown a guide cannot hold and renders inline text.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from guide.frontmatter import FrontMatter, parse_front_matter
from guide.markup import MarkupProblem, MarkupScan, render_inline, scan_markup
from guide.model import Guide, Probe, Question, Section
from guide.outline import format_outline, guide_warnings
from kvale_errors import GuideError

__all__ = [
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

CLOSING_TITLES = frozenset(
    {"avslutning", "avslutting", "closing", "closing script", "outro", "slutt", "afslutning"}
)
"""Unnumbered section titles that mark the closing script instead of a section."""

_NUM = r"\d{1,9}"
_NUMBERED = re.compile(
    rf"^(?P<id>{_NUM}(?:\.{_NUM})*(?:\.[a-z]{{1,2}})?)(?P<punct>[.)])?(?:[ \t]+(?P<text>.*))?$"
)
_BULLET = re.compile(r"^(?P<marker>[-*+])(?:[ \t]+(?P<text>.*))?$")
_LETTER = re.compile(r"^(?P<letter>[a-z])[.)][ \t]+(?P<text>.*)$")
_LABEL = re.compile(
    r"^(?P<label>notes?|notat|merknad|keywords?|nøkkelord|stikkord)[ \t]*:[ \t]*(?P<text>.*)$",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"^ {0,3}>(?: ?)(?P<text>.*)$")
_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*))?$")
_CLOSING_HASHES = re.compile(r"(?:^|[ \t]+)#+[ \t]*$")
_ATTR_BLOCK = re.compile(r"\{(?P<body>[^{}]*)\}[ \t]*$")
_ATTR_LIKE = re.compile(r"\{[ \t]*[A-Za-z_]+[ \t]*=")
_SEPARATOR = re.compile(r"^[-–—:][ \t]+")
_MINUTES = re.compile(r"^(?P<n>\d{1,4}(?:[.,]\d{1,3})?)(?:m|min|mins|minutes?)?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LIST_LIKE = re.compile(r"^(?:[-*+]|\d{1,9}[.)])[ \t]")

_ATTR_KEYS = {
    "rq": "rq",
    "research_question": "rq",
    "min": "min",
    "mins": "min",
    "minutes": "min",
}

Parts = list[tuple[int, str]]
"""Raw text pieces with the 1-based line each came from."""


@dataclass
class _QuestionDraft:
    id: str
    line: int
    section_id: str
    is_section: bool
    text: Parts
    probes: list[_ProbeDraft] = field(default_factory=list)
    notes: list[Parts] = field(default_factory=list)
    keywords: list[Parts] = field(default_factory=list)
    description: list[Parts] = field(default_factory=list)


@dataclass
class _ProbeDraft:
    id: str
    line: int
    text: Parts


@dataclass
class _SectionDraft:
    id: str
    line: int
    question: _QuestionDraft
    flat: bool  # made from a numbered line before any '##' heading
    questions: list[_QuestionDraft] = field(default_factory=list)
    rq: tuple[str, int] | None = None
    minutes: float | None = None


def _clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _next_part(previous: str | None) -> str:
    """The id part after ``previous``: '3' → '4', 'a' → 'b', 'z' → 'aa'; None → 'a'."""
    if previous is None:
        return "a"
    if previous.isdigit():
        return str(int(previous) + 1)
    letters = list(previous)
    index = len(letters) - 1
    while index >= 0 and letters[index] == "z":
        letters[index] = "a"
        index -= 1
    if index < 0:
        return "a" + "".join(letters)
    letters[index] = chr(ord(letters[index]) + 1)
    return "".join(letters)


def _normalise_id(raw: str) -> list[str]:
    return [part if part.isalpha() else str(int(part)) for part in raw.split(".")]


class _Parser:
    """One pass over the lines of one guide; raises GuideError on the first problem."""

    def __init__(
        self, lines: list[str], front: FrontMatter, scan: MarkupScan, path: str | None
    ) -> None:
        self.lines = lines
        self.scan = scan
        self.front = front
        self.path = path
        self.sections: list[_SectionDraft] = []
        self.ids: dict[str, tuple[int, bool]] = {}  # id → (line, derived)
        self.title: str | None = front.title
        self.title_line: int | None = front.title_line
        self.heading_title_seen = False
        self.intro: list[Parts] = []
        self.closing: list[Parts] = []
        self.closing_line: int | None = None  # line of the closing marker heading
        self.quote: Parts = []
        self.quote_start = 0
        self.previous_was_quote = False
        self.blank = True
        self.target: Parts | None = None  # where a continuation line goes

    # -- helpers ---------------------------------------------------------------

    def fail(self, sentence: str, line: int) -> GuideError:
        return GuideError(sentence, path=self.path, line=line)

    def render(self, parts: Parts) -> str:
        """Plain text of text pieces, each piece rendered on its own (one per line)."""
        out: list[str] = []
        for number, raw in parts:
            try:
                text = render_inline(raw)
            except MarkupProblem as problem:
                raise self.fail(problem.sentence, number) from None
            if text:
                out.append(("\n" if out and _LIST_LIKE.match(raw.strip()) else " ") + text)
        return "".join(out).strip(" ")

    def render_paragraphs(self, paragraphs: list[Parts]) -> str:
        rendered = (self.render(p) for p in paragraphs)
        return "\n\n".join(text for text in rendered if text)

    @property
    def section(self) -> _SectionDraft | None:
        return self.sections[-1] if self.sections else None

    @property
    def question(self) -> _QuestionDraft | None:
        section = self.section
        if section is None:
            return None
        return section.questions[-1] if section.questions else section.question

    def claim(self, qid: str, line: int, *, derived: bool, what: str) -> None:
        if qid in self.ids:
            first, first_derived = self.ids[qid]
            how = (
                " (that line has no number, so it got this one from its place)"
                if (first_derived)
                else ""
            )
            mine = (
                " (this line has no number, so it got this one from its place)" if (derived) else ""
            )
            raise self.fail(
                f"{what} id '{qid}'{mine} is already used on line {first}{how} — "
                "renumber one of them so every id is unique",
                line,
            )
        self.ids[qid] = (line, derived)

    def check_not_closed(self, line: int, what: str) -> None:
        if self.closing_line is not None:
            raise self.fail(
                f"{what} comes after the closing part ('## …' on line {self.closing_line}) — "
                "move the closing part to the end of the guide",
                line,
            )

    def nonempty(self, text: str, line: int, sentence: str) -> None:
        if not self.render([(line, text)]):
            raise self.fail(sentence, line)

    # -- attributes {rq=RQ1 min=8} -----------------------------------------------

    def split_attributes(self, text: str, line: int) -> tuple[str, dict[str, str]]:
        attrs: dict[str, str] = {}
        match = _ATTR_BLOCK.search(text)
        if match is not None:
            body = match.group("body").strip()
            first_word = re.split(r"[\s=,;]+", body, maxsplit=1)[0].lower() if body else ""
            if not body:
                raise self.fail(
                    "empty braces '{}' — write settings inside them, such as {rq=RQ1 min=8}, "
                    "or remove them",
                    line,
                )
            if "=" in body or first_word in _ATTR_KEYS:
                attrs = self.parse_attributes(body, line)
                text = text[: match.start()].rstrip()
        if _ATTR_LIKE.search(text):
            raise self.fail(
                "the settings in '{…}' are not understood — close them with '}' at the very "
                "end of the line, as in '## 2 Colleagues {rq=RQ1 min=8}'",
                line,
            )
        return text, attrs

    def parse_attributes(self, body: str, line: int) -> dict[str, str]:
        attrs: dict[str, str] = {}
        body = re.sub(r"[ \t]*=[ \t]*", "=", body)
        for token in re.split(r"[\s;]+|,(?=[ \t]*[A-Za-z_]+=)", body.strip()):
            token = token.strip(" \t,")
            key_written, sep, value = token.partition("=")
            if not sep or not key_written or not value:
                raise self.fail(
                    f"'{_clip(token)}' inside '{{…}}' is not understood — write settings as "
                    "key=value, such as {rq=RQ1 min=8}",
                    line,
                )
            key = _ATTR_KEYS.get(key_written.lower())
            if key is None:
                raise self.fail(
                    f"unknown setting '{_clip(key_written)}' inside '{{…}}' — kvale "
                    "understands rq (the research question, e.g. rq=RQ1) and min "
                    "(planned minutes, e.g. min=8)",
                    line,
                )
            if key in attrs:
                raise self.fail(f"'{key}' is given twice inside '{{…}}' — keep one", line)
            attrs[key] = value
        return attrs

    def apply_attributes(self, section: _SectionDraft, attrs: dict[str, str], line: int) -> None:
        if "min" in attrs:
            match = _MINUTES.match(attrs["min"].lower())
            minutes = float(match.group("n").replace(",", ".")) if match else 0.0
            if not 0 < minutes <= 600:
                raise self.fail(
                    f"min={_clip(attrs['min'], 20)} is not a number of minutes — write the "
                    "planned minutes for this section as a number such as min=8",
                    line,
                )
            section.minutes = minutes
        if "rq" in attrs:
            rq = attrs["rq"]
            if "," in rq or not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", rq):
                raise self.fail(
                    f"rq={_clip(rq, 20)} is not understood — link a section to one research "
                    "question by its name, such as rq=RQ1",
                    line,
                )
            section.rq = (rq, line)

    # -- quotes (intro and closing scripts) ------------------------------------------

    def quote_line(self, number: int, text: str) -> None:
        if not self.quote:
            self.quote_start = number
        self.quote.append((number, text))
        self.previous_was_quote = True
        self.target = None

    def flush_quote(self, *, at_end: bool) -> None:
        if not self.quote:
            return
        paragraphs: list[Parts] = [[]]
        for number, text in self.quote:
            if text.strip():
                paragraphs[-1].append((number, text))
            elif paragraphs[-1]:
                paragraphs.append([])
        paragraphs = [p for p in paragraphs if p]
        start = self.quote_start
        self.quote = []
        if self.closing_line is not None:
            self.closing.extend(paragraphs)
        elif not self.sections:
            self.intro.extend(paragraphs)
        elif at_end:
            self.closing.extend(paragraphs)
        else:
            raise self.fail(
                "a quoted script ('> …') in the middle of the guide is not understood — "
                "quotes are read aloud as the intro (before the first section) or the closing "
                "(at the very end); remove the '>' to make it the question's description",
                start,
            )

    # -- lines -----------------------------------------------------------------------

    def run(self) -> None:
        for index, raw in enumerate(self.lines):
            number = index + 1
            if number <= self.front.end:
                continue
            problem = self.scan.problems.get(number)
            if problem is not None:
                raise self.fail(problem, number)
            if number in self.scan.skip:
                continue
            line = raw.expandtabs(4)
            if not line.strip():
                self.blank = True
                self.target = None
                if self.quote:
                    self.quote.append((number, ""))
                continue
            quote = _QUOTE.match(line)
            if quote is not None:
                self.quote_line(number, quote.group("text"))
                self.blank = False
                continue
            after_quote = self.previous_was_quote and not self.blank
            self.flush_quote(at_end=False)
            self.previous_was_quote = False
            heading = _HEADING.match(line)
            if heading is not None:
                self.heading(number, len(heading.group("hashes")), heading.group("text") or "")
                self.target = None
            else:
                self.body_line(number, line, after_quote=after_quote)
            self.blank = False
        self.flush_quote(at_end=True)

    def heading(self, number: int, level: int, text: str) -> None:
        text = _CLOSING_HASHES.sub("", text.strip()).strip()
        if level == 1:
            self.title_heading(number, text)
        elif level == 2:
            self.section_heading(number, text)
        elif level == 3:
            self.check_not_closed(number, "this question")
            text, attrs = self.split_attributes(text, number)
            match = _NUMBERED.match(text)
            if match is not None:
                self.numbered(number, match, indent=0, attrs=attrs)
            else:
                self.unnumbered_question(number, text, attrs)
        else:
            raise self.fail(
                f"'{'#' * level}' headings are not understood — use '## ' for a section, and "
                "'### ' or a numbered line such as '2.1 …' for a question",
                number,
            )

    def title_heading(self, number: int, text: str) -> None:
        if self.sections or self.heading_title_seen:
            raise self.fail(
                "a '# ' heading is only understood once, as the title at the top — use '## ' "
                "for a section",
                number,
            )
        title = self.render([(number, text)])
        if not title:
            raise self.fail("the title heading is empty — write the title after '# '", number)
        if self.title is not None and self.title != title:
            raise self.fail(
                f"the guide has two titles: '{_clip(self.title)}' in the front matter (line "
                f"{self.title_line}) and '{_clip(title)}' here — keep one",
                number,
            )
        self.title, self.title_line = title, number
        self.heading_title_seen = True

    def section_heading(self, number: int, text: str) -> None:
        self.check_not_closed(number, "this section")
        text, attrs = self.split_attributes(text, number)
        match = re.match(
            rf"^(?P<id>{_NUM}(?:\.[0-9a-z]+)*)(?P<punct>[.):])?(?:[ \t]+|$)(?P<rest>.*)$", text
        )
        if match is not None:
            parts = match.group("id").split(".")
            if len(parts) > 1:
                raise self.fail(
                    f"a section heading has one number, as in '## 2 …'; '{match.group('id')}' "
                    "is a question's number — write that question as a line "
                    f"'{match.group('id')} …' under its section",
                    number,
                )
            sid: str | None = str(int(parts[0]))
            title_raw = _SEPARATOR.sub("", match.group("rest").strip())
        else:
            sid = None
            title_raw = text
        title = self.render([(number, title_raw)])
        if sid is None and title.lower().rstrip(":. ") in CLOSING_TITLES:
            if attrs:
                raise self.fail("the closing part takes no settings in '{…}' — remove them", number)
            self.closing_line = number
            return
        if not title:
            what = f"section {sid}" if sid else "this section heading"
            raise self.fail(
                f"{what} has no text — write its theme or main question after '## "
                f"{sid + ' ' if sid else ''}'",
                number,
            )
        self.new_section(number, sid, [(number, title_raw)], attrs, flat=False)

    def new_section(
        self, number: int, sid: str | None, text: Parts, attrs: dict[str, str], *, flat: bool
    ) -> _SectionDraft:
        derived = sid is None
        if sid is None:
            previous = self.sections[-1].id if self.sections else "0"
            sid = str(int(previous) + 1)
        self.claim(sid, number, derived=derived, what="section")
        question = _QuestionDraft(sid, number, sid, True, text)
        section = _SectionDraft(sid, number, question, flat=flat)
        self.apply_attributes(section, attrs, number)
        self.sections.append(section)
        self.target = question.text
        return section

    def new_question(self, number: int, qid: str | None, text: Parts) -> None:
        section = self.section
        assert section is not None  # callers made sure
        derived = qid is None
        if qid is None:
            previous = section.questions[-1].id.split(".")[-1] if section.questions else "0"
            qid = f"{section.id}.{int(previous) + 1}"
        self.claim(qid, number, derived=derived, what="question")
        draft = _QuestionDraft(qid, number, section.id, False, text)
        section.questions.append(draft)
        self.target = draft.text

    def new_probe(self, number: int, pid: str | None, text: str) -> None:
        self.check_not_closed(number, "this probe")
        question = self.question
        parent = pid.rsplit(".", 1)[0] if pid else None
        if question is not None and not question.is_section and parent not in (None, *self.ids):
            raise self.fail(
                f"probe '{pid}' is written under question {question.id}, but its number points "
                f"to question {parent}, which does not exist — renumber it '{question.id}.…', "
                "or leave the number out (probes are numbered from their place)",
                number,
            )
        if question is None or (parent is not None and parent not in self.ids):
            example = f"'{parent} …'" if parent and "." in parent else "'1.1 …'"
            name = f"probe '{pid}'" if pid else "this probe"
            raise self.fail(
                f"{name} has no parent question — indent it under a numbered question such "
                f"as {example}",
                number,
            )
        if parent is not None and parent != question.id:
            raise self.fail(
                f"probe '{pid}' is written under question {question.id}, but its number says "
                f"it belongs to question {parent} (line {self.ids[parent][0]}) — renumber it "
                f"'{question.id}.…' or move it under question {parent}",
                number,
            )
        derived = pid is None
        if pid is None:
            previous = question.probes[-1].id.rsplit(".", 1)[-1] if question.probes else None
            pid = f"{question.id}.{_next_part(previous)}"
        self.nonempty(
            text,
            number,
            f"probe {pid} has no text — write the follow-up question after the dash, or delete "
            "the line",
        )
        self.claim(pid, number, derived=derived, what="probe")
        draft = _ProbeDraft(pid, number, [(number, text)])
        question.probes.append(draft)
        self.target = draft.text

    def body_line(self, number: int, line: str, *, after_quote: bool) -> None:
        indent = len(line) - len(line.lstrip(" "))
        content = line.strip(" ")
        bullet = _BULLET.match(content)
        if bullet is not None:
            content = (bullet.group("text") or "").strip(" ")
        label = _LABEL.match(content)
        if label is not None:
            self.labelled(number, label.group("label").lower(), label.group("text"))
            return
        numbered = _NUMBERED.match(content)
        if numbered is not None and (
            "." in numbered.group("id") or numbered.group("punct") is not None
        ):
            content_attrs = numbered.group("text") or ""
            text, attrs = self.split_attributes(content_attrs, number)
            self.numbered(number, numbered, indent=indent, attrs=attrs, text=text)
            return
        if bullet is not None or indent >= 2:
            letter = _LETTER.match(content)
            if letter is not None:
                question = self.question
                pid = f"{question.id}.{letter.group('letter')}" if question else None
                self.new_probe(number, pid, letter.group("text"))
                return
        if bullet is not None:
            text, attrs = self.split_attributes(content, number)
            if indent >= 2:
                if attrs:
                    raise self.attributes_misplaced(number)
                self.new_probe(number, None, text)
            else:
                self.unnumbered_question(number, text, attrs)
            return
        self.text_line(number, content, after_quote=after_quote)

    def attributes_misplaced(self, number: int) -> GuideError:
        return self.fail(
            "settings in '{…}' (rq, min) belong on a section heading such as "
            "'## 2 Colleagues {rq=RQ1 min=8}' — move them there",
            number,
        )

    def numbered(
        self,
        number: int,
        match: re.Match[str],
        *,
        indent: int,
        attrs: dict[str, str],
        text: str | None = None,
    ) -> None:
        raw_id = match.group("id")
        if text is None:
            text = match.group("text") or ""
        parts = _normalise_id(raw_id)
        letter = parts[-1].isalpha()
        numeric = len(parts) - (1 if letter else 0)
        self.check_not_closed(number, f"'{raw_id}'")
        if (numeric >= 3 and letter) or numeric >= 4:
            raise self.fail(
                f"'{raw_id}' has more levels of numbering than a guide has — number sections "
                "'2', questions '2.1' and probes '2.1.a'",
                number,
            )
        if letter or numeric == 3:
            if attrs:
                raise self.attributes_misplaced(number)
            self.new_probe(number, ".".join(parts), text)
            return
        section = self.section
        if numeric == 1 and indent >= 2 and self.question is not None:
            if attrs:
                raise self.attributes_misplaced(number)
            question = self.question
            self.new_probe(number, f"{question.id}.{parts[0]}", text)
            return
        if numeric == 1 and (section is None or section.flat):
            self.nonempty(
                text,
                number,
                f"question {parts[0]} has no text — write the question after the number",
            )
            self.new_section(number, parts[0], [(number, text)], attrs, flat=True)
            return
        if attrs:
            raise self.attributes_misplaced(number)
        if section is None:
            raise self.fail(
                f"question {'.'.join(parts)} comes before any section — add a section heading "
                f"such as '## {parts[0]} …' above it",
                number,
            )
        if numeric == 1:
            qid = f"{section.id}.{parts[0]}"
        else:
            qid = ".".join(parts)
            if parts[0] != section.id:
                raise self.fail(
                    f"question {qid} is under section {section.id} (line {section.line}) — "
                    f"renumber it {section.id}.… or move it under section {parts[0]}",
                    number,
                )
        self.nonempty(
            text, number, f"question {qid} has no text — write the question after the number"
        )
        self.new_question(number, qid, [(number, text)])

    def unnumbered_question(self, number: int, text: str, attrs: dict[str, str]) -> None:
        self.check_not_closed(number, "this question")
        self.nonempty(
            text,
            number,
            "this question has no text — write the question after the dash, or delete the line",
        )
        section = self.section
        if section is None or section.flat:
            self.new_section(number, None, [(number, text)], attrs, flat=True)
            return
        if attrs:
            raise self.attributes_misplaced(number)
        self.new_question(number, None, [(number, text)])

    def labelled(self, number: int, label: str, text: str) -> None:
        kind = "keywords" if label in ("keyword", "keywords", "nøkkelord", "stikkord") else "note"
        self.check_not_closed(number, f"this {kind} line")
        question = self.question
        if question is None:
            raise self.fail(
                f"this {kind} line has no question to belong to — put it under a question or a "
                "section heading",
                number,
            )
        if kind == "note":
            self.nonempty(text, number, "the note is empty — write it after 'note:'")
            question.notes.append([(number, text)])
            self.target = question.notes[-1]
        else:
            if not [w for w in re.split(r"[,;]", text) if w.strip()]:
                raise self.fail(
                    "no keywords after 'keywords:' — list words separated by commas, such as "
                    "'keywords: colleague, team', or delete the line",
                    number,
                )
            question.keywords.append([(number, text)])
            self.target = question.keywords[-1]

    def text_line(self, number: int, content: str, *, after_quote: bool) -> None:
        if self.closing_line is not None:
            if self.target is None:
                self.closing.append([])
                self.target = self.closing[-1]
            self.target.append((number, content))
            return
        question = self.question
        if question is None:
            if after_quote:
                raise self.fail(
                    "this line follows the quoted intro but does not start with '>' — start it "
                    "with '> ' to keep it in the intro",
                    number,
                )
            raise self.fail(
                "text before the first section is not understood — start it with '> ' if it "
                "is the intro read aloud, or put it under a section heading such as '## 1 …'",
                number,
            )
        if self.target is None:
            question.description.append([])
            self.target = question.description[-1]
        self.target.append((number, content))

    # -- the result --------------------------------------------------------------------

    def build(self, source: str) -> Guide:
        if not self.sections:
            raise self.fail(
                "the guide has no questions — add a section heading such as '## 1 Background' "
                "with numbered questions such as '1.1 …' under it",
                1,
            )
        rqs = self.front.research_questions
        sections = tuple(self.build_section(s, rqs) for s in self.sections)
        closing = self.render_paragraphs(self.closing)
        if self.closing_line is not None and not closing:
            raise self.fail(
                "the closing part has no text — write the closing script under it as lines "
                "starting with '> ', or delete the heading",
                self.closing_line,
            )
        title = self.title
        if title is None:
            title = Path(self.path).stem if self.path else "Untitled guide"
        return Guide(
            title=title,
            sections=sections,
            source=source,
            language=self.front.language,
            intro=self.render_paragraphs(self.intro),
            closing=closing,
            research_questions=dict(rqs),
            path=self.path,
        )

    def build_section(self, draft: _SectionDraft, rqs: dict[str, str]) -> Section:
        rq: str | None = None
        if draft.rq is not None:
            written, line = draft.rq
            found = [known for known in rqs if known.lower() == written.lower()]
            if not found:
                if rqs:
                    raise self.fail(
                        f"section {draft.id} links to research question '{written}', which the "
                        f"front matter does not declare (it declares {', '.join(rqs)}) — fix "
                        f"the name or add '{written}: …' under research_questions",
                        line,
                    )
                raise self.fail(
                    f"section {draft.id} links to research question '{written}', but the "
                    "front matter declares no research questions — add 'research_questions:' "
                    f"with an indented line '  {written}: …' to the front matter",
                    line,
                )
            rq = found[0]
        return Section(
            id=draft.id,
            question=self.build_question(draft.question),
            questions=tuple(self.build_question(q) for q in draft.questions),
            research_question=rq,
            planned_minutes=draft.minutes,
        )

    def build_question(self, draft: _QuestionDraft) -> Question:
        keywords: list[str] = []
        for parts in draft.keywords:
            joined = " ".join(text for _, text in parts)
            for word in re.split(r"[,;]", joined):
                word = " ".join(word.split())
                if word and word not in keywords:
                    keywords.append(word)
        return Question(
            id=draft.id,
            text=self.render(draft.text),
            line=draft.line,
            section_id=draft.section_id,
            is_section=draft.is_section,
            probes=tuple(Probe(p.id, self.render(p.text), p.line) for p in draft.probes),
            notes=tuple(self.render(n) for n in draft.notes),
            keywords=tuple(keywords),
            description=self.render_paragraphs(draft.description),
        )


def _check_characters(text: str, path: str | None) -> None:
    if not text.strip():
        raise GuideError(
            "the guide is empty — write a title, sections and questions (see the example "
            "with 'kvale guide show example-en')",
            path=path,
            line=1,
        )
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        raise GuideError(
            f"a guide is a few pages; this text is {size / 1_000_000:.1f} MB — is it the right "
            "file?",
            path=path,
            line=1,
        )
    for number, content in enumerate(text.split("\n"), start=1):
        if len(content) > MAX_LINE:
            raise GuideError(
                f"this line is {len(content):,} characters long; a guide line is a sentence or a "
                "paragraph — break it into shorter lines, or check that this is the right file",
                path=path,
                line=number,
            )
    bad = _CONTROL.search(text)
    if bad is not None:
        line = text.count("\n", 0, bad.start()) + 1
        char = bad.group()
        if char == "\x00":
            sentence = (
                "this line holds a NUL character (a zero byte): the file looks binary or "
                "damaged — is it the right file? A guide is plain text, saved as UTF-8"
            )
        else:
            sentence = (
                f"this line holds an invisible control character (U+{ord(char):04X}) — retype "
                "the line in your editor to remove it"
            )
        raise GuideError(sentence, path=path, line=line)
    surrogate = re.search(r"[\ud800-\udfff]", text)
    if surrogate is not None:
        line = text.count("\n", 0, surrogate.start()) + 1
        raise GuideError(
            "this line holds a broken character (a lone surrogate) — retype the line in your "
            "editor and save the file as UTF-8",
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
    body = "\n".join("" if i < front.end else line for i, line in enumerate(lines))
    parser = _Parser(lines, front, scan_markup(body), path)
    parser.run()
    guide = parser.build(text)
    logger.debug(
        "parsed guide %r: %d sections, %d ids", guide.title, len(guide.sections), len(parser.ids)
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
        raise GuideError(
            "the file is saved as UTF-16 — save it as UTF-8 in your editor "
            "('Save as…' → encoding UTF-8)",
            path=path,
            line=1,
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise GuideError(
            "this looks like a binary file, not a text guide (it holds NUL bytes) — is it the "
            "right file? A guide is a plain-text Markdown file (.md)",
            path=path,
            line=_line_of(data, nul),
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start : error.start + 1]
        hint = ""
        with contextlib.suppress(UnicodeDecodeError):
            hint = f", which reads as '{byte.decode('cp1252')}' in Windows-1252"
        raise GuideError(
            f"the file is not UTF-8 text: byte 0x{byte.hex().upper()} on this line cannot be "
            f"read{hint} — save the file as UTF-8 in your editor ('Save as…' → encoding UTF-8)",
            path=path,
            line=_line_of(data, error.start),
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
            raise GuideError(
                "this is a folder, not a guide file — give the path of the guide's .md file",
                path=name,
            )
        if size > MAX_BYTES:
            raise GuideError(
                f"a guide is a few pages; this file is {size / 1_000_000:.1f} MB — is it the "
                "right file?",
                path=name,
            )
        with file.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise GuideError(
            "there is no guide file here — check the folder and the file name", path=name
        ) from None
    except PermissionError:
        raise GuideError(
            "kvale is not allowed to read this file — check its permissions", path=name
        ) from None
    except OSError as error:
        raise GuideError(
            f"the file cannot be read ({error.strerror or error}) — check the path", path=name
        ) from None
    if len(data) > MAX_BYTES:
        raise GuideError(
            "a guide is a few pages; this file is over 1 MB — is it the right file?", path=name
        )
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
