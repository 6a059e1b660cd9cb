"""The guide while it is being read: sections, questions and probes with their lines and ids.

`guide.reader` walks the Markdown blocks and calls the methods here to add a
section, a question or a probe; they give unnumbered lines the next id in
their place, refuse an id used twice, read ``{rq=RQ1 min=8}`` settings, and
`Drafts.build` turns the drafts into the immutable `guide.model.Guide`.
Every problem is a `kvale_errors.GuideError` naming the line and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from guide.frontmatter import FrontMatter
from guide.markup import MarkupProblem, render_inline
from guide.model import Guide, Probe, Question, Section
from kvale_errors import GuideError

_ATTR_BLOCK = re.compile(r"\{(?P<body>[^{}]*)\}[ \t]*$")
_ATTR_LIKE = re.compile(r"\{[ \t]*[A-Za-z_]+[ \t]*=")
_MINUTES = re.compile(r"^(?P<n>\d{1,4}(?:[.,]\d{1,3})?)(?:m|min|mins|minutes?)?$")
_ATTR_KEYS = {"rq": "rq", "research_question": "rq", "min": "min", "mins": "min", "minutes": "min"}

Parts = list[tuple[int, str]]
"""Raw Markdown pieces with the 1-based line each starts on."""


@dataclass
class QuestionDraft:
    id: str
    line: int
    section_id: str
    is_section: bool
    text: Parts
    probes: list[ProbeDraft] = field(default_factory=list)
    notes: list[Parts] = field(default_factory=list)
    keywords: list[Parts] = field(default_factory=list)
    description: list[Parts] = field(default_factory=list)


@dataclass
class ProbeDraft:
    id: str
    line: int
    text: Parts


@dataclass
class SectionDraft:
    id: str
    line: int
    question: QuestionDraft
    flat: bool  # made from a numbered line before any '##' heading
    questions: list[QuestionDraft] = field(default_factory=list)
    rq: tuple[str, int] | None = None
    minutes: float | None = None


def clip(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def next_part(previous: str | None) -> str:
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


class Drafts:
    """The sections read so far, the ids they claim, and the intro and closing scripts."""

    def __init__(self, front: FrontMatter, path: str | None) -> None:
        self.front = front
        self.path = path
        self.sections: list[SectionDraft] = []
        self.ids: dict[str, tuple[int, bool]] = {}  # id → (line, derived)
        self.title: str | None = front.title
        self.title_line: int | None = front.title_line
        self.intro: list[Parts] = []
        self.closing: list[Parts] = []
        self.closing_line: int | None = None  # line of the closing marker heading

    def fail(self, sentence: str, line: int) -> GuideError:
        return GuideError(sentence, path=self.path, line=line)

    def render(self, parts: Parts) -> str:
        """Plain text of Markdown pieces, each rendered on its own, joined by spaces."""
        out: list[str] = []
        for number, raw in parts:
            try:
                text = render_inline(raw, number)
            except MarkupProblem as problem:
                raise self.fail(problem.sentence, problem.line) from None
            if text:  # a list item inside a quote keeps its line
                out.append(("\n" if out and raw.startswith("\n") else " ") + text)
        return "".join(out).strip(" ")

    def render_paragraphs(self, paragraphs: list[Parts]) -> str:
        rendered = (self.render(p) for p in paragraphs)
        return "\n\n".join(text for text in rendered if text)

    def nonempty(self, text: str, line: int, sentence: str) -> None:
        if not self.render([(line, text)]):
            raise self.fail(sentence, line)

    @property
    def section(self) -> SectionDraft | None:
        return self.sections[-1] if self.sections else None

    @property
    def question(self) -> QuestionDraft | None:
        section = self.section
        if section is None:
            return None
        return section.questions[-1] if section.questions else section.question

    def claim(self, qid: str, line: int, *, derived: bool, what: str) -> None:
        if qid in self.ids:
            first, first_derived = self.ids[qid]
            place = "so it got this one from its place"
            how = f" (that line has no number, {place})" if first_derived else ""
            mine = f" (this line has no number, {place})" if derived else ""
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

    # -- settings {rq=RQ1 min=8} -------------------------------------------------------

    def split_attributes(self, text: str, line: int) -> tuple[str, dict[str, str]]:
        """The text without its ``{…}`` settings at the end of its first line, and the settings."""
        first, newline, rest = text.partition("\n")
        attrs: dict[str, str] = {}
        match = _ATTR_BLOCK.search(first)
        if match is not None:
            body = match.group("body").strip()
            if not body:
                raise self.fail(
                    "empty braces '{}' — write settings inside them, such as {rq=RQ1 min=8}, "
                    "or remove them",
                    line,
                )
            first_word = re.split(r"[\s=,;]+", body, maxsplit=1)[0].lower()
            if "=" in body or first_word in _ATTR_KEYS:
                attrs = self.parse_attributes(body, line)
                first = first[: match.start()].rstrip()
        if _ATTR_LIKE.search(first):
            raise self.fail(
                "the settings in '{…}' are not understood — close them with '}' at the very "
                "end of the line, as in '## 2 Colleagues {rq=RQ1 min=8}'",
                line,
            )
        return first + newline + rest, attrs

    def parse_attributes(self, body: str, line: int) -> dict[str, str]:
        attrs: dict[str, str] = {}
        body = re.sub(r"[ \t]*=[ \t]*", "=", body)
        for token in re.split(r"[\s;]+|,(?=[ \t]*[A-Za-z_]+=)", body.strip()):
            token = token.strip(" \t,")
            key_written, sep, value = token.partition("=")
            if not sep or not key_written or not value:
                raise self.fail(
                    f"'{clip(token)}' inside '{{…}}' is not understood — write settings as "
                    "key=value, such as {rq=RQ1 min=8}",
                    line,
                )
            key = _ATTR_KEYS.get(key_written.lower())
            if key is None:
                raise self.fail(
                    f"unknown setting '{clip(key_written)}' inside '{{…}}' — kvale "
                    "understands rq (the research question, e.g. rq=RQ1) and min "
                    "(planned minutes, e.g. min=8)",
                    line,
                )
            if key in attrs:
                raise self.fail(f"'{key}' is given twice inside '{{…}}' — keep one", line)
            attrs[key] = value
        return attrs

    def apply_attributes(self, section: SectionDraft, attrs: dict[str, str], line: int) -> None:
        if "min" in attrs:
            match = _MINUTES.match(attrs["min"].lower())
            minutes = float(match.group("n").replace(",", ".")) if match else 0.0
            if not 0 < minutes <= 600:
                raise self.fail(
                    f"min={clip(attrs['min'], 20)} is not a number of minutes — write the "
                    "planned minutes for this section as a number such as min=8",
                    line,
                )
            section.minutes = minutes
        if "rq" in attrs:
            rq = attrs["rq"]
            if "," in rq or not re.match(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", rq):
                raise self.fail(
                    f"rq={clip(rq, 20)} is not understood — link a section to one research "
                    "question by its name, such as rq=RQ1",
                    line,
                )
            section.rq = (rq, line)

    def attributes_misplaced(self, line: int) -> GuideError:
        return self.fail(
            "settings in '{…}' (rq, min) belong on a section heading such as "
            "'## 2 Colleagues {rq=RQ1 min=8}' — move them there",
            line,
        )

    # -- sections, questions, probes ------------------------------------------------------

    def new_section(
        self, line: int, sid: str | None, text: Parts, attrs: dict[str, str], *, flat: bool
    ) -> SectionDraft:
        derived = sid is None
        if sid is None:
            previous = self.sections[-1].id if self.sections else "0"
            sid = str(int(previous) + 1)
        self.claim(sid, line, derived=derived, what="section")
        question = QuestionDraft(sid, line, sid, True, text)
        section = SectionDraft(sid, line, question, flat=flat)
        self.apply_attributes(section, attrs, line)
        self.sections.append(section)
        return section

    def new_question(self, line: int, qid: str | None, text: Parts) -> None:
        section = self.section
        assert section is not None  # callers made sure
        derived = qid is None
        if qid is None:
            previous = section.questions[-1].id.split(".")[-1] if section.questions else "0"
            qid = f"{section.id}.{int(previous) + 1}"
        self.claim(qid, line, derived=derived, what="question")
        section.questions.append(QuestionDraft(qid, line, section.id, False, text))

    def new_probe(self, line: int, pid: str | None, text: str) -> None:
        self.check_not_closed(line, "this probe")
        question = self.question
        parent = pid.rsplit(".", 1)[0] if pid else None
        if question is not None and not question.is_section and parent not in (None, *self.ids):
            raise self.fail(
                f"probe '{pid}' is written under question {question.id}, but its number points "
                f"to question {parent}, which does not exist — renumber it '{question.id}.…', "
                "or leave the number out (probes are numbered from their place)",
                line,
            )
        if question is None or (parent is not None and parent not in self.ids):
            example = f"'{parent} …'" if parent and "." in parent else "'1.1 …'"
            name = f"probe '{pid}'" if pid else "this probe"
            raise self.fail(
                f"{name} has no parent question — indent it under a numbered question such "
                f"as {example}",
                line,
            )
        if parent is not None and parent != question.id:
            raise self.fail(
                f"probe '{pid}' is written under question {question.id}, but its number says "
                f"it belongs to question {parent} (line {self.ids[parent][0]}) — renumber it "
                f"'{question.id}.…' or move it under question {parent}",
                line,
            )
        derived = pid is None
        if pid is None:
            previous = question.probes[-1].id.rsplit(".", 1)[-1] if question.probes else None
            pid = f"{question.id}.{next_part(previous)}"
        self.nonempty(
            text,
            line,
            f"probe {pid} has no text — write the follow-up question after the dash, or delete "
            "the line",
        )
        self.claim(pid, line, derived=derived, what="probe")
        question.probes.append(ProbeDraft(pid, line, [(line, text)]))

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

    def build_section(self, draft: SectionDraft, rqs: dict[str, str]) -> Section:
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

    def build_question(self, draft: QuestionDraft) -> Question:
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
