"""The interviewer's askings the researcher has vouched for, across a project's
interviews on one guide: what the tagger learns this interviewer's own wording from
(`guide.tagging.learned`).

Vouched for means in the interviewer's voice and tagged by hand (a manual tag), or
marked by the key press made when the question was asked, or the asking of an answer
the researcher tagged by hand with the same question. The tagger's own guesses are
left out: learning from them would repeat their mistakes in the next interview.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from guide.model import Guide
from guide.transcript import NO_QUESTION, Passage, Speaker, TagSource
from kvale_errors import StoreError

log = logging.getLogger(__name__)

_VOUCHED = (TagSource.MANUAL, TagSource.MARKER)


def askings_of(passages: Iterable[Passage]) -> list[tuple[str, str]]:
    """(question id, text) of each passage in the interviewer's voice whose question
    was tagged by hand or marked by a key press, or which asks the question of the
    answer after it that the researcher tagged by hand."""
    ps = list(passages)
    return [
        (p.primary.question_id, p.text)
        for i, p in enumerate(ps)
        if p.primary is not None
        and p.primary.question_id != NO_QUESTION
        and p.speaker is Speaker.INTERVIEWER
        and p.text.strip()
        and (p.primary.source in _VOUCHED or _answered(ps, i))
    ]


def _answered(ps: list[Passage], i: int) -> bool:
    """Whether the first passage after ``i`` not in the interviewer's voice with its
    question (its asking may run over several) has that question by hand."""
    asked = ps[i].primary
    q = asked.question_id if asked is not None else None
    j = i + 1
    while j < len(ps) and ps[j].speaker is Speaker.INTERVIEWER and _question(ps[j]) == q:
        j += 1
    tag = ps[j].primary if j < len(ps) else None
    return tag is not None and tag.source is TagSource.MANUAL and tag.question_id == q


def _question(p: Passage) -> str | None:
    return p.primary.question_id if p.primary is not None else None


def same_questions(a: Guide, b: Guide) -> set[str]:
    """The ids of the questions worded alike in both guides (case and spacing aside):
    an asking of one of them in an interview on ``b`` asks the same in one on ``a``,
    whatever else an edit of the guide changed (a note, a probe, a question added)."""
    if a.content_hash == b.content_hash:
        return {q.id for q in a.questions()}
    theirs = {q.id: " ".join(q.text.casefold().split()) for q in b.questions()}
    return {q.id for q in a.questions() if theirs.get(q.id) == " ".join(q.text.casefold().split())}


def askings_alike(
    guide: Guide, theirs: Guide, passages: Iterable[Passage]
) -> list[tuple[str, str]]:
    """The askings (`askings_of`) of an interview held on ``theirs`` that count for an
    interview on ``guide``: those of the questions worded alike (`same_questions`)."""
    ids = same_questions(guide, theirs)
    return [(q, text) for q, text in askings_of(passages) if q in ids]


def vouched_askings(
    project: Any, guide: Guide, exclude: str | None = None
) -> list[tuple[str, str]]:
    """The askings that count for an interview on ``guide`` (`askings_alike`) of every
    interview of ``project`` but ``exclude`` (an interview id: the one being tagged,
    whose own manual tags the tagger already takes). A damaged interview, or one whose
    guide cannot be read, is skipped (its sentence is the project's to show); the log
    names it, never its words."""
    out: list[tuple[str, str]] = []
    for summary in project.interviews():
        if summary.id == exclude:
            continue
        try:
            interview = project.interview(summary.id)
            theirs = project.guide(interview.guide_hash)
        except (StoreError, KeyError):
            log.warning("askings of %s not read: the interview or its guide is damaged", summary.id)
            continue
        out += askings_alike(guide, theirs, interview.passages)
    return out


def corpus_askings(corpus: Any, guide: Guide, exclude: str | None = None) -> list[tuple[str, str]]:
    """As `vouched_askings`, from a review's corpus (`store.corpus.Corpus`) already in
    memory: no interview is read again."""
    out: list[tuple[str, str]] = []
    for other in corpus.interviews:
        theirs = corpus.guide_of(other)
        if other.id != exclude and theirs is not None:
            out += askings_alike(guide, theirs, other.passages)
    return out
