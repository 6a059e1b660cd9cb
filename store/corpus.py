"""The interviews as review, analysis and exports see them.

Review works on plain, immutable records: one `ReviewInterview` per interview
(participant, date, length, status, passages, the guide it used) and a
`Corpus` holding all of them with the project's guide, codebook and
redaction list. `corpus_from_project` builds one from a real `store.Project`
through its public API only, so analysis and exports never depend on how the
project stores its documents.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from guide.model import Guide
from guide.transcript import Marker, MarkerKind, Passage, Speaker, participant_voices, voice_of
from kvale_errors import KvaleError, StoreError
from kvale_i18n import N_, translator
from store.codebook import Codebook
from store.redaction import Redaction, Redactor, redactions_from_setting

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewInterview:
    """One interview: who, when, how long, its status and its tagged passages."""

    id: str
    participant: str
    date: str  # ISO date "2023-03-13" (may be "")
    duration: float  # seconds of recording
    passages: tuple[Passage, ...]
    status: str = "transcribed"  # recording / transcribed / confirmed / recording deleted
    guide: Guide | None = None
    #: the interviewer's notes and bookmarks, in time order (markers of those kinds)
    notes: tuple[Marker, ...] = ()
    #: the language the interview was held in ("nb", "en"; None: not known), which the
    #: participant-facing text of exports follows (member check, speaker labels)
    language: str | None = None
    #: how many people take part, interviewer included, as the researcher said (2: an
    #: individual interview, 3: a couple; None: not said)
    people: int | None = None
    #: the voices of participants who withdrew alone (`store.withdrawal`): their words
    #: are gone, their numbers stay taken
    withdrawn: tuple[int, ...] = ()

    def notes_at(self, index: int) -> list[Marker]:
        """The notes and bookmarks that belong with passage ``index``: taken while it was
        said or before the next one began (the first passage also takes earlier ones)."""
        if not self.passages:
            return []
        start = self.passages[index].start if index > 0 else float("-inf")
        end = self.passages[index + 1].start if index + 1 < len(self.passages) else float("inf")
        return [n for n in self.notes if start <= n.time < end]

    @cached_property
    def participant_numbers(self) -> dict[int, int]:
        """In a couple or group interview, each participant's voice → their number (1, 2,
        …; `guide.transcript.participant_voices`); {} in an individual interview."""
        return participant_voices(self.passages, self.withdrawn)

    @property
    def present_numbers(self) -> dict[int, int]:
        """`participant_numbers` without those who withdrew alone (`withdrawn`): the
        participants whose words the interview still holds."""
        return {v: n for v, n in self.participant_numbers.items() if v not in self.withdrawn}

    def participant_number(self, passage: Passage) -> int | None:
        """Which participant speaks ``passage`` in a couple or group interview (1, 2, …,
        by voice); None for the interviewer's passages, an unknown speaker, and in an
        individual interview."""
        if passage.speaker is not Speaker.PARTICIPANT:
            return None
        voice = voice_of(passage)
        return None if voice is None else self.participant_numbers.get(voice)

    def participant_label(self, passage: Passage) -> str:
        """The participant's code ("I3"), with their number in a couple or group
        interview ("I3-2", `participant_number`)."""
        n = self.participant_number(passage)
        return self.participant if n is None else self.numbered(n)

    def numbered(self, number: int) -> str:
        """How exports name participant ``number`` of a couple or group: "I3-2"."""
        return f"{self.participant}-{number}"

    @property
    def word_count(self) -> int:
        """Words in the whole transcript (both speakers)."""
        return sum(count_words(p.text) for p in self.passages)

    @property
    def participant_word_count(self) -> int:
        """Words the participant said (unknown speaker counts as participant)."""
        return sum(count_words(p.text) for p in self.passages if p.speaker != Speaker.INTERVIEWER)


@dataclass
class Corpus:
    """Everything review needs: interviews, guide, codebook, names to redact."""

    name: str
    guide: Guide | None
    interviews: list[ReviewInterview]
    codebook: Codebook = field(default_factory=Codebook)
    redactions: list[Redaction] = field(default_factory=list)
    path: Path | None = None  # the project folder, if any
    #: interview id -> why its document cannot be read; left out of review and exports,
    #: listed so the researcher knows (one damaged interview never stops the others)
    damaged: dict[str, str] = field(default_factory=dict)
    #: the project's language setting (None: not set); see `language_of`
    language: str | None = None
    #: one participant's part of the project (`only`): what is about the others, such
    #: as a code group's overall condensation, stays out of its exports
    partial: bool = False

    def language_of(self, interview: ReviewInterview | None = None) -> str | None:
        """The language of an interview's participant-facing text: the interview's own,
        else its guide's, else the project's. Without an interview: the project's
        language, else the one most of its interviews were held in (for project-wide
        documents such as the by-question report)."""
        if interview is not None:
            guide = self.guide_of(interview)
            return interview.language or (guide.language if guide else None) or self.language
        if self.language:
            return self.language
        spoken = Counter(lang for i in self.interviews if (lang := self.language_of(i)))
        # the most common; between equals, the earliest interview's
        return spoken.most_common(1)[0][0] if spoken else None

    def redactor(self) -> Redactor:
        """The project's names replaced by their placeholders, the default one in the
        project's language (`language_of`): one for every export of the project, so the
        same name reads the same in each."""
        return Redactor(self.redactions, self.language_of())

    def guide_of(self, interview: ReviewInterview) -> Guide | None:
        """The guide this interview followed (its own snapshot; the corpus's as fallback)."""
        return interview.guide if interview.guide is not None else self.guide

    def guides(self) -> list[Guide]:
        """The distinct guides of the interviews (by content hash), in interview order."""
        found: dict[str, Guide] = {}
        for i in self.interviews:
            g = self.guide_of(i)
            if g is not None:
                found.setdefault(g.content_hash, g)
        if not found and self.guide is not None:
            found[self.guide.content_hash] = self.guide
        return list(found.values())

    @property
    def mixed(self) -> bool:
        """More than one guide: project-wide views group by guide."""
        return len(self.guides()) > 1

    def research_questions(self) -> dict[str, str]:
        """Research question id -> text, over every guide; a text that differs between
        guides is shown with each guide's title, never silently the last one."""
        texts: dict[str, dict[str, str]] = {}
        for g in self.guides():
            for rq, text in g.research_questions.items():
                texts.setdefault(rq, {}).setdefault(text, g.title)
        return {
            rq: next(iter(by_text))
            if len(by_text) == 1
            else " / ".join(f"{text} ({title})" for text, title in by_text.items())
            for rq, by_text in texts.items()
        }

    def interview(self, interview_id: str) -> ReviewInterview:
        """The interview with this id; KeyError if there is none."""
        for item in self.interviews:
            if item.id == interview_id:
                return item
        raise KeyError(interview_id)

    def only(self, participant: str | None) -> Corpus:
        """A corpus with only this participant's interviews (all when None)."""
        if participant is None:
            return self
        chosen = [i for i in self.interviews if i.participant == participant or i.id == participant]
        damaged = {
            k: v
            for k, v in self.damaged.items()
            if k == participant or k.startswith(f"{participant}-")
        }
        guides = {i.guide.content_hash: i.guide for i in chosen if i.guide is not None}
        guide = next(iter(guides.values())) if len(guides) == 1 else self.guide
        return Corpus(
            self.name,
            guide,
            chosen,
            self.codebook,
            self.redactions,
            path=self.path,
            damaged=damaged,
            language=self.language,
            partial=True,
        )

    def replace_interview(self, new: ReviewInterview) -> None:
        """Swap in an edited interview (same id)."""
        self.interviews = [new if i.id == new.id else i for i in self.interviews]


#: the markers review and exports show with the transcript
NOTE_KINDS = (MarkerKind.NOTE, MarkerKind.BOOKMARK)


def note_line(marker: Marker, language: str | None = None) -> str:
    """ "Note: call back about the roster" / "Bookmark" (with its text if it has one), in
    ``language`` (None: English)."""
    _ = translator(language).gettext
    what = _("Note") if marker.kind == MarkerKind.NOTE else _("Bookmark")
    return f"{what}: {marker.text}" if marker.text else what


def count_words(text: str) -> int:
    """Words as a researcher counts them: whitespace-separated tokens."""
    return len(text.split())


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(obj, Mapping) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def _status_text(value: Any) -> str:
    text = str(getattr(value, "value", value) or "")
    return text.replace("_", " ")


def _guide_of(obj: Any) -> Guide | None:
    candidate = _get(obj, "guide")
    if callable(candidate) and not isinstance(candidate, Guide):
        try:
            candidate = candidate()
        except Exception as exc:  # a missing guide must not stop review
            log.warning("could not read the guide: %s", exc)
            return None
    return candidate if isinstance(candidate, Guide) else None


def review_interview_from(obj: Any, guide: Guide | None = None) -> ReviewInterview:
    """A `ReviewInterview` from a store interview object (duck-typed, public attributes)."""
    passages = tuple(_get(obj, "passages", default=()) or ())
    status = _status_text(_get(obj, "status", default="transcribed"))
    if _get(obj, "recording_deleted", "recording_deleted_at", default=None):
        status = "recording deleted"
    date = str(_get(obj, "date", "started_at", "created", default="") or "")[:10]
    duration = _get(obj, "duration", "duration_seconds", default=None)
    if not duration:  # not recorded (an imported transcript): the last passage's end
        duration = max((p.end for p in passages), default=0.0)
    markers = _get(obj, "markers", default=()) or ()
    notes = tuple(
        sorted(
            (m for m in markers if getattr(m, "kind", None) in NOTE_KINDS),
            key=lambda m: m.time,
        )
    )
    language = _get(obj, "language", default=None)
    people = _get(obj, "people", default=None)
    withdrawn = _get(obj, "withdrawn", default=()) or ()
    return ReviewInterview(
        people=people if isinstance(people, int) else None,
        withdrawn=tuple(int(v) for v in withdrawn),
        language=str(language) if language else None,
        notes=notes,
        id=str(_get(obj, "id", "interview_id")),
        participant=str(_get(obj, "participant", "participant_code", default="?")),
        date=date,
        duration=float(duration),
        passages=passages,
        status=status,
        guide=_guide_of(obj) or guide,
    )


def _project_guide(project: Any, guide_hash: str) -> Guide | None:
    """The guide an interview used, from the project's stored guides."""
    getter = getattr(project, "guide", None)
    if not callable(getter):
        return None
    try:
        found = getter(guide_hash)
    except Exception as exc:  # a missing guide must not stop review; it is logged
        log.warning("could not read guide %s: %s", guide_hash[:12], exc)
        return None
    return found if isinstance(found, Guide) else None


def corpus_from_project(project: Any, interview_ids: Iterable[str] | None = None) -> Corpus:
    """Read a project (through its public API) into a `Corpus`.

    Args:
        project: a `store.Project` (or anything with ``path``, ``interviews()``,
            ``interview(id)`` and ``settings``).
        interview_ids: only these interviews (default all).
    """
    path = Path(project.path)
    unfinished = getattr(project, "unfinished_deletion", None)
    code = unfinished() if callable(unfinished) else None
    if code is not None:
        raise StoreError.said(
            N_(
                "The deletion of participant {code}'s data (kvale purge {code}) was cut short "
                "and is not finished, so kvale shows and exports nothing now: their words "
                "are still there. Open the project in kvale, or run kvale purge {code} "
                "again, to finish it."
            ),
            code=code,
        )
    ids = list(interview_ids) if interview_ids is not None else None
    summaries = list(project.interviews())
    interviews: list[ReviewInterview] = []
    guides: dict[str, Guide | None] = {}
    damaged: dict[str, str] = {}
    for summary in summaries:
        iid = str(_get(summary, "id", "interview_id"))
        if ids is not None and iid not in ids:
            continue
        try:
            raw = project.interview(iid)
        except KvaleError as exc:  # one damaged interview: listed, the others go on
            log.error("%s", exc)
            damaged[iid] = exc.sentence
            continue
        guide_hash = _get(raw, "guide_hash", default=None)
        if guide_hash and guide_hash not in guides:
            guides[guide_hash] = _project_guide(project, str(guide_hash))
        interviews.append(review_interview_from(raw, guides.get(guide_hash or "")))
    settings = project.settings
    redactions = redactions_from_setting(settings.redaction_names)
    # the project's guide only when every interview used the same one: with several,
    # every view takes each interview's own (`Corpus.guide_of`), never the last one used
    distinct = {i.guide.content_hash: i.guide for i in interviews if i.guide is not None}
    guide = next(iter(distinct.values())) if len(distinct) == 1 else None
    name = str(settings.name or _get(project, "name", default="") or path.name)
    return Corpus(
        name=name,
        guide=guide,
        interviews=interviews,
        codebook=Codebook.load(path),
        redactions=redactions,
        path=path,
        damaged=damaged,
        language=settings.language or None,
    )
