"""The transcript view's longer choices (`tui.screens.transcript`): who speaks in a
passage (w), and what to do with a word that looks like a name (x)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from guide.transcript import Speaker, speaker_said, voice_of
from kvale_errors import KvaleError
from store.analysis import name_candidates
from store.editing import recorded_voices
from tui.i18n import _, error_text, ngettext
from tui.screens.review_dialogs import ReviewPick, ReviewText, remember_name

if TYPE_CHECKING:
    from tui.screens.transcript import TranscriptScreen


def pick_speaker(screen: TranscriptScreen) -> None:
    """Ask who speaks the highlighted passage: the interviewer or a participant, this
    passage alone (in a couple or group interview, which participant: 1, 2, … by voice,
    or another whose voice the recording did not tell apart); or, where the recording
    told voices apart, the interviewer, and so every passage in its voice (the others'
    voices: participants), the tags following
    (`store.review.ReviewSession.set_interviewer_voice`); or, for a speaker set by
    hand, as the tagger finds it again (`tagger_speaker`)."""
    index = screen.current
    if index is None:
        return
    p = screen.interview.passages[index]
    items = [("interviewer", _("The interviewer (this passage)"))]
    # in a couple or group interview, which participant: each by their voice's number
    numbers = screen.interview.participant_numbers
    # one who withdrew alone keeps their number, and no passage may be given back to them
    by_number = {n: v for v, n in screen.interview.present_numbers.items()}
    if numbers:
        items += [
            (f"participant {n}", _("Participant {n} (this passage)").format(n=n))
            for n in sorted(by_number)
        ]
    else:
        items.append(("participant", _("A participant (this passage)")))
    passages = screen.interview.passages
    found = recorded_voices(passages)
    # the voices found, and those said by hand
    voices = found | {q.said_voice for q in passages if q.said_voice is not None}
    # in a couple or group interview (as the researcher said, `kvale import --people`),
    # a participant the recording did not tell apart gets a voice of their own, as long
    # as there are fewer participants than they said take part
    people = screen.interview.people or 2
    if voices and people >= 3 and (len(numbers) or 1) < people - 1:
        items.append(("another", _("Another participant, not told apart (this passage)")))
    voice = voice_of(p)
    if voice is not None and voice in found:
        items.append(
            (
                "voice",
                _(
                    "The interviewer, in every passage in this voice (voice {n}); the "
                    "other voices are participants"
                ).format(n=voice + 1),
            )
        )

    if speaker_said(p):  # set by hand: the way back to the tagger's say
        items.append(("tagger", _("As kvale finds it (no longer set by you)")))

    def chosen(choice: str | None) -> None:
        if choice in ("interviewer", "participant"):
            screen._do("set_speaker", index, Speaker(choice), whole=bool(numbers))
        elif choice is not None and choice.startswith("participant "):
            # (the whole list: a voice whose last passage this was loses its number,
            # and the voices after it move up)
            their = by_number[int(choice.split()[1])]
            screen._do("set_speaker", index, Speaker.PARTICIPANT, their, whole=True)
        elif choice == "another":
            screen._do("set_speaker", index, Speaker.PARTICIPANT, max(voices) + 1, whole=True)
        elif choice == "tagger":
            screen._do("tagger_speaker", index)
        elif choice == "voice":
            try:
                screen.session.set_interviewer_voice(screen.interview_id, index)
            except KvaleError as exc:
                screen.notify(error_text(exc)[1], title=error_text(exc)[0], severity="error")
                return
            screen.refresh_passages(keep=index)
            n, m = screen.session.respoken, screen.session.followed
            said = ngettext(
                "Speakers set by voice: {n} passage changed speaker, {m} changed question; "
                "the speakers you set one by one stay (z undoes it).",
                "Speakers set by voice: {n} passages changed speaker, {m} changed question; "
                "the speakers you set one by one stay (z undoes it).",
                n,
            )
            screen.notify(said.format(n=n, m=m), timeout=8)

    current = p.speaker.value if p.speaker is not Speaker.UNKNOWN else None
    if numbers and current == "participant":
        # which participant it is; a participant without a number: none of them
        n = screen.interview.participant_number(p)
        current = f"participant {n}" if n is not None else None
    screen.app.push_screen(ReviewPick(_("Who speaks in this passage?"), items, current), chosen)


def pick_names(screen: TranscriptScreen) -> None:
    """Decide about the words flagged as possible names: redact, or not a name."""
    session = screen.session
    candidates = name_candidates(session.corpus.only(screen.interview.participant))
    if not candidates:
        screen.notify(_("No capitalised words here look like names."))
        return
    items = [(c.word, f"{c.word} ({c.count}×) … {c.example}") for c in candidates]

    def redact(text: str | None) -> None:
        if text and text.strip() and remember_name(screen, session, text):
            screen.refresh_passages()

    def chosen(word: str | None) -> None:
        if not word:
            return

        def decided(choice: str | None) -> None:
            if choice == "redact":
                screen.app.push_screen(
                    ReviewText(_("Replace with (Name=[placeholder]):"), f"{word}=" + _("[name]")),
                    redact,
                )
            elif choice == "keep":
                session.dismiss_name(word)
                screen.refresh_passages()

        screen.app.push_screen(
            ReviewPick(
                _("Is '{word}' a name to redact?").format(word=word),
                [
                    ("redact", _("Yes: redact it in every export")),
                    ("keep", _("No: not a name")),
                ],
            ),
            decided,
        )

    screen.app.push_screen(ReviewPick(_("Possible names (pick one to decide):"), items), chosen)
