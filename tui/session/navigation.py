"""Where the interview is in the guide: the current question, what was asked, skipped
and probed, and the time spent per section, all from the interviewer's markers.

`QuestionNavigation` is the part of `tui.session.InterviewSession` that turns key presses
into `guide.transcript.Marker` s, saved to the project at once, and replays stored
markers when an interview is resumed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from guide.model import Guide, Question
from guide.transcript import Marker, MarkerKind
from kvale_errors import KvaleError
from kvale_i18n import N_

if TYPE_CHECKING:
    from store import Project


@dataclass
class Coverage:
    """What happened to one question during the interview."""

    asked: bool = False
    skipped: bool = False
    probes: set[str] = field(default_factory=set)


class QuestionNavigation:
    """The guide's questions as the interview moves through them.

    State: ``questions`` (the guide's, in order), ``index`` (-1 while the introduction is
    on screen), ``coverage`` per question id, ``section_seconds`` per section id and the
    ``markers`` so far. Times are seconds on the recording's timeline (`elapsed`).
    """

    project: Project
    interview_id: str
    guide: Guide

    def _init_navigation(self, guide: Guide) -> None:
        self.questions: list[Question] = list(guide.questions())
        self.index = -1  # -1: the intro script is on screen
        self.coverage: dict[str, Coverage] = {q.id: Coverage() for q in self.questions}
        self.section_seconds: dict[str, float] = {s.id: 0.0 for s in guide.sections}
        self.markers: list[Marker] = []
        self._section_since: float | None = None
        self._lock = threading.Lock()

    def elapsed(self) -> float:
        """Seconds on the recording's timeline (the session defines it)."""
        raise NotImplementedError

    @property
    def current(self) -> Question | None:
        return self.questions[self.index] if 0 <= self.index < len(self.questions) else None

    @property
    def current_id(self) -> str | None:
        q = self.current
        return q.id if q else None

    def next(self) -> Marker | None:
        """Go to the next question (marked as asked)."""
        if self.index + 1 >= len(self.questions):
            return None
        return self.jump(self.questions[self.index + 1].id)

    def previous(self) -> Marker | None:
        """Go back to the previous question (marked as returned)."""
        if self.index <= 0:
            return None
        return self.jump(self.questions[self.index - 1].id)

    def jump(self, question_id: str) -> Marker:
        """Go to any question; asked the first time, returned after that.

        Raises:
            KvaleError: the guide has no such question.
        """
        idx = next((i for i, q in enumerate(self.questions) if q.id == question_id), None)
        if idx is None:
            raise KvaleError.said(N_("The guide has no question {question}."), question=question_id)
        kind = MarkerKind.RETURNED if self.coverage[question_id].asked else MarkerKind.ASKED
        return self.mark(kind, question_id)

    def skip(self) -> Marker | None:
        """Mark the current question skipped and move on."""
        qid = self.current_id
        if qid is None:
            return self.next()
        marker = self.mark(MarkerKind.SKIPPED, qid)
        self.next()
        return marker

    def probe(self, probe_id: str | None = None) -> Marker | None:
        """Mark a probe of the current question asked (the first one not yet asked)."""
        q = self.current
        if q is None or not q.probes:
            return None
        if probe_id is None:
            left = [p.id for p in q.probes if p.id not in self.coverage[q.id].probes]
            if not left:
                return None
            probe_id = left[0]
        return self.mark(MarkerKind.PROBE, q.id, probe_id)

    def note(self, text: str) -> Marker:
        return self.mark(MarkerKind.NOTE, self.current_id, text=text)

    def bookmark(self) -> Marker:
        return self.mark(MarkerKind.BOOKMARK, self.current_id)

    def mark(
        self,
        kind: MarkerKind | str,
        question_id: str | None,
        probe_id: str | None = None,
        text: str = "",
    ) -> Marker:
        """Record what the interviewer did, at the current recording time; saved at once."""
        return self._save(MarkerKind(kind), question_id, probe_id, text)

    def _save(
        self,
        kind: MarkerKind,
        question_id: str | None,
        probe_id: str | None = None,
        text: str = "",
    ) -> Marker:
        with self._lock:
            marker = Marker(
                time=round(self.elapsed(), 3),
                kind=kind,
                question_id=question_id,
                probe_id=probe_id,
                text=text,
                wall_time=datetime.now(UTC).isoformat(timespec="seconds"),
            )
            self.project.add_marker(self.interview_id, marker)
            self._replay(marker)
            return marker

    def _replay(self, marker: Marker) -> None:
        """Apply a marker to the in-memory state (also used when resuming)."""
        self.markers.append(marker)
        qid = marker.question_id
        if qid is None or qid not in self.coverage:
            return
        if marker.kind in (MarkerKind.ASKED, MarkerKind.RETURNED):
            self._account_section(at=marker.time)
            self.index = next(i for i, q in enumerate(self.questions) if q.id == qid)
            self.coverage[qid].asked = True
            self.coverage[qid].skipped = False
            self._section_since = marker.time
        elif marker.kind is MarkerKind.SKIPPED:
            if not self.coverage[qid].asked or qid == self.current_id:
                self.coverage[qid].skipped = True
        elif marker.kind is MarkerKind.PROBE and marker.probe_id:
            self.coverage[qid].probes.add(marker.probe_id)

    def _account_section(self, at: float | None = None) -> None:
        q = self.current
        if q is None or self._section_since is None:
            return
        now = self.elapsed() if at is None else at
        self.section_seconds[q.section_id] += max(0.0, now - self._section_since)
        self._section_since = None if at is None else now

    def section_time(self, section_id: str) -> float:
        """Seconds spent in a section so far, including the running stretch."""
        spent = self.section_seconds.get(section_id, 0.0)
        q = self.current
        if q is not None and q.section_id == section_id and self._section_since is not None:
            spent += max(0.0, self.elapsed() - self._section_since)
        return spent
