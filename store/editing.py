"""Edits the researcher makes to a transcript in review, keeping coded spans in place.

Each function takes an interview's passages (and the codebook) and returns
the new passages; coded spans are remapped so a split or a merge never loses
a code. Saving is the caller's job (`save_passages`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from guide.tagging import retag_passage
from guide.transcript import Passage, Speaker, SpeakerSource, Word, speaker_said, voice_of
from kvale_errors import StoreError
from kvale_i18n import N_
from store.codebook import ANCHOR_TOLERANCE, Codebook, new_id

log = logging.getLogger(__name__)


def _check(passages: list[Passage], index: int) -> None:
    if not 0 <= index < len(passages):
        raise StoreError.said(
            N_("There is no passage {n}; the transcript has {count}."),
            title=N_("No such passage"),
            n=index + 1,
            count=len(passages),
        )


def retag(passages: list[Passage], index: int, question_id: str) -> list[Passage]:
    """Tag a passage with a question by hand (a manual tag always wins).

    The previous primary tag is kept as a secondary one, so nothing the tagger said is
    lost (a manual tag changed again is not: the researcher changed their mind).
    """
    _check(passages, index)
    return retag_passage(passages, index, question_id)


def replace_passage(passages: list[Passage], index: int, **changes: Any) -> list[Passage]:
    """The passages with passage ``index`` changed (`dataclasses.replace`).

    Raises:
        StoreError: there is no passage ``index``.
    """
    _check(passages, index)
    return [*passages[:index], replace(passages[index], **changes), *passages[index + 1 :]]


def set_speaker(
    passages: list[Passage], index: int, speaker: Speaker, voice: int | None = None
) -> list[Passage]:
    """Say who speaks passage ``index`` (`SpeakerSource.PASSAGE`: re-tagging keeps it;
    it names no interviewer's voice); ``voice``: which participant's voice it is in, in
    a couple or group interview (`Passage.said_voice`; None: as its words have it)."""
    return replace_passage(
        passages, index, speaker=speaker, speaker_source=SpeakerSource.PASSAGE, said_voice=voice
    )


def set_interviewer_voice(passages: list[Passage], index: int) -> list[Passage]:
    """Say that the voice (``Word.voice``) of passage ``index`` is the interviewer's:
    every passage spoken mostly in it (`voice_of`) is the interviewer's, every other one
    with a voice a participant's (`SpeakerSource.VOICE`). Passages without voices, and
    those whose speaker the researcher set one by one (`SpeakerSource.PASSAGE`: a word
    the voices got wrong), stay as they are.

    Raises:
        StoreError: no such passage, or none of its words has a voice (or only one the
            researcher gave it: "another participant").
    """
    _check(passages, index)
    voice = voice_of(passages[index])
    if voice is not None and voice not in recorded_voices(passages):
        voice = None  # a participant the researcher added: no voice the recording found
    if voice is None:
        raise StoreError.said(
            N_(
                "The recording told no voices apart in this passage, so it cannot name the "
                "interviewer's voice. Set this passage's speaker on its own."
            ),
            title=N_("No voice in this passage"),
        )
    out = []
    for p in passages:
        v = voice_of(p)
        if v is not None and p.speaker_source is not SpeakerSource.PASSAGE:
            who = Speaker.INTERVIEWER if v == voice else Speaker.PARTICIPANT
            p = replace(p, speaker=who, speaker_source=SpeakerSource.VOICE)
        out.append(p)
    return out


def recorded_voices(passages: Sequence[Passage]) -> set[int]:
    """The voices the recording told apart (``Word.voice``) in the passages' words, and
    those kept from words an edit dropped; not those only the researcher said."""
    found = {w.voice for p in passages for w in p.words if w.voice is not None}
    kept = {p.said_voice for p in passages if not speaker_said(p) and p.said_voice is not None}
    return found | kept


def edit_text(
    passages: list[Passage], index: int, text: str, codebook: Codebook, interview_id: str
) -> list[Passage]:
    """Replace a passage's text; its words keep their times and voices where they were
    corrected one for one, and lose them when words were added or taken out (`_corrected`).

    Coded spans on the passage whose quoted text is still there are moved to
    where it now is; the others stay attached to the passage start and are
    reported as detached by `Codebook.resolve`.
    """
    _check(passages, index)
    text = text.strip()
    if not text:
        raise StoreError.said(
            N_("A passage cannot be empty. Merge it with its neighbour instead."),
            title=N_("Empty passage"),
        )
    old = passages[index]
    words = _corrected(old.words, text)
    # words added or taken out lose their times and voices: the passage keeps its voice
    # (and so its speaker's number in a couple or group interview)
    kept = old.said_voice if words or old.said_voice is not None else voice_of(old)
    new = replace(old, text=text, words=words, said_voice=kept)
    spans = []
    for s in codebook.spans:
        if s.interview_id == interview_id and abs(s.passage_start - old.start) <= ANCHOR_TOLERANCE:
            pos = text.find(s.text)
            if pos >= 0:
                s = replace(s, char_start=pos, char_end=pos + len(s.text))
        spans.append(s)
    codebook.spans = spans
    return [*passages[:index], new, *passages[index + 1 :]]


def _corrected(words: tuple[Word, ...], text: str) -> tuple[Word, ...]:
    """The passage's words after its text became ``text``: as they were where the words
    are the same; where as many words were corrected one for one (a typo, a misheard
    word), each keeps its time and voice, and a corrected one gets probability 1 (the
    researcher wrote it); otherwise none (the times are no longer known)."""
    tokens = text.split()
    if len(tokens) != len(words):
        return ()
    out = []
    for w, t in zip(words, tokens, strict=True):
        if w.text.strip() != t:
            lead = w.text[: len(w.text) - len(w.text.lstrip())]
            w = replace(w, text=lead + t, probability=1.0)
        out.append(w)
    return tuple(out)


def split(
    passages: list[Passage], index: int, at_char: int, codebook: Codebook, interview_id: str
) -> list[Passage]:
    """Split a passage in two at a character offset (moved to the nearest word boundary)."""
    _check(passages, index)
    old = passages[index]
    text = old.text
    cut = _word_boundary(text, at_char)
    if cut <= 0 or cut >= len(text.rstrip()):
        raise StoreError.said(
            N_("Put the cursor between two words inside the passage to split it."),
            title=N_("Not between two words"),
        )
    first_text, second_text = text[:cut].rstrip(), text[cut:].lstrip()
    lead = len(text[cut:]) - len(second_text)  # whitespace dropped at the second's start
    n_first = len(first_text.split())
    if old.words and len(old.words) == len(text.split()):
        first_words, second_words = old.words[:n_first], old.words[n_first:]
        t = second_words[0].start if second_words else old.end
    else:
        first_words, second_words = (), ()
        t = old.start + (old.end - old.start) * cut / max(1, len(text))
    t = min(max(t, old.start + 2 * ANCHOR_TOLERANCE), old.end)
    first = replace(old, text=first_text, words=first_words, end=t)
    second = replace(old, text=second_text, words=second_words, start=t)
    spans = []
    for s in codebook.spans:
        if s.interview_id == interview_id and abs(s.passage_start - old.start) <= ANCHOR_TOLERANCE:
            if s.char_start >= cut:
                s = replace(
                    s,
                    passage_start=t,
                    char_start=s.char_start - cut - lead if s.char_start - cut >= lead else 0,
                    char_end=s.char_end - cut - lead,
                )
                s = replace(s, text=second_text[s.char_start : s.char_end])
            elif s.char_end > len(first_text):
                # straddles the cut: the part in each passage stays coded, the first
                # part as this span, the rest as a new one on the second passage
                rest = s.char_end - cut - lead
                if rest > 0:
                    spans.append(
                        replace(
                            s,
                            id=new_id(),
                            passage_start=t,
                            char_start=0,
                            char_end=rest,
                            text=second_text[:rest],
                        )
                    )
                s = replace(s, char_end=len(first_text), text=first_text[s.char_start :])
        spans.append(s)
    codebook.spans = [s for s in spans if s.char_end > s.char_start]
    return [*passages[:index], first, second, *passages[index + 1 :]]


def merge(
    passages: list[Passage], index: int, codebook: Codebook, interview_id: str
) -> list[Passage]:
    """Merge a passage with the next one; the first one's tag and speaker win."""
    _check(passages, index)
    if index + 1 >= len(passages):
        raise StoreError.said(
            N_("The last passage has no next passage to merge with."),
            title=N_("Nothing to merge with"),
        )
    a, b = passages[index], passages[index + 1]
    text = f"{a.text.rstrip()} {b.text.lstrip()}"
    offset = len(a.text.rstrip()) + 1
    codes = tuple(dict.fromkeys((*a.codes, *b.codes)))
    secondary = tuple(t for t in (*a.secondary, *b.secondary))
    if b.primary is not None and (
        a.primary is None or b.primary.question_id != a.primary.question_id
    ):
        secondary = (b.primary, *secondary)
    merged = replace(
        a, end=b.end, text=text, words=(*a.words, *b.words), codes=codes, secondary=secondary
    )
    spans = []
    for s in codebook.spans:
        if s.interview_id == interview_id and abs(s.passage_start - b.start) <= ANCHOR_TOLERANCE:
            s = replace(
                s,
                passage_start=a.start,
                char_start=s.char_start + offset - (len(b.text) - len(b.text.lstrip())),
                char_end=s.char_end + offset - (len(b.text) - len(b.text.lstrip())),
            )
        spans.append(s)
    codebook.spans = spans
    return [*passages[:index], merged, *passages[index + 2 :]]


def _word_boundary(text: str, at: int) -> int:
    at = max(0, min(at, len(text)))
    if at < len(text) and not text[at].isspace() and at > 0 and not text[at - 1].isspace():
        # inside a word: move to the start of the word
        while at > 0 and not text[at - 1].isspace():
            at -= 1
    return at


def save_passages(project: Any, interview_id: str, passages: list[Passage]) -> None:
    """Save edited passages through the project's public API."""
    setter = getattr(project, "set_passages", None)
    if setter is not None:
        setter(interview_id, list(passages))
        return
    interview = project.interview(interview_id)
    project.save_interview(replace(interview, passages=list(passages)))


def find_words(text: str, words: str) -> tuple[int, int]:
    """Character offsets [start, end) of ``words`` in ``text`` (case and runs of
    whitespace ignored).

    Raises:
        StoreError: the words are not there.
    """
    import re

    parts = words.split()
    pattern = r"\s+".join(re.escape(w) for w in parts)
    m = re.search(pattern, text, flags=re.IGNORECASE) if parts else None
    if m is None:
        raise StoreError.said(
            N_(
                "'{words}' is not in this passage: type some of its words exactly as they "
                "are written (or leave it empty to code the whole passage)."
            ),
            title=N_("Words not found"),
            words=words,
        )
    return m.start(), m.end()
