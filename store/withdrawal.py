"""One participant of a couple or group interview withdraws alone.

Exports name the people interviewed together by their voices: "I3-1", "I3-2"
(`store.corpus.ReviewInterview.participant_label`). When one of them withdraws
consent, ``kvale purge I3-2`` deletes what is theirs and keeps what the others
said:

* every word the recording gave their voice (``Word.voice``), in the passages and
  in the transcript underneath, and every passage the researcher said is theirs
  (``Passage.said_voice``); a passage left without words goes;
* the coded spans on what they said (a span on the others' words in a passage
  they shared moves with those words);
* the recording, which holds their voice (an imported recording's file, outside
  the project, the researcher deletes: kvale says so);
* the project's name lists' entries that only they said, and the exports inside
  the project (they hold their words; make them again);
* their number stays taken (``Interview.withdrawn``), so the others keep theirs.

It runs under the project's journal as a purge does: once begun it completes, now
or when the project is next opened (`store.recovery`).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from guide.transcript import Passage, Speaker, participant_voices, voice_of, word_text
from kvale_errors import StoreError
from kvale_i18n import N_
from store import codebook, lifecycle, privacy
from store.codes import CodedSpan
from store.layout import JOURNAL
from store.lock import exports_lock
from store.model import Interview, PurgeReport, WithdrawalReport

if TYPE_CHECKING:
    from store.project import Project

log = logging.getLogger(__name__)

OP = "withdraw"


def withdraw_or_purge(project: Project, code: str) -> PurgeReport | WithdrawalReport:
    """``kvale purge CODE``: a participant ("I3", `store.lifecycle.purge_participant`), or
    one of the people interviewed together, as exports name them ("I3-2", `withdraw_one`).

    Raises:
        StoreError: no such participant, or a file could not be deleted.
    """
    pending = project._read_journal()
    if pending is not None and pending.get("op") == OP and pending.get("code") == code:
        return complete_withdrawal(project, pending)  # cut short earlier: finish it
    known = {p.code for p in project.participants()}
    group, number = one_of(code)
    if code in known or number is None or group not in known:
        return lifecycle.purge_participant(project, code)
    return withdraw_one(project, group, number)


def numbered_participants(project: Project) -> list[str]:
    """The people interviewed together as exports name them ("I3-1", "I3-2"), for a
    withdrawal to offer; one who withdrew is no longer listed."""
    found: set[tuple[str, int]] = set()
    for summary in project.interviews():
        if summary.id in project.damaged:
            continue
        interview = project.interview(summary.id)
        numbers = participant_voices(interview.passages, interview.withdrawn)
        found |= {
            (summary.participant, n) for v, n in numbers.items() if v not in interview.withdrawn
        }
    return [f"{group}-{n}" for group, n in sorted(found)]


def one_of(code: str) -> tuple[str, int | None]:
    """ "I3-2" → ("I3", 2); a code without a number → (code, None)."""
    group, _, number = code.rpartition("-")
    if group and number.isdigit() and int(number) >= 1:
        return group, int(number)
    return code, None


def withdraw_one(project: Project, group: str, number: int) -> WithdrawalReport:
    """Delete what participant ``number`` of the couple or group ``group`` said (module
    docstring), in every interview of ``group`` whose voices tell them apart.

    Raises:
        StoreError: no interview of ``group`` tells a participant ``number`` apart
            (nothing is deleted), or a file could not be deleted.
    """
    code = f"{group}-{number}"
    voices: dict[str, int] = {}
    told: set[int] = set()
    gone = False
    for summary in project.interviews():
        if summary.participant != group or summary.id in project.damaged:
            continue
        interview = project.interview(summary.id)
        numbers = participant_voices(interview.passages, interview.withdrawn)
        told |= {n for v, n in numbers.items() if v not in interview.withdrawn}
        voice = next((v for v, n in numbers.items() if n == number), None)
        if voice in interview.withdrawn:
            gone = True
        elif voice is not None:
            voices[summary.id] = voice
    if not voices and gone:
        raise StoreError.said(
            N_(
                "Participant {code} has withdrawn already: nothing they said is left in "
                "{group}'s interviews, and nothing was deleted now."
            ),
            code=code,
            group=group,
        )
    if not voices and told:
        raise StoreError.said(
            N_(
                "None of {group}'s interviews tells a participant {code} apart, so nothing "
                "was deleted. The voices there are {said}. On the review screen, w says "
                "which participant speaks a passage; kvale purge {group} deletes the "
                "interview for all of them."
            ),
            group=group,
            code=code,
            said=", ".join(f"{group}-{n}" for n in sorted(told)),
        )
    if not voices:
        raise StoreError.said(
            N_(
                "{group} was interviewed alone, or the recording told no voices apart: "
                "there is no participant {code}, and nothing was deleted. kvale purge "
                "{group} deletes the interview."
            ),
            group=group,
            code=code,
        )
    op_id = uuid.uuid4().hex
    with project.operation(OP, code=code, voices=voices, op_id=op_id):
        return _steps(project, code, voices, op_id)


def complete_withdrawal(project: Project, journal: dict[str, Any]) -> WithdrawalReport:
    """Finish a withdrawal recorded in the journal (every step is safe to run again)."""
    voices = {str(k): int(v) for k, v in dict(journal.get("voices", {})).items()}
    report = _steps(project, str(journal["code"]), voices, str(journal.get("op_id", "")))
    project.backend.remove(JOURNAL)
    return report


@dataclass
class _Cut:
    """What leaving out one voice did to one interview."""

    interview: Interview
    gone: list[Passage]  # passages deleted whole
    moved: dict[float, Passage]  # old start → the passage its kept words now make
    words: list[str]  # the words deleted
    others_words: int = 0


def cut_voice(interview: Interview, voice: int) -> _Cut:
    """The interview without what ``voice`` said (the module docstring says what goes)."""
    cut = _Cut(interview, [], {}, [])
    passages: list[Passage] = []
    for p in interview.passages:
        if p.said_voice is not None or not p.words:
            theirs = voice_of(p) == voice
            if theirs:
                cut.gone.append(p)
                cut.words += p.text.split()
            else:
                passages.append(p)
            continue
        keep = [i for i, w in enumerate(p.words) if w.voice != voice]
        if len(keep) == len(p.words):
            passages.append(p)
            continue
        dropped = [w.text.strip() for w in p.words if w.voice == voice]
        cut.words += dropped
        if p.speaker is not Speaker.PARTICIPANT:
            cut.others_words += len(dropped)
        if not keep:
            cut.gone.append(p)
            continue
        words = tuple(p.words[i] for i in keep)
        tokens = p.text.split()
        text = " ".join(tokens[i] for i in keep) if len(tokens) == len(p.words) else ""
        new = replace(
            p, text=text or word_text(words), words=words, start=words[0].start, end=words[-1].end
        )
        cut.moved[p.start] = new
        passages.append(new)
    spans = [(g.start, g.end) for g in cut.gone]

    def inside(start: float, end: float) -> bool:
        mid = (start + end) / 2
        return any(a <= mid <= b for a, b in spans)

    segments = []
    for s in interview.segments:
        if not s.words:
            if not inside(s.start, s.end):
                segments.append(s)
            continue
        words = tuple(w for w in s.words if w.voice != voice)
        if len(words) == len(s.words):
            segments.append(s)
        elif words:
            segments.append(replace(s, words=words, text=word_text(words)))
    removed = [
        r
        for r in interview.removed
        if not any(w.voice == voice for w in r.words) and not inside(r.start, r.end)
    ]
    cut.interview = replace(
        interview,
        passages=passages,
        segments=segments,
        removed=removed,
        withdrawn=tuple(sorted({*interview.withdrawn, voice})),
    )
    return cut


def _spans(book: codebook.Codebook, iid: str, cut: _Cut) -> int:
    """Delete the coded spans on their words; move those on the others' words along."""
    tolerance = codebook.ANCHOR_TOLERANCE
    kept: list[CodedSpan] = []
    removed = 0
    for s in book.spans:
        if s.interview_id != iid:
            kept.append(s)
            continue
        if any(abs(g.start - s.passage_start) <= tolerance for g in cut.gone):
            removed += 1
            continue
        old = next((t for t in cut.moved if abs(t - s.passage_start) <= tolerance), None)
        if old is None:
            kept.append(s)
            continue
        new = cut.moved[old]
        at = new.text.find(s.text) if s.text else -1
        if at < 0:  # the span quoted some of their words
            removed += 1
            continue
        kept.append(replace(s, passage_start=new.start, char_start=at, char_end=at + len(s.text)))
    book.spans = kept
    return removed


