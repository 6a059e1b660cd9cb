"""Who speaks, as the researcher says it in review (`store.review.ReviewSession`'s
speaker edits): one passage's speaker, the interviewer's voice for the whole interview,
or back to the tagger's say."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from guide.transcript import Passage, Speaker, SpeakerSource
from kvale_i18n import N_
from store import editing
from store.analysis import question_of
from store.corpus import Corpus, ReviewInterview

if TYPE_CHECKING:
    from guide.model import Guide
    from store.model import Interview


class SpeakerEdits:
    """The speaker edits of a review session (mixed into `ReviewSession`)."""

    corpus: Corpus
    project: Any
    #: passages whose question changed to follow the last edit (besides its own)
    followed: int
    #: passages whose speaker the last `set_interviewer_voice` changed
    respoken: int

    if TYPE_CHECKING:

        def _checkpoint(self, label: str, interview_id: str | None = None) -> None: ...
        def _set_passages(self, interview_id: str, passages: list[Passage]) -> ReviewInterview: ...
        def _follow(
            self, interview_id: str, passages: list[Passage], index: int
        ) -> list[Passage]: ...
        def _transcript(self, interview_id: str) -> tuple[Guide, Interview] | None: ...

    def set_speaker(
        self, interview_id: str, index: int, speaker: Speaker, voice: int | None = None
    ) -> ReviewInterview:
        """Say who speaks passage ``index`` (kept through re-tagging; it names no
        interviewer's voice); ``voice``: which participant's, in a couple or group
        interview (`editing.set_speaker`)."""
        self._checkpoint(N_("speaker"), interview_id)
        old = list(self.corpus.interview(interview_id).passages)
        return self._set_passages(interview_id, editing.set_speaker(old, index, speaker, voice))

    def set_interviewer_voice(self, interview_id: str, index: int) -> ReviewInterview:
        """Say that the voice of passage ``index`` is the interviewer's: every passage in
        it is theirs, every other voice's a participant's (but those set one by one), and
        the tags follow as after a `retag` (from the start, with that voice).
        ``self.followed`` is how many passages changed question, ``self.respoken`` how
        many changed speaker. One undo step takes back both.

        Raises:
            StoreError: no such passage, or the recording told no voices apart in it.
        """
        self.followed = 0
        old = list(self.corpus.interview(interview_id).passages)
        passages = editing.set_interviewer_voice(old, index)
        self._checkpoint(N_("speaker"), interview_id)
        if any(a.speaker is not b.speaker for a, b in zip(old, passages, strict=True)):
            passages = self._follow(interview_id, passages, 0)
        # (no one's speaker changed: the voice named is the one the tags were decoded
        # with, so they stay as they are, with the confidence the researcher has read)
        pairs = list(zip(old, passages, strict=True))
        self.followed = sum(question_of(a) != question_of(b) for a, b in pairs)
        self.respoken = sum(a.speaker is not b.speaker for a, b in pairs)
        return self._set_passages(interview_id, passages)

    def tagger_speaker(self, interview_id: str, index: int) -> ReviewInterview:
        """Let the tagger say again who speaks passage ``index``: the speaker set by hand
        goes, and the passage gets the tagger's (`guide.tagging.tagger_speakers`, with the
        interviewer's voice as named, if it was); where the project holds no transcript,
        its speaker stays as it is, no longer set by hand.

        Raises:
            StoreError: no such passage.
        """
        from guide.tagging import tagger_speakers

        old = list(self.corpus.interview(interview_id).passages)
        back = editing.replace_passage(
            old, index, speaker_source=SpeakerSource.TAGGER, said_voice=None
        )
        self._checkpoint(N_("speaker"), interview_id)
        found = self._transcript(interview_id)
        if found is not None:
            guide, stored = found
            said = tagger_speakers(
                guide, stored.segments, stored.markers, back, language=stored.language
            )
            back = editing.replace_passage(back, index, speaker=said[index])
        return self._set_passages(interview_id, back)
