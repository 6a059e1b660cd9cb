"""One passage of the transcript view as styled text: its question tag, confidence (✎
for a tag the researcher set by hand), highlighted low-confidence words and underlined
name candidates, and the interviewer's notes taken during it
(`tui.screens.transcript`)."""

from __future__ import annotations

from rich.text import Text

from guide.transcript import is_manual, speaker_said
from kvale_i18n import format_decimal
from store.analysis import LOW_CONFIDENCE, low_confidence, question_of
from store.corpus import ReviewInterview, note_line
from store.exports.common import clock
from store.review import ReviewSession
from tui.i18n import _, current_language


def passage_text(
    session: ReviewSession, interview: ReviewInterview, index: int, names: set[str]
) -> Text:
    """One passage as rich text: time, tag, confidence, speaker, words, codes."""
    p = interview.passages[index]
    qid = question_of(p)
    text = Text(f"{clock(p.start)} ", style="dim")
    conf = p.primary.confidence if p.primary else 0.0
    tag_style = "bold" if conf >= LOW_CONFIDENCE else "bold yellow"
    text.append(f"{qid or '—':>5}", style=tag_style)
    if is_manual(p):
        text.append(f" {'✎':>4}", style="bold green")  # tagged by the researcher
    else:
        shown = format_decimal(conf, current_language(), 2)
        text.append(f" {shown:>4}" if p.primary else "     ", style="dim")
    if low_confidence(p):
        text.append(" ?", style="yellow")
    # TRANSLATORS: one-letter speaker marks in the transcript: Interviewer, Participant
    who = {"interviewer": _("I"), "participant": _("P")}.get(p.speaker.value, "–")
    # which participant, by voice, in a couple or group interview ("P2"; the others
    # padded to line up with it)
    who += str(interview.participant_number(p) or "")
    who = f"{who:<3}" if interview.participant_numbers else who + " "
    # a speaker the researcher set (w) in the colour of a tag they set (✎)
    text.append(f"  {who}", style="bold green" if speaker_said(p) else "cyan")
    words = p.text.split()
    low = (
        {i for i, w in enumerate(p.words) if w.probability < LOW_CONFIDENCE}
        if len(p.words) == len(words)
        else set()
    )
    for i, word in enumerate(words):
        style = ""
        if i in low:
            style = "reverse yellow"
        bare = word.strip(".,;:!?«»\"'()")
        if bare in names or bare.rstrip("s") in names:
            style = (style + " underline magenta").strip()
        text.append(word, style=style)
        text.append(" ")
    spans = session.codebook.spans_on(interview.id, p)
    if spans:
        labels = []
        for span in spans:
            try:
                name = session.codebook.code(span.code_id).name
            except KeyError:
                continue
            # a few words coded, not the whole passage: say which
            whole = span.char_start == 0 and span.char_end >= len(p.text.rstrip())
            labels.append(name if whole else f"{name}: “{span.text}”")
        text.append(" ".join(f"[{c}]" for c in dict.fromkeys(labels)), style="green")
    for note in interview.notes_at(index):
        text.append(
            f"\n      {clock(note.time)} ✎ {note_line(note, current_language())}",
            style="italic magenta",
        )
    return text