def _steps(project: Project, code: str, voices: dict[str, int], op_id: str) -> WithdrawalReport:
    report = WithdrawalReport(code, tuple(voices))
    theirs: set[str] = set()
    has_book = (project.path / codebook.FILENAME).exists()
    with exports_lock(project.path):  # no export may write their words back meanwhile
        for iid, voice in voices.items():
            try:
                interview = project.interview(iid)
            except StoreError:
                continue  # gone since (a purge of the whole group)
            if voice not in interview.withdrawn:
                cut = cut_voice(interview, voice)
                theirs.update(w.casefold() for w in cut.words)
                if has_book:
                    book = codebook.Codebook.load(project.path)
                    items = _spans(book, iid, cut)
                    if items:
                        book.save(project.path)  # before the passages change: safe to redo
                    report = replace(report, codebook_items=report.codebook_items + items)
                project.save_interview(cut.interview)
                report = replace(
                    report,
                    passages=report.passages + len(cut.gone),
                    words=report.words + len(cut.words),
                    others_words=report.others_words + cut.others_words,
                )
            report = _recording(project, iid, report)
        report = replace(
            report,
            unknown=sum(
                1
                for iid in voices
                for p in _passages(project, iid)
                if p.speaker is Speaker.UNKNOWN and voice_of(p) is None
            ),
            list_entries=_lists(project, theirs),
            outside_exports=tuple(
                e.path
                for e in privacy.outside_exports(project.path)
                if code.rpartition("-")[0] in e.participants
            ),
            exports_removed=lifecycle._remove_exports(project),
        )
        project._forget_participant(code, report.files, op_id)  # a content-free record
        project._remove_stale_temp_files(always=True)  # an interrupted save's copy
    log.info(
        "withdrew one participant from %d interview(s): %d words, %d files, %d coded spans",
        len(report.interviews),
        report.words,
        report.files,
        report.codebook_items,
    )
    return report


def _passages(project: Project, iid: str) -> list[Passage]:
    try:
        return project.interview(iid).passages
    except StoreError:
        return []


def _recording(project: Project, iid: str, report: WithdrawalReport) -> WithdrawalReport:
    """Delete the recording (it holds their voice); an import's file is the researcher's."""
    interview = project.interview(iid)
    if interview.recording is None:
        if interview.deletion is None:
            return replace(report, imported=(*report.imported, iid))
        return report
    record = lifecycle.delete_recording(project, iid)
    return replace(report, files=report.files + len(record.what), bytes=report.bytes + record.size)


def _lists(project: Project, theirs: set[str]) -> int:
    """Remove the name-list entries that only they said."""
    others: set[str] = set()
    for s in project.interviews() if theirs else []:
        try:
            others |= privacy.interview_words(project.interview(s.id))
        except StoreError:
            continue
    return lifecycle.drop_list_entries(project, theirs, others)


__all__ = [
    "WithdrawalReport",
    "complete_withdrawal",
    "cut_voice",
    "numbered_participants",
    "one_of",
    "withdraw_one",
    "withdraw_or_purge",
]
