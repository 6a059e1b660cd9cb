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
from typing import Any

from guide.frontmatter import FrontMatter
from guide.markup import MarkupProblem, render_inline
from guide.model import Guide, Probe, Question, Section
from guide.settings import SettingsReader
from kvale_errors import N_

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


class Drafts(SettingsReader):
    """The sections read so far, the ids they claim, and the intro and closing scripts."""

    def __init__(self, front: FrontMatter, path: str | None) -> None:
        super().__init__(path)
        self.front = front
        self.sections: list[SectionDraft] = []
        self.ids: dict[str, tuple[int, bool]] = {}  # id → (line, derived)
        self.title: str | None = front.title
        self.title_line: int | None = front.title_line
        self.intro: list[Parts] = []
        self.closing: list[Parts] = []
        self.closing_line: int | None = None  # line of the closing marker heading

    def render(self, parts: Parts) -> str:
        """Plain text of Markdown pieces, each rendered on its own, joined by spaces."""
        out: list[str] = []
        for number, raw in parts:
            try:
                text = render_inline(raw, number)
            except MarkupProblem as problem:
                raise self.fail_with(problem) from None
            if text:  # a list item inside a quote keeps its line
                out.append(("\n" if out and raw.startswith("\n") else " ") + text)
        return "".join(out).strip(" ")

    def render_paragraphs(self, paragraphs: list[Parts]) -> str:
        rendered = (self.render(p) for p in paragraphs)
        return "\n\n".join(text for text in rendered if text)

    def nonempty(self, text: str, line: int, template: str, **params: Any) -> None:
        if not self.render([(line, text)]):
            raise self.fail(template, line, **params)

    @property
    def section(self) -> SectionDraft | None:
        return self.sections[-1] if self.sections else None

    @property
    def question(self) -> QuestionDraft | None:
        section = self.section
        if section is None:
            return None
        return section.questions[-1] if section.questions else section.question

    def claim(self, qid: str, line: int, *, derived: bool) -> None:
        if qid in self.ids:
            first, first_derived = self.ids[qid]
            if derived or first_derived:
                raise self.fail(
                    N_(
                        "id '{qid}' is already used on line {first} (a line without a number "
                        "gets the next id in its place) — renumber one of them so that every "
                        "id is unique"
                    ),
                    line,
                    qid=qid,
                    first=first,
                )
            raise self.fail(
                N_(
                    "id '{qid}' is already used on line {first} — renumber one of them so "
                    "that every id is unique"
                ),
                line,
                qid=qid,
                first=first,
            )
        self.ids[qid] = (line, derived)

    def check_not_closed(self, line: int) -> None:
        if self.closing_line is not None:
            raise self.fail(
                N_(
                    "this line comes after the closing part ('## …' on line {closing}) — "
                    "move the closing part to the end of the guide"
                ),
                line,
                closing=self.closing_line,
            )

    # -- sections, questions, probes ------------------------------------------------------

    def new_section(
        self, line: int, sid: str | None, text: Parts, attrs: dict[str, str], *, flat: bool
    ) -> SectionDraft:
        derived = sid is None
        if sid is None:
            previous = self.sections[-1].id if self.sections else "0"
            sid = str(int(previous) + 1)
        self.claim(sid, line, derived=derived)
        question = QuestionDraft(sid, line, sid, True, text)
        section = SectionDraft(sid, line, question, flat=flat)
        section.minutes, section.rq = self.section_settings(attrs, line)
        self.sections.append(section)
        return section

    def new_question(self, line: int, qid: str | None, text: Parts) -> None:
        section = self.section
        assert section is not None  # callers made sure
        derived = qid is None
        if qid is None:
            previous = section.questions[-1].id.split(".")[-1] if section.questions else "0"
            qid = f"{section.id}.{int(previous) + 1}"
        self.claim(qid, line, derived=derived)
        section.questions.append(QuestionDraft(qid, line, section.id, False, text))

    def new_probe(self, line: int, pid: str | None, text: str) -> None:
        self.check_not_closed(line)
        question = self.question
        parent = pid.rsplit(".", 1)[0] if pid else None
        if question is not None and not question.is_section and parent not in (None, *self.ids):
            raise self.fail(
                N_(
                    "probe '{pid}' is written under question {question}, but its number points "
                    "to question {parent}, which does not exist — renumber it '{question}.…', "
                    "or leave the number out (probes are numbered from their place)"
                ),
                line,
                pid=pid or "",
                question=question.id,
                parent=parent or "",
            )
        if question is None or (parent is not None and parent not in self.ids):
            example = f"{parent} …" if parent and "." in parent else "1.1 …"
            if pid:
                raise self.fail(
                    N_(
                        "probe '{pid}' has no parent question — indent it under a numbered "
                        "question such as '{example}'"
                    ),
                    line,
                    pid=pid,
                    example=example,
                )
            raise self.fail(
                N_(
                    "this probe has no parent question — indent it under a numbered question "
                    "such as '{example}'"
                ),
                line,
                example=example,
            )
        if parent is not None and parent != question.id:
            raise self.fail(
                N_(
                    "probe '{pid}' is written under question {question}, but its number says "
                    "it belongs to question {parent} (line {first}) — renumber it "
                    "'{question}.…' or move it under question {parent}"
                ),
                line,
                pid=pid or "",
                question=question.id,
                parent=parent,
                first=self.ids[parent][0],
            )
        derived = pid is None
        if pid is None:
            previous = question.probes[-1].id.rsplit(".", 1)[-1] if question.probes else None
            pid = f"{question.id}.{next_part(previous)}"
        self.nonempty(
            text,
            line,
            N_(
                "probe {pid} has no text — write the follow-up question after the dash, or "
                "delete the line"
            ),
            pid=pid,
        )
        self.claim(pid, line, derived=derived)
        question.probes.append(ProbeDraft(pid, line, [(line, text)]))

    # -- the result --------------------------------------------------------------------

    def build(self, source: str) -> Guide:
        if not self.sections:
            raise self.fail(
                N_(
                    "the guide has no questions — add a section heading such as "
                    "'## 1 Background' with numbered questions such as '1.1 …' under it"
                ),
                1,
            )
        rqs = self.front.research_questions
        sections = tuple(self.build_section(s, rqs) for s in self.sections)
        closing = self.render_paragraphs(self.closing)
        if self.closing_line is not None and not closing:
            raise self.fail(
                N_(
                    "the closing part has no text — write the closing script under it as "
                    "lines starting with '> ', or delete the heading"
                ),
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
                        N_(
                            "section {section} links to research question '{written}', which "
                            "the front matter does not declare (it declares {declared}) — fix "
                            "the name or add '{written}: …' under research_questions"
                        ),
                        line,
                        section=draft.id,
                        written=written,
                        declared=", ".join(rqs),
                    )
                raise self.fail(
                    N_(
                        "section {section} links to research question '{written}', but the "
                        "front matter declares no research questions — add "
                        "'research_questions:' with an indented line '  {written}: …' to the "
                        "front matter"
                    ),
                    line,
                    section=draft.id,
                    written=written,
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
