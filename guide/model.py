"""The interview guide as plain, immutable dataclasses.

A guide is what the researcher wrote in a Markdown file (see `guide.parser`):
a title, an intro script read aloud, sections (themes) each with a main
question and numbered questions, probes (follow-ups) under questions, notes
for the interviewer's eyes only, and an optional closing script. Ids are the
researcher's own numbering ("2", "2.1", "2.1.a") and are stable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Probe:
    """A follow-up under a question, asked if the answer needs it."""

    id: str  # "2.1.a"
    text: str
    line: int  # 1-based line in the guide file


@dataclass(frozen=True)
class Question:
    """A question of the guide.

    A section's own heading is a question too (``is_section``): in a
    semi-structured interview the theme heading is usually asked as the main
    question ("2 Hva styrker trivselen i din arbeidssituasjon?").
    """

    id: str  # "2" for a section, "2.1" for a question
    text: str
    line: int
    section_id: str  # "2" for both "2" and "2.1"
    is_section: bool = False
    probes: tuple[Probe, ...] = ()
    notes: tuple[str, ...] = ()  # for the interviewer's eyes only
    keywords: tuple[str, ...] = ()  # optional words that signal an answer to it
    description: str = ""  # text under a section heading ("Kom gjerne med eksempler.")


@dataclass(frozen=True)
class Section:
    """A theme of the guide: its main question and its numbered questions."""

    id: str  # "2"
    question: Question  # the section heading as a question (is_section=True)
    questions: tuple[Question, ...] = ()
    research_question: str | None = None  # "RQ1", from {rq=RQ1}
    planned_minutes: float | None = None  # from {min=8}

    @property
    def title(self) -> str:
        return self.question.text


@dataclass(frozen=True)
class Guide:
    """A whole interview guide, with the text it was parsed from."""

    title: str
    sections: tuple[Section, ...]
    source: str = field(repr=False)  # the exact file text, stored with each interview
    language: str | None = None  # "nb", "nn", "en", ... from front matter
    intro: str = ""  # script read aloud before the first question
    closing: str = ""  # script read aloud at the end
    research_questions: dict[str, str] = field(default_factory=dict)
    path: str | None = None

    @property
    def content_hash(self) -> str:
        """sha256 of the source text: an interview records the exact guide it used."""
        return hashlib.sha256(self.source.encode("utf-8")).hexdigest()

    def questions(self) -> Iterator[Question]:
        """Every question in guide order, each section's own question first."""
        for section in self.sections:
            yield section.question
            yield from section.questions

    def question(self, qid: str) -> Question:
        """The question with this id; KeyError if there is none."""
        for q in self.questions():
            if q.id == qid:
                return q
        raise KeyError(qid)

    def section_of(self, qid: str) -> Section:
        """The section a question id belongs to; KeyError if there is none."""
        q = self.question(qid)
        for section in self.sections:
            if section.id == q.section_id:
                return section
        raise KeyError(qid)

    @property
    def ids(self) -> list[str]:
        return [q.id for q in self.questions()]
